package drsn.tensor;

import static drsn.tensor.KernelPairs.lengths;
import static drsn.tensor.SoftThresholdKernelTest.assertMessage;
import static drsn.tensor.SoftThresholdKernelTest.providers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.KernelPairs.Span;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Reductions: scalar against definitions in double, SIMD against scalar, batched forms and batch
 * norm statistics, bad input.
 *
 * <p>Tolerances. Scalar sums accumulate in double and round once: |got − exact| ≤ ulp(exact) +
 * 2⁻⁴⁰·Σ|terms| (double accumulation), or + 2⁻²³·Σ|terms| for the deviation sums, whose terms
 * x − mean are rounded to float first. SIMD sums accumulate in float: |simd − scalar| ≤ (len/lanes + 2·lanes + 8)·2⁻²³·Σ|terms|,
 * a bound on float summation error along the longest chain of additions with a factor 2 to spare.
 * max and argmax must agree exactly.
 */
class ReductionsKernelTest {

  private interface SpanSum {
    float apply(Reductions r, Span x, Span y, float mean);
  }

  private record Case(String name, SpanSum kernel, DoubleUnaryOperator term, boolean usesY) {
  }

  private static final float MEAN = 0.3f;

  private static Case[] cases() {
    return new Case[] {
        new Case("sum", (r, x, y, m) -> r.sum(x.array(), x.off(), x.len()), v -> v, false),
        new Case("sumAbs", (r, x, y, m) -> r.sumAbs(x.array(), x.off(), x.len()), Math::abs, false),
        new Case("sumDeviations", (r, x, y, m) -> r.sumDeviations(x.array(), x.off(), x.len(), m), v -> v - MEAN, false),
        new Case("sumSquaredDeviations", (r, x, y, m) -> r.sumSquaredDeviations(x.array(), x.off(), x.len(), m),
            v -> (v - MEAN) * (v - MEAN), false),
        new Case("dot", (r, x, y, m) -> r.dot(x.array(), x.off(), y.array(), y.off(), x.len()), null, true),
    };
  }

  /** Exact (double) value of the reduction and Σ|terms|. */
  private static double[] reference(Case c, Span x, Span y) {
    double s = 0;
    double abs = 0;
    for (int i = 0; i < x.len(); i++) {
      double t = c.usesY() ? (double) x.get(i) * y.get(i) : c.term().applyAsDouble(x.get(i));
      s += t;
      abs += Math.abs(t);
    }
    return new double[] {s, abs};
  }

  @Test
  void scalarSumsMatchTheirDefinitions() {
    Reductions k = KernelPairs.scalar().reductions();
    SplittableRandom r = new SplittableRandom(21);
    for (Case c : cases()) {
      for (int len : lengths()) {
        Span x = KernelPairs.span(r, len, 3.0);
        Span y = KernelPairs.span(r, len, 1.0);
        double[] ref = reference(c, x, y);
        float got = c.kernel().apply(k, x, y, MEAN);
        // The deviation kernels round x − mean to float before accumulating (as SIMD does).
        double termRounding = c.name().contains("Deviations") ? 0x1p-23 : 0x1p-40;
        double tol = Math.ulp((float) ref[0]) + termRounding * ref[1];
        assertEquals(ref[0], got, tol, c.name() + ", len " + len);
      }
    }
  }

  @Test
  void simdSumsAgreeWithScalar() {
    Reductions simd = KernelPairs.simd().reductions();
    Reductions scalar = KernelPairs.scalar().reductions();
    int lanes = KernelPairs.lanes();
    SplittableRandom r = new SplittableRandom(22);
    for (Case c : cases()) {
      for (int len : lengths()) {
        for (int rep = 0; rep < 3; rep++) {
          Span x = KernelPairs.span(r, len, 3.0);
          Span y = KernelPairs.span(r, len, 1.0);
          double abs = reference(c, x, y)[1];
          double tol = (len / (double) lanes + 2 * lanes + 8) * 0x1p-23 * abs;
          assertEquals(c.kernel().apply(scalar, x, y, MEAN), c.kernel().apply(simd, x, y, MEAN), tol,
              c.name() + ", len " + len);
        }
      }
    }
  }

