package drsn.train;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny networks and datasets that keep the training tests fast. */
final class TinyData {

  static final int LENGTH = 32;
  static final int CLASSES = 3;

  private TinyData() {
  }

  /** Stem + two stages of one unit each, widths 2 and 4, on 1×32 signals, 3 classes. */
  static Architecture arch(Family family) {
    return new Architecture(family, 1, 1, 1, LENGTH, List.of(2, 4), List.of(1, 1), 3, 2, 2, CLASSES,
        List.of("low", "mid", "high"), List.of(0f), List.of(1f), 2, false);
  }

  /**
   * n examples of 1×32: a sinusoid whose frequency depends on the class (1, 3 or 6 cycles per
   * window), random phase and amplitude, plus white noise of standard deviation noise.
   */
  static Dataset dataset(int n, double noise, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] data = new float[n * LENGTH];
    int[] labels = new int[n];
    int[] cycles = {1, 3, 6};
    for (int i = 0; i < n; i++) {
      int c = i % CLASSES;
      labels[i] = c;
      double phase = r.nextDouble(2 * Math.PI);
      double amp = r.nextDouble(0.5, 1.5);
      for (int t = 0; t < LENGTH; t++) {
        data[i * LENGTH + t] = (float) (amp * Math.sin(2 * Math.PI * cycles[c] * t / LENGTH + phase)
            + noise * r.nextGaussian());
      }
    }
    return Dataset.of(data, labels, new int[] {1, LENGTH}, List.of("low", "mid", "high"));
  }

  /** The examples of d in one array [n, exampleSize], as a training batch holds them. */
  static float[] inputs(Dataset d) {
    float[] x = new float[d.size() * d.exampleSize()];
    for (int i = 0; i < d.size(); i++) {
      d.copyExample(i, x, i * d.exampleSize());
    }
    return x;
  }
}
