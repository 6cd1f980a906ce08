package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Statistics measured on long signals; tolerances are several standard errors of each estimate. */
class NoiseTest {

  private static final int LONG = 1 << 20;

  private static float[] bearingSignal(int n) {
    return SyntheticBearing.builder().build().recording(3, n, 11).channels()[0];
  }

  @ParameterizedTest
  @EnumSource(NoiseKind.class)
  void achievedSnrIsWithinATenthOfADecibel(NoiseKind kind) {
    float[] clean = bearingSignal(1 << 18);
    for (double snr : new double[] {-8, -4, 0, 5, 20}) {
      float[] noisy = clean.clone();
      new Noise(kind).addAtSnr(noisy, 0, noisy.length, noisy.length, snr, new SeededRandom(3));
      double pn = 0;
      for (int i = 0; i < clean.length; i++) {
        double d = (double) noisy[i] - clean[i];
        pn += d * d;
      }
      pn /= clean.length;
      double achieved = 10 * Math.log10(Spectra.power(clean, 0, clean.length) / pn);
      assertEquals(snr, achieved, 0.1, kind + " at " + snr + " dB");
    }
  }

  @Test
  void gaussianHasKurtosisThreeAndLaplacianSix() {
    // Standard error of the sample kurtosis at n = 2^20: about 0.005 (Gaussian) and 0.05 (Laplace).
    assertEquals(3.0, kurtosis(Noise.generate(NoiseKind.WHITE_GAUSSIAN, LONG, 1)), 0.05);
    assertEquals(6.0, kurtosis(Noise.generate(NoiseKind.LAPLACIAN, LONG, 1)), 0.3);
  }

  @ParameterizedTest
  @EnumSource(NoiseKind.class)
  void generatedNoiseHasZeroMeanAndUnitPower(NoiseKind kind) {
    float[] x = Noise.generate(kind, LONG, 5);
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    // Pink noise has most power at low frequencies, so its sample mean wanders more.
    assertEquals(0, mean, kind == NoiseKind.PINK ? 0.05 : 0.01, "mean");
    assertEquals(1, Spectra.power(x, 0, x.length), 0.02, "power");
  }

  @Test
  void pinkNoiseFallsTenDecibelsPerDecadeAndWhiteIsFlat() {
    // Bins 4..1024 of 4,096-sample segments: about 2.4 decades, clear of the lowest (leaky) bins.
    double pink = Spectra.slopeDbPerDecade(Spectra.welch(Noise.generate(NoiseKind.PINK, LONG, 2), 4096), 4, 1024);
    double white = Spectra.slopeDbPerDecade(Spectra.welch(Noise.generate(NoiseKind.WHITE_GAUSSIAN, LONG, 2), 4096), 4, 1024);
    double laplace = Spectra.slopeDbPerDecade(Spectra.welch(Noise.generate(NoiseKind.LAPLACIAN, LONG, 2), 4096), 4, 1024);
    assertEquals(-10, pink, 1.5, "pink slope in dB/decade");
    assertEquals(0, white, 1.0, "white slope in dB/decade");
    assertEquals(0, laplace, 1.0, "Laplacian slope in dB/decade");
    System.out.printf("noise spectra (dB/decade): pink %.2f, white %.2f, laplacian %.2f%n", pink, white, laplace);
  }

  @Test
  void shortPinkExamplesAreStillPink() {
    // Per-example noise on 2,048-sample windows, averaged over many examples.
    var noise = new Noise(NoiseKind.PINK);
    var rng = new SeededRandom(9);
    float[] x = new float[2048];
    double[] acc = null;
    for (int e = 0; e < 200; e++) {
      noise.fill(x, 0, x.length, rng);
      double[] p = Spectra.welch(x, 512);
      if (acc == null) {
        acc = p;
      } else {
        for (int k = 0; k < p.length; k++) {
          acc[k] += p[k];
        }
      }
    }
    assertEquals(-10, Spectra.slopeDbPerDecade(acc, 4, 128), 1.5);
  }

  @Test
  void noisyCopyGivesEveryExampleItsOwnSnrAndFreshNoise() {
    // Two identical examples plus a louder one: each must reach the SNR relative to its own power.
    float[] sig = bearingSignal(4096);
    float[] data = new float[3 * 4096];
    System.arraycopy(sig, 0, data, 0, 4096);
    System.arraycopy(sig, 0, data, 4096, 4096);
    for (int i = 0; i < 4096; i++) {
      data[2 * 4096 + i] = 10 * sig[i];
    }
    var ds = Dataset.of(data, new int[] {0, 0, 1}, new int[] {1, 4096}, List.of("a", "b"));
    for (NoiseKind kind : NoiseKind.values()) {
      Dataset noisy = Noise.addToCopy(ds, kind, -2, 77);
      float[][] diff = new float[3][4096];
      for (int e = 0; e < 3; e++) {
        float[] a = ds.example(e);
        float[] b = noisy.example(e);
        for (int i = 0; i < 4096; i++) {
          diff[e][i] = b[i] - a[i];
        }
        double snr = 10 * Math.log10(Spectra.power(a, 0, 4096) / Spectra.power(diff[e], 0, 4096));
        assertEquals(-2, snr, 0.1, kind + " example " + e);
      }
      assertFalse(Arrays.equals(diff[0], diff[1]), "identical examples must get different noise");
      assertArrayEquals(noisy.example(0), Noise.addToCopy(ds, kind, -2, 77).example(0), "same seed, same copy");
      assertFalse(Arrays.equals(noisy.example(0), Noise.addToCopy(ds, kind, -2, 78).example(0)), "another seed");
      assertArrayEquals(ds.labels(), noisy.labels());
    }
  }

  @Test
  void silentExamplesStayUnchangedAndBadArgumentsAreRejected() {
    float[] zeros = new float[64];
    new Noise(NoiseKind.WHITE_GAUSSIAN).addAtSnr(zeros, 0, 64, 64, 0, new SeededRandom(1));
    assertArrayEquals(new float[64], zeros);
    var n = new Noise(NoiseKind.LAPLACIAN);
    float[] x = new float[64];
    var e = assertThrows(IllegalArgumentException.class, () -> n.addAtSnr(x, 0, 64, 64, Double.NaN, new SeededRandom(1)));
    assertTrue(e.getMessage().contains("SNR"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> n.addAtSnr(x, 10, 64, 64, 0, new SeededRandom(1)));
    assertTrue(e.getMessage().contains("offset 10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> n.addAtSnr(x, 0, 64, 30, 0, new SeededRandom(1)));
    assertTrue(e.getMessage().contains("row length 30"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Noise(null));
  }

  private static double kurtosis(float[] x) {
    double m = 0;
    for (float v : x) {
      m += v;
    }
    m /= x.length;
    double m2 = 0;
    double m4 = 0;
    for (float v : x) {
      double d = v - m;
      m2 += d * d;
      m4 += d * d * d * d;
    }
    m2 /= x.length;
    m4 /= x.length;
    return m4 / (m2 * m2);
  }
}
