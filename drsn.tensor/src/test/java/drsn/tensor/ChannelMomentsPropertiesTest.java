package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import drsn.tensor.internal.DeviationSpans;
import drsn.tensor.internal.FloatPair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batch norm's statistics take both deviation sums in one pass ({@link DeviationSpans}): bit for
 * bit the two separate reductions, on each provider, for every span length up to three vectors
 * plus a tail (data with a large mean, where the deviations matter); on the scalar kernels
 * channelMeanVariance gives the bits of the two-call algorithm (run through a Reductions that only
 * has the public primitives), on the SIMD kernels (rows summed together) the double-precision
 * statistics within a tolerance.
 */
class ChannelMomentsPropertiesTest {

  private static final int EXAMPLES = 200;
  private static final int MAX_L = 3 * KernelPairs.lanes() + 9;

  private static List<KernelProvider> providers() {
    List<KernelProvider> all = new ArrayList<>();
    all.add(KernelProvider.scalar());
    KernelProvider.simd().ifPresent(all::add);
    return all;
  }

  /** The provider's reductions without the fused span kernel, so the default algorithm makes two calls. */
  private record Unfused(Reductions r) implements Reductions {
    public float sum(float[] x, int off, int len) {
      return r.sum(x, off, len);
    }

    public float sumAbs(float[] x, int off, int len) {
      return r.sumAbs(x, off, len);
    }

    public float sumDeviations(float[] x, int off, int len, float mean) {
      return r.sumDeviations(x, off, len, mean);
    }

    public float sumSquaredDeviations(float[] x, int off, int len, float mean) {
      return r.sumSquaredDeviations(x, off, len, mean);
    }

    public float dot(float[] x, int xOff, float[] y, int yOff, int len) {
      return r.dot(x, xOff, y, yOff, len);
    }

    public float max(float[] x, int off, int len) {
      return r.max(x, off, len);
    }

    public int argmax(float[] x, int off, int len) {
      return r.argmax(x, off, len);
    }
  }

  private static float[] data(long seed, int size) {
    SplittableRandom r = new SplittableRandom(seed);
    float offset = (float) r.nextDouble(-100, 100);
    float[] x = KernelPairs.gaussian(r, size, r.nextDouble(0.01, 3));
    for (int i = 0; i < size; i++) {
      x[i] += offset;
    }
    return x;
  }

  @Test
  void oneDeviationPassIsTheTwoReductionsBitForBit() {
    qt().withExamples(EXAMPLES).forAll(integers().between(0, MAX_L), integers().between(0, 5), longs().all())
        .checkAssert((len, off, seed) -> {
          float[] x = data(seed, off + len);
          float mean = len == 0 ? 0f : x[off + len / 2];
          for (KernelProvider p : providers()) {
            Reductions red = p.reductions();
            assertTrue(red instanceof DeviationSpans, p.name() + " reductions take the deviation sums in one pass");
            long both = ((DeviationSpans) red).sumDeviationsAndSquares(x, off, len, mean);
            assertEquals(Float.floatToRawIntBits(red.sumDeviations(x, off, len, mean)),
                Float.floatToRawIntBits(FloatPair.first(both)), p.name() + " Σ(x − m), len " + len);
            assertEquals(Float.floatToRawIntBits(red.sumSquaredDeviations(x, off, len, mean)),
                Float.floatToRawIntBits(FloatPair.second(both)), p.name() + " Σ(x − m)², len " + len);
          }
        });
  }

  /**
   * The scalar kernels' channel statistics are the two-call algorithm's bits (per row, rows added
   * in double); the SIMD kernels sum a channel's rows into one set of vector accumulators (a
   * different order, see {@code PanamaReductions.channelMeanVariance}), so they are held to the
   * statistics of the same floats computed in double: the mean within 2⁻²⁰ of |mean| + std, the
   * variance within 10⁻⁴ relative, and the same bits on every call.
   */
  @Test
  void channelStatisticsAreTheTwoPassAlgorithmsBitsOnScalarAndCloseOnSimd() {
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 3), integers().between(1, 3),
        integers().between(1, MAX_L), longs().all()).checkAssert((n, c, l, seed) -> {
          float[] x = data(seed, n * c * l);
          for (KernelProvider p : providers()) {
            float[][] mean = new float[3][c];
            float[][] var = new float[3][c];
            p.reductions().channelMeanVariance(n, c, l, x, 0, mean[0], 0, var[0], 0);
            new Unfused(p.reductions()).channelMeanVariance(n, c, l, x, 0, mean[1], 0, var[1], 0);
            p.reductions().channelMeanVariance(n, c, l, x, 0, mean[2], 0, var[2], 0);
            for (int ch = 0; ch < c; ch++) {
              assertEquals(Float.floatToRawIntBits(mean[0][ch]), Float.floatToRawIntBits(mean[2][ch]), "mean again");
              assertEquals(Float.floatToRawIntBits(var[0][ch]), Float.floatToRawIntBits(var[2][ch]), "variance again");
              if (p.name().startsWith("scalar")) {
                assertEquals(Float.floatToRawIntBits(mean[1][ch]), Float.floatToRawIntBits(mean[0][ch]), "mean");
                assertEquals(Float.floatToRawIntBits(var[1][ch]), Float.floatToRawIntBits(var[0][ch]), "variance");
              } else {
                double[] ref = exactMoments(x, n, c, l, ch);
                double tolMean = 0x1p-20 * (Math.abs(ref[0]) + Math.sqrt(ref[1]));
                assertEquals(ref[0], mean[0][ch], tolMean, p.name() + " mean, n=" + n + " c=" + c + " l=" + l);
                assertEquals(ref[1], var[0][ch], 1e-4 * ref[1] + 1e-30, p.name() + " variance, n=" + n + " l=" + l);
              }
            }
          }
        });
  }

  /** Mean and biased variance of channel ch of the floats x [n, c, l], two passes in double. */
  private static double[] exactMoments(float[] x, int n, int c, int l, int ch) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < l; j++) {
        s += x[(i * c + ch) * l + j];
      }
    }
    double mean = s / ((double) n * l);
    double q = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < l; j++) {
        double d = x[(i * c + ch) * l + j] - mean;
        q += d * d;
      }
    }
    return new double[] {mean, q / ((double) n * l)};
  }
}
