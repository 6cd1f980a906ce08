package drsn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import drsn.data.Dataset;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test-set transformations behind the noise-transfer diagnostics. */
class SnrTransferExperimentTest {

  private static Dataset sineWindows(int n, int length) {
    float[] x = new float[n * length];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (int t = 0; t < length; t++) {
        x[i * length + t] = (float) ((1 + i) * Math.sin(0.05 * (i + 1) * t));
      }
    }
    return Dataset.of(x, labels, new int[] {1, length}, List.of("a", "b"));
  }

  private static double power(float[] x) {
    double p = 0;
    for (float v : x) {
      p += (double) v * v;
    }
    return p / x.length;
  }

  @Test
  void rmsRatioIsTheGrowthOfAWindowsRmsBetweenTheTwoSnrs() {
    // Long windows: the signal-noise cross term, which makes one window's power random, averages out.
    Dataset clean = sineWindows(1, 1 << 16);
    qt().withExamples(20).forAll(doubles().between(-8, 10), doubles().between(-8, 10)).checkAssert((train, eval) -> {
      double atTrain = power(Noise.addToCopy(clean, NoiseKind.WHITE_GAUSSIAN, train, 1).example(0));
      double atEval = power(Noise.addToCopy(clean, NoiseKind.WHITE_GAUSSIAN, eval, 2).example(0));
      double expected = Math.sqrt(atTrain / atEval);
      assertEquals(expected, SnrTransferExperiment.rmsRatio(train, eval), 0.01 * expected);
    });
    assertEquals(Math.sqrt(2), SnrTransferExperiment.rmsRatio(0, Double.POSITIVE_INFINITY), 1e-12);
  }

  @Test
  void oneNoisePowerForEveryWindowWhateverItsOwnPower() {
    Dataset clean = sineWindows(4, 8192);
    double mean = SnrTransferExperiment.meanPower(clean);
    Dataset noisy = SnrTransferExperiment.absoluteNoise(clean, NoiseKind.WHITE_GAUSSIAN, 0, mean, 5);
    for (int i = 0; i < clean.size(); i++) {
      float[] c = clean.example(i);
      float[] y = noisy.example(i);
      for (int t = 0; t < c.length; t++) {
        y[t] -= c[t];
      }
      // Windows differ 16-fold in power; the added noise has the set's mean power in every one.
      assertEquals(mean, power(y), 0.05 * mean, "window " + i);
    }
    assertEquals(clean.labels()[3], noisy.label(3));
    assertTrue(SnrTransferExperiment.snrOf("-4abs") == -4 && SnrTransferExperiment.snrOf("10") == 10);
  }
}
