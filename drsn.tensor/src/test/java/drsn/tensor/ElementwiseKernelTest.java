package drsn.tensor;

import static drsn.tensor.KernelPairs.lengths;
import static drsn.tensor.KernelPairs.sameBits;
import static drsn.tensor.KernelPairs.ulpDistance;
import static drsn.tensor.SoftThresholdKernelTest.assertMessage;
import static drsn.tensor.SoftThresholdKernelTest.providers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.KernelPairs.Span;
import drsn.tensor.internal.BatchNormSpans;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Elementwise kernels: scalar against definitions in double, SIMD against scalar, batch norm and
 * softmax with cross-entropy against definitions and finite differences, bad input.
 *
 * <p>Tolerances. The arithmetic kernels agree bit for bit between SIMD and scalar (same IEEE
 * operations per lane). Against double definitions: add, multiply, scale, shiftScale's multiply
 * and abs/ReLU are single roundings (exact in double, so results must equal the rounded double);
 * fused forms (axpy, affine) within 1 ulp (double rounding of the double reference), combine within
 * 1 ulp plus 1 ulp of its inner fma.
 * Sigmoid: scalar within 4 ulps of the double definition; SIMD (drsn's vectorised exp) within 4 ulps of
 * scalar. Softmax: see the methods below.
 */
class ElementwiseKernelTest {

  private static final float[] SPECIALS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};

  /** One elementwise kernel over three spans (a, b → out); unused spans are ignored. */
  private interface Op {
    void run(Elementwise k, Span a, Span b, Span out);
  }

  /** The definition of an op at one position, in double. */
  private interface Def {
    double at(float a, float b);
  }

  private record Case(String name, Op op, Def def, long ulps) {
  }

  private static final float ALPHA = -1.37f;
  private static final float BETA = 0.61f;
  private static final float GAMMA = 2.5f;

  /** Batch norm's fused span kernels, which both implementations provide internally. */
  private static BatchNormSpans spans(Elementwise k) {
    return (BatchNormSpans) k;
  }

  private static Case[] cases() {
    return new Case[] {
        new Case("add", (k, a, b, o) -> k.add(a.array(), a.off(), b.array(), b.off(), o.array(), o.off(), a.len()),
            (a, b) -> (double) a + b, 0),
        new Case("multiply", (k, a, b, o) -> k.multiply(a.array(), a.off(), b.array(), b.off(), o.array(), o.off(),
            a.len()), (a, b) -> (double) a * b, 0),
        new Case("scale", (k, a, b, o) -> k.scale(ALPHA, a.array(), a.off(), o.array(), o.off(), a.len()),
            (a, b) -> (double) ALPHA * a, 0),
        new Case("axpy", (k, a, b, o) -> {
          System.arraycopy(b.array(), b.off(), o.array(), o.off(), a.len());
          k.axpy(ALPHA, a.array(), a.off(), o.array(), o.off(), a.len());
        }, (a, b) -> (double) ALPHA * a + b, 1),
        new Case("affine", (k, a, b, o) -> k.affine(a.array(), a.off(), ALPHA, BETA, o.array(), o.off(), a.len()),
            (a, b) -> (double) a * ALPHA + BETA, 1),
        new Case("affineRelu", (k, a, b, o) -> k.affineRelu(a.array(), a.off(), ALPHA, BETA, o.array(), o.off(),
            a.len()), (a, b) -> {
              double v = (double) a * ALPHA + BETA;
              return Double.isNaN(v) ? Double.NaN : v > 0 ? v : 0;
            }, 1),
        new Case("shiftScale", (k, a, b, o) -> k.shiftScale(a.array(), a.off(), BETA, ALPHA, o.array(), o.off(),
            a.len()), (a, b) -> (double) (a - BETA) * ALPHA, 0),
        new Case("normalizeAffine.xhat", (k, a, b, o) -> spans(k).normalizeAffine(a.array(), a.off(), BETA, ALPHA,
            GAMMA, BETA, o.array(), o.off(), new float[a.len()], 0, a.len()),
            (a, b) -> (double) (a - BETA) * ALPHA, 0),
        new Case("normalizeAffine.y", (k, a, b, o) -> spans(k).normalizeAffine(a.array(), a.off(), BETA, ALPHA, GAMMA,
            BETA, new float[a.len()], 0, o.array(), o.off(), a.len()),
            (a, b) -> (double) ((a - BETA) * ALPHA) * GAMMA + BETA, 1),
        new Case("combine", (k, a, b, o) -> spans(k).combine(ALPHA, a.array(), a.off(), BETA, b.array(), b.off(), GAMMA,
            o.array(), o.off(), a.len()), (a, b) -> (double) ALPHA * a + (double) BETA * b + GAMMA, 1),
        new Case("abs", (k, a, b, o) -> k.abs(a.array(), a.off(), o.array(), o.off(), a.len()),
            (a, b) -> Math.abs((double) a), 0),
        new Case("absBackward", (k, a, b, o) -> k.absBackward(a.array(), a.off(), b.array(), b.off(), o.array(),
            o.off(), a.len()), (a, b) -> Double.isNaN(a) ? Double.NaN : a == 0 ? 0 : Math.signum(a) * b, 0),
        new Case("relu", (k, a, b, o) -> k.relu(a.array(), a.off(), o.array(), o.off(), a.len()),
            (a, b) -> Double.isNaN(a) ? Double.NaN : a > 0 ? a : 0, 0),
        new Case("reluBackward", (k, a, b, o) -> k.reluBackward(a.array(), a.off(), b.array(), b.off(), o.array(),
            o.off(), a.len()), (a, b) -> a > 0 ? b : 0, 0),
        new Case("sigmoidBackward", (k, a, b, o) -> k.sigmoidBackward(a.array(), a.off(), b.array(), b.off(),
            o.array(), o.off(), a.len()), (a, b) -> (double) b * a * (1.0 - a), 3),
        new Case("sigmoid", (k, a, b, o) -> k.sigmoid(a.array(), a.off(), o.array(), o.off(), a.len()),
            (a, b) -> 1.0 / (1.0 + Math.exp(-(double) a)), 4),
    };
  }

  private static Span input(SplittableRandom r, int len, boolean specials) {
    Span s = KernelPairs.span(r, len, 4.0);
    if (specials) {
      for (int i = 0; i < len; i++) {
        if (r.nextInt(5) == 0) {
          s.array()[s.off() + i] = SPECIALS[r.nextInt(SPECIALS.length)];
        }
      }
    }
    return s;
  }

  @Test
  void scalarKernelsMatchTheirDefinitions() {
    Elementwise k = KernelPairs.scalar().elementwise();
    SplittableRandom r = new SplittableRandom(31);
    for (Case c : cases()) {
      for (int len : lengths()) {
        Span a = input(r, len, false);
        Span b = input(r, len, false);
        if (c.name().equals("sigmoidBackward")) {
          for (int i = 0; i < len; i++) {
            a.array()[a.off() + i] = (float) r.nextDouble();
          }
        }
        Span o = KernelPairs.out(r, len);
        c.op().run(k, a, b, o);
        for (int i = 0; i < len; i++) {
          float want = (float) c.def().at(a.get(i), b.get(i));
          long d = ulpDistance(want, o.get(i));
          // combine rounds its inner fma(b, xhat, c) first: allow half an ulp of that on top.
          boolean ok = d <= c.ulps() || c.name().equals("combine")
              && Math.abs((double) want - o.get(i)) <= Math.ulp(want) + Math.ulp(BETA * b.get(i) + GAMMA);
          assertTrue(ok, c.name() + " len " + len + " at " + i + " (a=" + a.get(i) + ", b=" + b.get(i)
              + "): want " + want + ", got " + o.get(i) + " (" + d + " ulps)");
        }
        assertTrue(KernelPairs.untouchedOutside(o), c.name() + " wrote outside its output");
      }
    }
  }

  @Test
  void simdKernelsAgreeWithScalar() {
    Elementwise simd = KernelPairs.simd().elementwise();
    Elementwise scalar = KernelPairs.scalar().elementwise();
    SplittableRandom r = new SplittableRandom(32);
    for (Case c : cases()) {
      boolean sigmoid = c.name().equals("sigmoid");
      long allowed = sigmoid ? 4 : 0;
      for (int len : lengths()) {
        for (boolean specials : new boolean[] {false, true}) {
          Span a = input(r, len, specials);
          Span b = input(r, len, specials);
          Span oa = KernelPairs.out(r, len);
          Span ob = KernelPairs.out(r, len);
          c.op().run(simd, a, b, oa);
          c.op().run(scalar, a, b, ob);
          for (int i = 0; i < len; i++) {
            boolean ok = allowed == 0 ? sameBits(oa.get(i), ob.get(i)) : ulpDistance(oa.get(i), ob.get(i)) <= allowed;
            assertTrue(ok, c.name() + " len " + len + " at " + i + " (a=" + a.get(i) + ", b=" + b.get(i)
                + "): simd " + oa.get(i) + ", scalar " + ob.get(i));
          }
          assertTrue(KernelPairs.untouchedOutside(oa), c.name() + " (SIMD) wrote outside its output");
        }
      }
    }
  }

  /**
   * Sigmoid over the whole useful range, dense: the SIMD kernels' own exp against Math.exp. Stated tolerance: at
   * most 4 ulps between the SIMD and scalar sigmoid (measured: see the assertion message's maximum).
   */
  @Test
  void simdSigmoidStaysWithinFourUlpsOfScalarAcrossItsRange() {
    Elementwise simd = KernelPairs.simd().elementwise();
    Elementwise scalar = KernelPairs.scalar().elementwise();
    int n = 200_001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -100f + 200f * i / (n - 1);
    }
    float[] a = new float[n];
    float[] b = new float[n];
    simd.sigmoid(x, 0, a, 0, n);
    scalar.sigmoid(x, 0, b, 0, n);
    long worst = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, ulpDistance(a[i], b[i]));
      assertTrue(a[i] >= 0f && a[i] <= 1f, "sigmoid out of [0, 1] at " + x[i]);
    }
    assertTrue(worst <= 4, "worst ulp distance " + worst);
  }

  private static double[] softmaxReference(float[] x, int off, int len) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < len; i++) {
      m = Math.max(m, x[off + i]);
    }
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += Math.exp(x[off + i] - m);
    }
    double[] out = new double[len + 1];
    for (int i = 0; i < len; i++) {
      out[i] = Math.exp(x[off + i] - m) / s;
    }
    out[len] = m + Math.log(s);
    return out;
  }

  /**
   * Softmax against the double definition. Both kernels round x − max to float before exp, which
   * costs up to |x − max|·2⁻²⁴ relative in exp(x − max); on top come the exp, sum and reciprocal
   * roundings. Tolerance for p_i, relative: (|x_i − max| + max_j |x_j − max|)·2⁻²³ +
   * (len/lanes + 2·lanes + 16)·2⁻²³; the log-sum-exp within the second term plus max_j|x_j − max|·2⁻²³,
   * absolutely.
   */
  @Test
  void softmaxMatchesTheDefinitionOnBothPaths() {
    SplittableRandom r = new SplittableRandom(33);
    int lanes = KernelPairs.lanes();
    for (KernelProvider p : providers()) {
      Elementwise k = p.elementwise();
      for (int len : lengths()) {
        if (len == 0) {
          continue;
        }
        Span x = KernelPairs.span(r, len, 5.0);
        Span out = KernelPairs.out(r, len);
        double lse = k.softmax(x.array(), x.off(), out.array(), out.off(), len);
        double[] ref = softmaxReference(x.array(), x.off(), len);
        double base = (len / (double) lanes + 2 * lanes + 16) * 0x1p-23;
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
          m = Math.max(m, x.get(i));
        }
        double spread = 0;
        for (int i = 0; i < len; i++) {
          spread = Math.max(spread, m - (double) x.get(i));
        }
        for (int i = 0; i < len; i++) {
          double rel = base + (m - (double) x.get(i) + spread) * 0x1p-23;
          assertEquals(ref[i], out.get(i), rel * ref[i] + 1e-38, p.name() + " p, len " + len + " at " + i);
        }
        assertEquals(ref[len], lse, base * Math.max(1, Math.abs(ref[len])) + spread * 0x1p-23,
            p.name() + " lse, len " + len);
        assertTrue(KernelPairs.untouchedOutside(out));
      }
    }
  }

  @Test
  void batchNormForwardMatchesTheDefinition() {
    SplittableRandom r = new SplittableRandom(36);
    int n = 4;
    int c = 3;
    int l = 29;
    float eps = 1e-5f;
    for (KernelProvider p : providers()) {
      float[] x = KernelPairs.gaussian(r, n * c * l, 2.0);
      for (int i = 0; i < x.length; i++) {
        x[i] += 5f * ((i / l) % c);
      }
      float[] mean = new float[c];
      float[] var = new float[c];
      p.reductions().channelMeanVariance(n, c, l, x, 0, mean, 0, var, 0);
      float[] invStd = new float[c];
      for (int ch = 0; ch < c; ch++) {
        invStd[ch] = (float) (1 / Math.sqrt(var[ch] + eps));
      }
      float[] gamma = {1.5f, -0.5f, 2f};
      float[] beta = {0.1f, 0.2f, -3f};
      float[] xhat = new float[x.length];
      float[] y = new float[x.length];
      p.elementwise().batchNormForward(n, c, l, x, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, xhat, 0, y, 0);
      for (int i = 0; i < n; i++) {
        for (int ch = 0; ch < c; ch++) {
          for (int j = 0; j < l; j++) {
            int at = (i * c + ch) * l + j;
            double xh = ((double) x[at] - mean[ch]) * invStd[ch];
            assertEquals(xh, xhat[at], 1e-6 * Math.max(1, Math.abs(xh)), p.name() + " xhat");
            assertEquals(gamma[ch] * xh + beta[ch], y[at], 1e-5 * Math.max(1, Math.abs(y[at])), p.name() + " y");
          }
        }
      }
    }
  }

  /**
   * Batch-norm backward in training mode, against central finite differences of
   * L(x, γ, β) = Σ w·BN(x) with the batch statistics recomputed from x by the kernels themselves.
   */
  @Test
  void batchNormBackwardMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(37);
    int n = 3;
    int c = 2;
    int l = 5;
    int size = n * c * l;
    for (KernelProvider p : providers()) {
      float[] x = KernelPairs.gaussian(r, size, 1.0);
      float[] w = KernelPairs.gaussian(r, size, 1.0);
      float[] gamma = {1.3f, -0.7f};
      float[] beta = {0.2f, 0.5f};
      float[] xhat = new float[size];
      float[] invStd = new float[c];
      forwardLoss(p, n, c, l, x, gamma, beta, w, xhat, invStd);
      float[] dx = new float[size];
      float[] dgamma = {10f, 20f};
      float[] dbeta = {30f, 40f};
      p.elementwise().batchNormBackward(n, c, l, w, 0, xhat, 0, gamma, 0, invStd, 0, dx, 0, dgamma, 0, dbeta, 0);
      float h = 1e-2f;
      for (int i = 0; i < size; i++) {
        float[] plus = x.clone();
        float[] minus = x.clone();
        plus[i] += h;
        minus[i] -= h;
        double fd = (forwardLoss(p, n, c, l, plus, gamma, beta, w, new float[size], new float[c])
            - forwardLoss(p, n, c, l, minus, gamma, beta, w, new float[size], new float[c])) / (plus[i] - (double) minus[i]);
        assertEquals(fd, dx[i], 2e-3 * Math.max(1, Math.abs(fd)), p.name() + " dx[" + i + "]");
      }
      for (int ch = 0; ch < c; ch++) {
        float[] gp = gamma.clone();
        float[] gm = gamma.clone();
        gp[ch] += h;
        gm[ch] -= h;
        double fdGamma = (forwardLoss(p, n, c, l, x, gp, beta, w, new float[size], new float[c])
            - forwardLoss(p, n, c, l, x, gm, beta, w, new float[size], new float[c])) / (gp[ch] - (double) gm[ch]);
        float[] bp = beta.clone();
        float[] bm = beta.clone();
        bp[ch] += h;
        bm[ch] -= h;
        double fdBeta = (forwardLoss(p, n, c, l, x, gamma, bp, w, new float[size], new float[c])
            - forwardLoss(p, n, c, l, x, gamma, bm, w, new float[size], new float[c])) / (bp[ch] - (double) bm[ch]);
        // The kernel adds into dgamma and dbeta, which started at 10·(ch+1) and 30 + 10·ch.
        assertEquals(fdGamma, dgamma[ch] - 10f * (ch + 1), 2e-3 * Math.max(1, Math.abs(fdGamma)), p.name() + " dgamma");
        assertEquals(fdBeta, dbeta[ch] - (30f + 10f * ch), 2e-3 * Math.max(1, Math.abs(fdBeta)), p.name() + " dbeta");
      }
    }
  }

  private static double forwardLoss(KernelProvider p, int n, int c, int l, float[] x, float[] gamma, float[] beta,
                                    float[] w, float[] xhat, float[] invStd) {
    float[] mean = new float[c];
    float[] var = new float[c];
    p.reductions().channelMeanVariance(n, c, l, x, 0, mean, 0, var, 0);
    for (int ch = 0; ch < c; ch++) {
      invStd[ch] = (float) (1 / Math.sqrt(var[ch] + 1e-5));
    }
    float[] y = new float[x.length];
    p.elementwise().batchNormForward(n, c, l, x, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, xhat, 0, y, 0);
    double loss = 0;
    for (int i = 0; i < y.length; i++) {
      loss += (double) w[i] * y[i];
    }
    return loss;
  }

  /**
   * SIMD against scalar on the batched batch-norm forms: forward bit for bit; backward's dgamma,
   * dbeta (float sums) and dx (built from them) within 1e-5 relative to the size of their terms.
   */
  @Test
  void simdBatchNormAgreesWithScalar() {
    Elementwise simd = KernelPairs.simd().elementwise();
    Elementwise scalar = KernelPairs.scalar().elementwise();
    SplittableRandom r = new SplittableRandom(38);
    for (int[] shape : new int[][] {{1, 1, 1}, {2, 3, 17}, {4, 8, 128}, {3, 2, 3 * KernelPairs.lanes() + 1}}) {
      int n = shape[0];
      int c = shape[1];
      int l = shape[2];
      int size = n * c * l;
      float[] x = KernelPairs.gaussian(r, size, 1.5);
      float[] dy = KernelPairs.gaussian(r, size, 1.0);
      float[] mean = KernelPairs.gaussian(r, c, 0.3);
      float[] invStd = new float[c];
      float[] gamma = KernelPairs.gaussian(r, c, 1.0);
      float[] beta = KernelPairs.gaussian(r, c, 1.0);
      for (int ch = 0; ch < c; ch++) {
        invStd[ch] = (float) r.nextDouble(0.5, 2);
      }
      float[][] xhat = new float[2][size];
      float[][] y = new float[2][size];
      float[][] dx = new float[2][size];
      float[][] dgamma = new float[2][c];
      float[][] dbeta = new float[2][c];
      Elementwise[] both = {simd, scalar};
      for (int v = 0; v < 2; v++) {
        both[v].batchNormForward(n, c, l, x, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, xhat[v], 0, y[v], 0);
        both[v].batchNormBackward(n, c, l, dy, 0, xhat[v], 0, gamma, 0, invStd, 0, dx[v], 0, dgamma[v], 0, dbeta[v], 0);
      }
      assertArrayEquals(xhat[1], xhat[0], "xhat");
      assertArrayEquals(y[1], y[0], "y");
      for (int ch = 0; ch < c; ch++) {
        assertEquals(dgamma[1][ch], dgamma[0][ch], 1e-5 * n * l, "dgamma");
        assertEquals(dbeta[1][ch], dbeta[0][ch], 1e-5 * n * l, "dbeta");
      }
      for (int i = 0; i < size; i++) {
        assertEquals(dx[1][i], dx[0][i], 1e-5 * Math.max(1, Math.abs(dx[1][i])), "dx at " + i);
      }
    }
  }

  @Test
  void nanPropagatesAsDocumented() {
    float nan = Float.NaN;
    for (KernelProvider p : providers()) {
      Elementwise k = p.elementwise();
      float[] x = {nan, 1f, -2f, 0f};
      float[] out = new float[4];
      k.relu(x, 0, out, 0, 4);
      assertTrue(Float.isNaN(out[0]));
      k.reluBackward(x, 0, new float[] {5f, 5f, 5f, 5f}, 0, out, 0, 4);
      assertArrayEquals(new float[] {0f, 5f, 0f, 0f}, out, p.name());
      k.absBackward(x, 0, new float[] {5f, nan, 5f, nan}, 0, out, 0, 4);
      assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[1]), p.name());
      assertEquals(-5f, out[2]);
      assertEquals(0f, out[3], "sign(0)·NaN is 0 by definition");
      k.sigmoid(x, 0, out, 0, 4);
      assertTrue(Float.isNaN(out[0]));
      float[] probs = new float[4];
      k.softmaxRows(2, 2, x, 0, probs, 0);
      assertTrue(Float.isNaN(probs[0]) && Float.isNaN(probs[1]), p.name());
      assertTrue(!Float.isNaN(probs[2]) && !Float.isNaN(probs[3]), "a NaN stays in its row");
    }
  }

  @Test
  void badInputIsRejectedWithAMessageNamingExpectedAndGiven() {
    for (KernelProvider p : providers()) {
      Elementwise k = p.elementwise();
      float[] a = new float[8];
      assertMessage(() -> k.add(a, 0, null, 0, a, 0, 8), "b must not be null");
      assertMessage(() -> k.multiply(a, 0, new float[7], 0, a, 0, 8), "b: expected 8 elements from offset 0, but the array has length 7");
      assertMessage(() -> k.axpy(1f, a, 4, a, 0, 5), "x: expected 5 elements from offset 4, but the array has length 8");
      assertMessage(() -> k.sigmoid(a, -3, a, 0, 2), "offset -3");
      assertMessage(() -> k.relu(a, 0, a, 0, -1), "got -1");
      assertMessage(() -> k.softmax(a, 0, a, 0, 0), "got 0");
      assertMessage(() -> k.softmaxRows(3, 3, a, 0, new float[9], 0), "input [n, k]: expected 9 elements");
      assertMessage(() -> k.batchNormForward(2, 2, 2, a, 0, a, 0, a, 0, new float[1], 0, a, 0, a, 0, a, 0),
          "gamma [c]: expected 2 elements from offset 0, but the array has length 1");
      assertMessage(() -> k.batchNormBackward(2, 2, 3, a, 0, a, 0, a, 0, a, 0, a, 0, a, 0, a, 0),
          "dy [n, c, l]: expected 12 elements");
    }
  }
}