  private static final float[] SPECIALS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.MAX_VALUE, -Float.MAX_VALUE, 7f};

  @Test
  void maxAndArgmaxAreExactOnBothPaths() {
    SplittableRandom r = new SplittableRandom(23);
    for (KernelProvider p : providers()) {
      Reductions k = p.reductions();
      for (int len : lengths()) {
        if (len == 0) {
          continue;
        }
        for (int rep = 0; rep < 6; rep++) {
          Span x = KernelPairs.span(r, len, 2.0);
          int specials = rep % 3 == 0 ? 0 : r.nextInt(1, 4);
          for (int j = 0; j < specials; j++) {
            x.array()[x.off() + r.nextInt(len)] = SPECIALS[r.nextInt(SPECIALS.length)];
          }
          if (rep == 5) {
            // All zeros of mixed sign: max is +0 when any +0 is present, and argmax the first zero.
            for (int i = 0; i < len; i++) {
              x.array()[x.off() + i] = r.nextBoolean() ? 0f : -0f;
            }
          }
          float want = Float.NEGATIVE_INFINITY;
          int wantAt = -1;
          int firstNan = -1;
          for (int i = 0; i < len; i++) {
            float v = x.get(i);
            if (Float.isNaN(v) && firstNan < 0) {
              firstNan = i;
            }
            want = Math.max(want, v);
          }
          for (int i = 0; i < len && wantAt < 0; i++) {
            if (x.get(i) == want) {
              wantAt = i;
            }
          }
          if (firstNan >= 0) {
            wantAt = firstNan;
          }
          float got = k.max(x.array(), x.off(), len);
          assertTrue(KernelPairs.sameBits(want, got), p.name() + " max, len " + len + ": want " + want + ", got " + got);
          assertEquals(wantAt, k.argmax(x.array(), x.off(), len), p.name() + " argmax, len " + len);
        }
      }
    }
  }

  @Test
  void argmaxRowsPicksEachRowsFirstMax() {
    SplittableRandom r = new SplittableRandom(27);
    for (KernelProvider p : providers()) {
      int n = 6;
      int k = 3 * KernelPairs.lanes() + 1;
      float[] x = KernelPairs.gaussian(r, 2 + n * k, 1.0);
      int[] out = new int[n + 1];
      p.reductions().argmaxRows(n, k, x, 2, out, 1);
      for (int row = 0; row < n; row++) {
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (x[2 + row * k + j] > x[2 + row * k + best]) {
            best = j;
          }
        }
        assertEquals(best, out[1 + row], p.name() + " row " + row);
      }
      assertMessage(() -> p.reductions().argmaxRows(2, 3, x, 0, new int[1], 0), "out [n]: expected 2 elements");
    }
  }

  @Test
  void spatialMeansMatchTheirDefinitions() {
    SplittableRandom r = new SplittableRandom(24);
    for (KernelProvider p : providers()) {
      Reductions k = p.reductions();
      for (int[] shape : new int[][] {{1, 1, 1}, {2, 3, 17}, {3, 4, 128}, {1, 2, 1000}}) {
        int n = shape[0];
        int c = shape[1];
        int l = shape[2];
        float[] x = KernelPairs.gaussian(r, 5 + n * c * l, 2.0);
        float[] mean = new float[n * c + 2];
        float[] meanAbs = new float[n * c + 2];
        k.spatialMean(n, c, l, x, 5, mean, 2);
        k.spatialMeanAbs(n, c, l, x, 5, meanAbs, 2);
        for (int s = 0; s < n * c; s++) {
          double sum = 0;
          double abs = 0;
          for (int j = 0; j < l; j++) {
            sum += x[5 + s * l + j];
            abs += Math.abs(x[5 + s * l + j]);
          }
          double tol = (l / 4.0 + 40) * 0x1p-23 * abs / l + 1e-12;
          assertEquals(sum / l, mean[2 + s], tol, p.name() + " spatialMean " + s);
          assertEquals(abs / l, meanAbs[2 + s], tol, p.name() + " spatialMeanAbs " + s);
        }
      }
    }
  }

  /** Two-pass statistics in double on the float data: the reference for batch-norm statistics. */
  private static double[][] channelStats(int n, int c, int l, float[] x) {
    double[][] out = new double[2][c];
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < l; j++) {
          s += x[(i * c + ch) * l + j];
        }
      }
      double m = s / (n * l);
      double q = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < l; j++) {
          double d = x[(i * c + ch) * l + j] - m;
          q += d * d;
        }
      }
      out[0][ch] = m;
      out[1][ch] = q / (n * l);
    }
    return out;
  }

  @Test
  void channelMeanVarianceIsStableForALargeMeanAndSmallVariance() {
    SplittableRandom r = new SplittableRandom(25);
    int n = 16;
    int c = 3;
    int l = 512;
    float[] x = new float[n * c * l];
    for (int i = 0; i < x.length; i++) {
      // 1e4 + N(0, 1e-2): the float grid near 1e4 is ~1e-3, so the data keep ~7 bits of spread.
      x[i] = (float) (1e4 + 0.1 * r.nextGaussian());
    }
    double[][] ref = channelStats(n, c, l, x);
    for (KernelProvider p : providers()) {
      float[] mean = new float[c];
      float[] var = new float[c];
      p.reductions().channelMeanVariance(n, c, l, x, 0, mean, 0, var, 0);
      for (int ch = 0; ch < c; ch++) {
        assertEquals(ref[0][ch], mean[ch], Math.ulp(1e4f), p.name() + " mean " + ch);
        assertEquals(ref[1][ch], var[ch], 1e-4 * ref[1][ch], p.name() + " variance " + ch);
      }
    }
  }

  @Test
  void channelMeanVarianceMatchesDoubleOnOrdinaryData() {
    SplittableRandom r = new SplittableRandom(26);
    for (KernelProvider p : providers()) {
      for (int[] shape : new int[][] {{1, 1, 1}, {4, 2, 33}, {8, 16, 128}, {2, 1, 4099}}) {
        int n = shape[0];
        int c = shape[1];
        int l = shape[2];
        float[] x = KernelPairs.gaussian(r, n * c * l, 3.0);
        double[][] ref = channelStats(n, c, l, x);
        float[] mean = new float[c + 1];
        float[] var = new float[c + 1];
        p.reductions().channelMeanVariance(n, c, l, x, 0, mean, 1, var, 1);
        for (int ch = 0; ch < c; ch++) {
          assertEquals(ref[0][ch], mean[1 + ch], 1e-5, p.name() + " mean " + ch);
          assertEquals(ref[1][ch], var[1 + ch], 1e-5 * Math.max(1, ref[1][ch]), p.name() + " variance " + ch);
        }
      }
    }
  }

  @Test
  void nanPropagatesAsDocumented() {
    for (KernelProvider p : providers()) {
      Reductions k = p.reductions();
      float[] x = new float[40];
      x[17] = Float.NaN;
      x[30] = Float.NaN;
      assertTrue(Float.isNaN(k.sum(x, 0, 40)));
      assertTrue(Float.isNaN(k.sumAbs(x, 0, 40)));
      assertTrue(Float.isNaN(k.dot(x, 0, new float[40], 0, 40)));
      assertTrue(Float.isNaN(k.max(x, 0, 40)));
      assertEquals(17, k.argmax(x, 0, 40));
      float[] mean = new float[2];
      float[] var = new float[2];
      // x as [1, 2, 20]: the NaNs are in channel 0 (17) and 1 (30); a third array keeps channel 1 clean.
      float[] y = x.clone();
      y[30] = 0f;
      k.channelMeanVariance(1, 2, 20, y, 0, mean, 0, var, 0);
      assertTrue(Float.isNaN(mean[0]) && Float.isNaN(var[0]), p.name());
      assertEquals(0f, mean[1]);
      assertEquals(0f, var[1]);
    }
  }

  @Test
  void badInputIsRejectedWithAMessageNamingExpectedAndGiven() {
    for (KernelProvider p : providers()) {
      Reductions k = p.reductions();
      float[] x = new float[10];
      assertMessage(() -> k.sum(null, 0, 1), "x must not be null");
      assertMessage(() -> k.sumAbs(x, 5, 6), "expected 6 elements from offset 5, but the array has length 10");
      assertMessage(() -> k.dot(x, 0, new float[4], 0, 5), "y: expected 5 elements from offset 0, but the array has length 4");
      assertMessage(() -> k.max(x, 0, 0), "got 0");
      assertMessage(() -> k.argmax(x, -1, 3), "offset -1");
      assertMessage(() -> k.sumSquaredDeviations(x, 0, -1, 0f), "got -1");
      assertMessage(() -> k.spatialMean(2, 2, 0, x, 0, x, 0), "l must be > 0, got 0");
      assertMessage(() -> k.spatialMeanAbs(2, 3, 2, x, 0, new float[6], 0), "x [n, c, l]: expected 12 elements");
      assertMessage(() -> k.spatialMean(1, 2, 5, x, 0, new float[1], 0), "out [n, c]: expected 2 elements");
      assertMessage(() -> k.channelMeanVariance(0, 2, 5, x, 0, x, 0, x, 0), "n·l >= 1");
      assertMessage(() -> k.channelMeanVariance(1, 2, 5, x, 0, new float[2], 0, new float[1], 0),
          "variance [c]: expected 2 elements");
    }
  }
}
