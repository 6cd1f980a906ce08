package drsn.bench;

import drsn.data.BearingCondition;
import drsn.data.CwruDataset;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import drsn.data.SyntheticBearing;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the built-in synthetic bearing data compares with CWRU (issue 17): per class of the clean
 * windows the RMS, kurtosis, crest factor and the share of power in four frequency bands; then, on
 * the noisy windows (white Gaussian at {@code --snr}, the demo's and the grid's noise seeds), the
 * accuracy of a nearest-centroid classifier on 32 standardised log band energies — how much of the
 * task stationary spectral energy alone solves, with no impulses, thresholds or learning.
 *
 * <pre>
 *   drsn.bench/experiment.sh DataCharacteristics --snr -4
 * </pre>
 */
public final class DataCharacteristics {

  static final String USAGE = "DataCharacteristics [--data ../shared/data/cwru] [--snr -4] [--seeds 3]";
  private static final double SAMPLE_RATE = 12_000;
  private static final int BANDS = 32;

  private DataCharacteristics() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = ExperimentSupport.options(args, List.of("data", "snr", "seeds"), USAGE);
    Path data = Path.of(opt.getOrDefault("data", "../shared/data/cwru"));
    double snr = Double.parseDouble(opt.getOrDefault("snr", "-4"));
    int seeds = Integer.parseInt(opt.getOrDefault("seeds", "3"));
    DatasetSplit cwru = CwruDataset.load(data, CwruDataset.DEFAULT_TRAIN_FRACTION, CwruDataset.DEFAULT_WINDOW,
        CwruDataset.DEFAULT_TRAIN_STRIDE, CwruDataset.DEFAULT_TEST_STRIDE);
    describe("synthetic (drsn demo --seed 42), clean", synthetic(42).train());
    describe("CWRU training windows, clean", cwru.train());
    for (int k = 0; k < seeds; k++) {
      long seed = 42 + k;
      DatasetSplit clean = synthetic(seed);
      nearestCentroid("synthetic, demo seed " + seed,
          Noise.addToCopy(clean.train(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 1),
          Noise.addToCopy(clean.test(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 2));
    }
    for (int s = 1; s <= seeds; s++) {
      DatasetSplit noisy = ExperimentSupport.noisyCopy(cwru, NoiseKind.WHITE_GAUSSIAN, snr, s);
      nearestCentroid("CWRU, grid seed " + s, noisy.train(), noisy.test());
    }
  }

  /** The demo's data for {@code drsn demo --seed seed}: 200 windows per class, split 80/20. */
  static DatasetSplit synthetic(long seed) {
    return SyntheticBearing.builder().examplesPerClass(200).windowLength(2048).classes(BearingCondition.standard(3))
        .seed(seed).build().generate().stratifiedSplit(0.8, seed);
  }

  static void describe(String name, Dataset d) {
    System.out.printf(Locale.ROOT, "%s%n| class | RMS | kurtosis | crest factor | power < 1 kHz / 1–2.5 / 2.5–4 / > 4 kHz |%n"
        + "|---|---:|---:|---:|---|%n", name);
    int n = d.exampleSize();
    for (int c = 0; c < d.numClasses(); c++) {
      double rms = 0;
      double kurtosis = 0;
      double crest = 0;
      double[] share = new double[4];
      int count = 0;
      for (int i = 0; i < d.size(); i++) {
        if (d.label(i) != c) {
          continue;
        }
        float[] x = d.example(i);
        count++;
        double mean = 0;
        for (float v : x) {
          mean += v;
        }
        mean /= n;
        double m2 = 0;
        double m4 = 0;
        double peak = 0;
        for (float v : x) {
          double e = v - mean;
          m2 += e * e;
          m4 += e * e * e * e;
          peak = Math.max(peak, Math.abs(e));
        }
        m2 /= n;
        m4 /= n;
        rms += Math.sqrt(m2);
        kurtosis += m4 / (m2 * m2);
        crest += peak / Math.sqrt(m2);
        double[] p = power(x);
        double total = 0;
        double[] band = new double[4];
        for (int k = 1; k < p.length; k++) {
          double f = k * SAMPLE_RATE / n;
          band[f < 1000 ? 0 : f < 2500 ? 1 : f < 4000 ? 2 : 3] += p[k];
          total += p[k];
        }
        for (int b = 0; b < 4; b++) {
          share[b] += band[b] / total;
        }
      }
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.1f | %.1f | %.2f / %.2f / %.2f / %.2f |%n", d.classNames().get(c),
          rms / count, kurtosis / count, crest / count, share[0] / count, share[1] / count, share[2] / count,
          share[3] / count);
    }
  }

