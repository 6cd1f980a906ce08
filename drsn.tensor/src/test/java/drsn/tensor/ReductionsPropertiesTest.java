package drsn.tensor;

import static drsn.tensor.KernelPairs.floatArrays;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the reductions, on the kernels this run selected (SIMD in one surefire run, scalar
 * in the other). Float tolerances follow ReductionsKernelTest: (len/lanes + 2·lanes + 8)·2⁻²³·Σ|terms|.
 */
class ReductionsPropertiesTest {

  private static final int EXAMPLES = 300;
  private static final Reductions K = KernelProvider.get().reductions();
  private static final int MAX_LEN = 3 * KernelPairs.lanes() + 40;

  private static Gen<float[]> xs(int min) {
    return floatArrays(floats().between(-100f, 100f), min, MAX_LEN);
  }

  private static double tol(int len, double sumAbs) {
    int lanes = KernelPairs.lanes();
    return (len / (double) lanes + 2 * lanes + 8) * 0x1p-23 * sumAbs + 1e-30;
  }

  private static double sumAbs(float[] x) {
    double s = 0;
    for (float v : x) {
      s += Math.abs(v);
    }
    return s;
  }

  /** sum(a·x + y) = a·sum(x) + sum(y), up to the rounding of the three sums and of a·x + y. */
  @Test
  void sumIsLinear() {
    qt().withExamples(EXAMPLES).forAll(xs(0), floats().between(-4f, 4f), integers().between(0, 1 << 20))
        .check((x, a, seed) -> {
          java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
          float[] y = KernelPairs.gaussian(r, x.length, 50.0);
          float[] z = new float[x.length];
          double zAbs = 0;
          for (int i = 0; i < x.length; i++) {
            z[i] = a * x[i] + y[i];
            zAbs += Math.abs(z[i]);
          }
          int n = x.length;
          double lhs = K.sum(z, 0, n);
          double rhs = (double) a * K.sum(x, 0, n) + K.sum(y, 0, n);
          double slack = tol(n, zAbs) + Math.abs(a) * tol(n, sumAbs(x)) + tol(n, sumAbs(y))
              + 0x1p-23 * (Math.abs(a) * sumAbs(x) + sumAbs(y));
          return Math.abs(lhs - rhs) <= slack;
        });
  }

  @Test
  void sumAbsBoundsTheAbsoluteSum() {
    qt().withExamples(EXAMPLES).forAll(xs(0)).check(x -> {
      double s = Math.abs(K.sum(x, 0, x.length));
      double a = K.sumAbs(x, 0, x.length);
      return a >= 0 && a + 2 * tol(x.length, sumAbs(x)) >= s;
    });
  }

  /**
   * A span's Σ|x| does not depend on where its array ends: the SIMD kernel loads a span shorter
   * than a vector as one masked vector where the array holds one, and sums it in scalar form where
   * the span ends the array; both must give the same bits, or a row's sum would depend on its
   * place in a batch.
   */
  @Test
  void sumAbsOfASpanDoesNotDependOnWhereItsArrayEnds() {
    qt().withExamples(EXAMPLES)
        .forAll(integers().between(0, 2 * KernelPairs.lanes() + 3), integers().between(0, 17), integers().between(0, 1 << 20))
        .check((len, off, seed) -> {
          java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
          float[] x = KernelPairs.gaussian(r, len, 50.0); // not small integers, whose sums are exact in any order
          float junk = (float) r.nextGaussian();
          float[] inside = new float[off + x.length + KernelPairs.lanes()];
          java.util.Arrays.fill(inside, junk);
          System.arraycopy(x, 0, inside, off, x.length);
          float alone = K.sumAbs(x, 0, x.length);
          float within = K.sumAbs(inside, off, x.length);
          return Float.floatToRawIntBits(alone) == Float.floatToRawIntBits(within);
        });
  }

  @Test
  void maxIsAtLeastEveryElementAndArgmaxPointsAtTheFirstMax() {
    qt().withExamples(EXAMPLES).forAll(xs(1)).check(x -> {
      float m = K.max(x, 0, x.length);
      int at = K.argmax(x, 0, x.length);
      for (int i = 0; i < x.length; i++) {
        if (x[i] > m || i < at && x[i] == m) {
          return false;
        }
      }
      return x[at] == m;
    });
  }

  /** Variance ≥ 0, and unchanged by an exactly representable shift (x on a 2⁻¹⁰ grid, integer shift). */
  @Test
  void varianceIsNonNegativeAndShiftInvariant() {
    Gen<float[]> grid = floatArrays(integers().between(-10240, 10240).map(k -> k / 1024f), 1, MAX_LEN);
    qt().withExamples(EXAMPLES).forAll(grid, integers().between(-1000, 1000)).check((x, shift) -> {
      float[] shifted = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        shifted[i] = x[i] + shift;
      }
      float[] m = new float[2];
      float[] v = new float[2];
      K.channelMeanVariance(1, 1, x.length, x, 0, m, 0, v, 0);
      K.channelMeanVariance(1, 1, x.length, shifted, 0, m, 1, v, 1);
      return v[0] >= 0 && v[1] >= 0 && Math.abs(v[0] - v[1]) <= 1e-5 * Math.max(v[0], 1e-3);
    });
  }

  @Test
  void batchNormMeanLiesWithinTheData() {
    qt().withExamples(EXAMPLES).forAll(xs(1), integers().between(1, 4)).check((x, n) -> {
      // View the data as [n, 1, l] where possible so that spans are combined too.
      int l = x.length / n;
      if (l == 0) {
        return true;
      }
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n * l; i++) {
        min = Math.min(min, x[i]);
        max = Math.max(max, x[i]);
      }
      float[] m = new float[1];
      float[] v = new float[1];
      K.channelMeanVariance(n, 1, l, x, 0, m, 0, v, 0);
      return m[0] >= min && m[0] <= max;
    });
  }
}