  /** Nearest class centroid on standardised log band energies, fitted on train, scored on test. */
  static void nearestCentroid(String name, Dataset train, Dataset test) {
    int classes = train.numClasses();
    double[][] features = new double[train.size()][];
    double[] mu = new double[BANDS];
    double[] sd = new double[BANDS];
    for (int i = 0; i < train.size(); i++) {
      features[i] = bandEnergies(train.example(i));
      for (int b = 0; b < BANDS; b++) {
        mu[b] += features[i][b] / train.size();
      }
    }
    for (double[] f : features) {
      for (int b = 0; b < BANDS; b++) {
        sd[b] += (f[b] - mu[b]) * (f[b] - mu[b]) / train.size();
      }
    }
    double[][] centroid = new double[classes][BANDS];
    int[] count = new int[classes];
    for (int i = 0; i < train.size(); i++) {
      count[train.label(i)]++;
      for (int b = 0; b < BANDS; b++) {
        centroid[train.label(i)][b] += (features[i][b] - mu[b]) / Math.sqrt(sd[b]);
      }
    }
    int[] right = new int[classes];
    int[] support = new int[classes];
    for (int i = 0; i < test.size(); i++) {
      double[] f = bandEnergies(test.example(i));
      int best = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double dist = 0;
        for (int b = 0; b < BANDS; b++) {
          double e = (f[b] - mu[b]) / Math.sqrt(sd[b]) - centroid[c][b] / count[c];
          dist += e * e;
        }
        if (dist < bestDistance) {
          bestDistance = dist;
          best = c;
        }
      }
      support[test.label(i)]++;
      right[test.label(i)] += best == test.label(i) ? 1 : 0;
    }
    StringBuilder recall = new StringBuilder();
    int total = 0;
    for (int c = 0; c < classes; c++) {
      total += right[c];
      recall.append(String.format(Locale.ROOT, " %s %.0f", test.classNames().get(c), 100.0 * right[c] / support[c]));
    }
    System.out.printf(Locale.ROOT, "%s: nearest centroid on %d log band energies %.1f %%; recall %%:%s%n", name, BANDS,
        100.0 * total / test.size(), recall);
  }

  static double[] bandEnergies(float[] x) {
    double[] p = power(x);
    double[] e = new double[BANDS];
    for (int k = 1; k < p.length; k++) {
      e[k * BANDS / p.length] += p[k];
    }
    for (int b = 0; b < BANDS; b++) {
      e[b] = Math.log(e[b] + 1e-12);
    }
    return e;
  }

  /** Periodogram |X_k|² for k in [0, n/2) of a window whose length is a power of two (radix-2 FFT). */
  static double[] power(float[] x) {
    int n = x.length;
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0, j = 0; i < n; i++) {
      re[j] = x[i];
      int bit = n >> 1;
      while (bit > 0 && (j & bit) != 0) {
        j ^= bit;
        bit >>= 1;
      }
      j |= bit;
    }
    for (int len = 2; len <= n; len <<= 1) {
      double angle = -2 * Math.PI / len;
      for (int i = 0; i < n; i += len) {
        for (int k = 0; k < len / 2; k++) {
          double wr = Math.cos(angle * k);
          double wi = Math.sin(angle * k);
          int u = i + k;
          int v = u + len / 2;
          double xr = re[v] * wr - im[v] * wi;
          double xi = re[v] * wi + im[v] * wr;
          re[v] = re[u] - xr;
          im[v] = im[u] - xi;
          re[u] += xr;
          im[u] += xi;
        }
      }
    }
    double[] p = new double[n / 2];
    for (int k = 0; k < n / 2; k++) {
      p[k] = re[k] * re[k] + im[k] * im[k];
    }
    return p;
  }
}
