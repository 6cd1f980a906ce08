package drsn.tensor;

import static drsn.tensor.KernelPairs.lengths;
import static drsn.tensor.KernelPairs.sameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import drsn.tensor.KernelPairs.Span;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Soft thresholding: scalar against the definition in double, SIMD against scalar (forward and dx
 * bit for bit; ∂L/∂τ within the summation-order tolerance stated below), batched forms, bad input.
 */
class SoftThresholdKernelTest {

  private static final float[] SPECIALS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE, -Float.MIN_VALUE, 0.5f, -0.5f, 0.49999997f, -0.50000006f, Float.MAX_VALUE, -Float.MAX_VALUE};

  /** The definition, evaluated in double and rounded once: sign(x)·max(|x| − τ, 0). */
  private static float definition(float x, float tau) {
    if (Float.isNaN(x)) {
      return Float.NaN;
    }
    double shrunk = Math.abs((double) x) - tau;
    if (!(shrunk > 0)) {
      return 0f;
    }
    return (float) Math.copySign(shrunk, x);
  }

  private static Span withSpecials(SplittableRandom r, int len) {
    Span s = KernelPairs.span(r, len, 1.0);
    for (int i = 0; i < len; i++) {
      if (r.nextInt(4) == 0) {
        s.array()[s.off() + i] = SPECIALS[r.nextInt(SPECIALS.length)];
      }
    }
    return s;
  }

  @Test
  void scalarForwardMatchesTheDefinitionExactly() {
    SoftThreshold k = KernelPairs.scalar().softThreshold();
    SplittableRandom r = new SplittableRandom(11);
    for (float tau : new float[] {0f, 0.5f, 1e-30f, 3f, Float.MIN_VALUE, Float.POSITIVE_INFINITY}) {
      for (int len : lengths()) {
        Span x = withSpecials(r, len);
        Span y = KernelPairs.out(r, len);
        k.forward(x.array(), x.off(), y.array(), y.off(), len, tau);
        for (int i = 0; i < len; i++) {
          // x − τ is exact or rounds once in float exactly as the double result rounds to float,
          // since double holds x − τ exactly for floats of similar size; so equality is expected.
          float want = definition(x.get(i), tau);
          assertTrue(sameBits(want, y.get(i)),
              "x=" + x.get(i) + " tau=" + tau + ": want " + want + ", got " + y.get(i));
        }
        assertTrue(KernelPairs.untouchedOutside(y), "wrote outside the output span");
      }
    }
  }

  @Test
  void scalarBackwardMatchesTheDefinition() {
    SoftThreshold k = KernelPairs.scalar().softThreshold();
    SplittableRandom r = new SplittableRandom(12);
    for (int len : lengths()) {
      Span x = withSpecials(r, len);
      Span dy = KernelPairs.span(r, len, 2.0);
      Span dx = KernelPairs.out(r, len);
      float tau = 0.5f;
      float dtau = k.backward(x.array(), x.off(), dy.array(), dy.off(), dx.array(), dx.off(), len, tau);
      double want = 0;
      double abs = 0;
      for (int i = 0; i < len; i++) {
        float v = x.get(i);
        boolean pass = Math.abs(v) > tau;
        assertEquals(pass ? dy.get(i) : 0f, dx.get(i), "dx at " + i + " for x=" + v);
        if (pass) {
          want += -Math.signum(v) * dy.get(i);
          abs += Math.abs(dy.get(i));
        }
      }
      // The scalar kernel sums in double: only the final rounding to float remains.
      assertEquals(want, dtau, Math.ulp((float) want) + 1e-30 * abs, "dtau, len " + len);
    }
  }

  @Test
  void simdForwardIsBitIdenticalToScalar() {
    SoftThreshold simd = KernelPairs.simd().softThreshold();
    SoftThreshold scalar = KernelPairs.scalar().softThreshold();
    SplittableRandom r = new SplittableRandom(13);
    for (float tau : new float[] {0f, 0.5f, 1e-30f, 2f, Float.MIN_VALUE, Float.POSITIVE_INFINITY}) {
      for (int len : lengths()) {
        Span x = withSpecials(r, len);
        Span a = KernelPairs.out(r, len);
        Span b = KernelPairs.out(r, len);
        simd.forward(x.array(), x.off(), a.array(), a.off(), len, tau);
        scalar.forward(x.array(), x.off(), b.array(), b.off(), len, tau);
        for (int i = 0; i < len; i++) {
          assertTrue(sameBits(a.get(i), b.get(i)), "len " + len + " tau " + tau + " at " + i + " x=" + x.get(i)
              + ": simd " + a.get(i) + " scalar " + b.get(i));
        }
        assertTrue(KernelPairs.untouchedOutside(a), "SIMD wrote outside the output span");
      }
    }
  }

  /**
   * dx agrees bit for bit. ∂L/∂τ: the scalar twin sums in double, SIMD in float vector
   * accumulators; tolerance (len/lanes + 2·lanes + 8)·2⁻²³·Σ|dy| (a bound on float summation
   * error along the longest chain of additions, with a factor 2 to spare).
   */
  @Test
  void simdBackwardAgreesWithScalar() {
    SoftThreshold simd = KernelPairs.simd().softThreshold();
    SoftThreshold scalar = KernelPairs.scalar().softThreshold();
    SplittableRandom r = new SplittableRandom(14);
    int lanes = KernelPairs.lanes();
    for (int len : lengths()) {
      Span x = KernelPairs.span(r, len, 1.0);
      Span dy = KernelPairs.span(r, len, 1.0);
      Span a = KernelPairs.out(r, len);
      Span b = KernelPairs.out(r, len);
      float tau = 0.7f;
      float ta = simd.backward(x.array(), x.off(), dy.array(), dy.off(), a.array(), a.off(), len, tau);
      float tb = scalar.backward(x.array(), x.off(), dy.array(), dy.off(), b.array(), b.off(), len, tau);
      double sumAbs = 0;
      for (int i = 0; i < len; i++) {
        assertTrue(sameBits(a.get(i), b.get(i)), "dx at " + i);
        sumAbs += Math.abs(dy.get(i));
      }
      double tol = (len / (double) lanes + 2 * lanes + 8) * 0x1p-23 * sumAbs;
      assertEquals(tb, ta, tol, "dtau, len " + len);
      assertTrue(KernelPairs.untouchedOutside(a), "SIMD wrote outside dx");
    }
  }

  @Test
  void nanInXGivesNanOutZeroGradientAndNoThresholdGradient() {
    for (KernelProvider p : providers()) {
      SoftThreshold k = p.softThreshold();
      float[] x = {Float.NaN, 2f, Float.NaN};
      float[] y = new float[3];
      k.forward(x, 0, y, 0, 3, 1f);
      assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[2]), p.name());
      assertEquals(1f, y[1], p.name());
      float[] dx = new float[3];
      float dtau = k.backward(x, 0, new float[] {5f, 3f, 7f}, 0, dx, 0, 3, 1f);
      assertEquals(0f, dx[0]);
      assertEquals(3f, dx[1]);
      assertEquals(-3f, dtau, p.name());
    }
  }

  @Test
  void batchedFormsApplyTheirThresholdToTheRightSpans() {
    SplittableRandom r = new SplittableRandom(15);
    int n = 3;
    int c = 4;
    int l = 37;
    for (KernelProvider p : providers()) {
      SoftThreshold k = p.softThreshold();
      float[] x = KernelPairs.gaussian(r, n * c * l, 1.0);
      float[] dy = KernelPairs.gaussian(r, n * c * l, 1.0);
      float[] tauCw = new float[n * c];
      float[] tauCs = new float[n];
      for (int i = 0; i < tauCw.length; i++) {
        tauCw[i] = (float) r.nextDouble(0, 1.5);
      }
      for (int i = 0; i < n; i++) {
        tauCs[i] = (float) r.nextDouble(0, 1.5);
      }
      float[] y = new float[n * c * l];
      float[] dx = new float[n * c * l];
      float[] dtau = new float[n * c];
      k.forwardPerChannel(n, c, l, x, 0, tauCw, 0, y, 0);
      k.backwardPerChannel(n, c, l, x, 0, tauCw, 0, dy, 0, dx, 0, dtau, 0);
      for (int s = 0; s < n * c; s++) {
        double dt = 0;
        for (int j = 0; j < l; j++) {
          int at = s * l + j;
          assertEquals(definition(x[at], tauCw[s]), y[at], "CW y at " + at);
          boolean pass = Math.abs(x[at]) > tauCw[s];
          assertEquals(pass ? dy[at] : 0f, dx[at]);
          dt += pass ? -Math.signum(x[at]) * dy[at] : 0;
        }
        assertEquals(dt, dtau[s], 1e-4, "CW dtau " + s);
      }
      float[] dtauS = new float[n];
      k.forwardPerSample(n, c, l, x, 0, tauCs, 0, y, 0);
      k.backwardPerSample(n, c, l, x, 0, tauCs, 0, dy, 0, dx, 0, dtauS, 0);
      for (int s = 0; s < n; s++) {
        double dt = 0;
        for (int j = 0; j < c * l; j++) {
          int at = s * c * l + j;
          assertEquals(definition(x[at], tauCs[s]), y[at], "CS y at " + at);
          dt += Math.abs(x[at]) > tauCs[s] ? -Math.signum(x[at]) * dy[at] : 0;
        }
        assertEquals(dt, dtauS[s], 1e-4, "CS dtau " + s);
      }
    }
  }

  /**
   * Rows narrower than a vector, which the SIMD kernel takes as one span with each lane's row τ:
   * every row's dx and ∂L/∂τ bit for bit the row kernel's ({@link SoftThreshold#backward} row by
   * row), with x and dy full of specials (±0, NaN, infinities, values at ±τ), some rows' τ +0 or
   * NaN, and dx written over dy or over x.
   */
  @Test
  void perChannelBackwardOnShortRowsIsTheRowKernelsBitForBit() {
    qt().withExamples(300).forAll(integers().between(1, 4), integers().between(1, 6), integers().between(1, 19),
        longs().all()).checkAssert((n, c, l, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          int size = n * c * l;
          float[] tau = new float[n * c];
          for (int i = 0; i < tau.length; i++) {
            int roll = r.nextInt(8);
            tau[i] = roll == 0 ? 0f : roll == 1 ? Float.NaN : roll == 2 ? 0.5f : (float) r.nextDouble(0, 1.5);
          }
          Span xs0 = withSpecials(r, size);
          Span dys0 = withSpecials(r, size);
          float[] x = java.util.Arrays.copyOfRange(xs0.array(), xs0.off(), xs0.off() + size);
          float[] dy = java.util.Arrays.copyOfRange(dys0.array(), dys0.off(), dys0.off() + size);
          for (KernelProvider p : providers()) {
            for (int alias = 0; alias < 3; alias++) {
              assertPerChannelBackwardIsTheRowKernels(p, n, c, l, x, dy, tau, alias);
            }
          }
        });
  }

  /**
   * Many short rows, which the SIMD kernel takes in spans of whole rows (its scratch bounded): rows
   * across a span's end, and a last span narrower than a vector (2,185 rows of 15), bit for bit
   * the row kernel's.
   */
  @Test
  void perChannelBackwardOnManyShortRowsIsTheRowKernelsBitForBit() {
    SplittableRandom r = new SplittableRandom(16);
    int[][] shapes = {{1, 2185, 15}, {3, 1000, 13}, {2, 4097, 4}};
    for (int[] shape : shapes) {
      int n = shape[0];
      int c = shape[1];
      int l = shape[2];
      int size = n * c * l;
      float[] x = KernelPairs.gaussian(r, size, 1.0);
      float[] dy = KernelPairs.gaussian(r, size, 1.0);
      float[] tau = new float[n * c];
      for (int i = 0; i < tau.length; i++) {
        tau[i] = (float) r.nextDouble(0, 1.5);
      }
      for (KernelProvider p : providers()) {
        assertPerChannelBackwardIsTheRowKernels(p, n, c, l, x, dy, tau, 0);
      }
    }
  }

  /**
   * {@link SoftThreshold#backwardPerChannel} against {@link SoftThreshold#backward} row by row,
   * bit for bit, dx a fresh array (alias 0), written over dy (1) or over x (2).
   */
  private static void assertPerChannelBackwardIsTheRowKernels(KernelProvider p, int n, int c, int l, float[] x,
                                                              float[] dy, float[] tau, int alias) {
    SoftThreshold k = p.softThreshold();
    int size = n * c * l;
    float[] wantDx = new float[size];
    float[] wantDtau = new float[n * c];
    for (int row = 0; row < n * c; row++) {
      wantDtau[row] = k.backward(x, row * l, dy, row * l, wantDx, row * l, l, tau[row]);
    }
    float[] xs = x.clone();
    float[] dys = dy.clone();
    float[] dx = alias == 0 ? new float[size] : alias == 1 ? dys : xs;
    float[] dtau = new float[n * c];
    k.backwardPerChannel(n, c, l, xs, 0, tau, 0, dys, 0, dx, 0, dtau, 0);
    String at = p.name() + " n=" + n + " c=" + c + " l=" + l + " alias=" + alias;
    for (int i = 0; i < size; i++) {
      assertTrue(sameBits(wantDx[i], dx[i]), "dx at " + i + ", " + at);
    }
    for (int row = 0; row < n * c; row++) {
      assertTrue(sameBits(wantDtau[row], dtau[row]), "dtau of row " + row + ", " + at);
    }
  }

  @Test
  void nanThresholdPoisonsItsSpanForwardAndZeroesItsGradients() {
    for (KernelProvider p : providers()) {
      SoftThreshold k = p.softThreshold();
      int len = 37;
      float[] x = new float[len + 2];
      float[] dy = new float[len + 2];
      for (int i = 0; i < x.length; i++) {
        x[i] = i % 3 == 0 ? -i : i * 0.5f;
        dy[i] = 1f + i;
      }
      float[] y = new float[len + 2];
      y[0] = 7f;
      y[len + 1] = 7f;
      k.forward(x, 1, y, 1, len, Float.NaN);
      assertEquals(7f, y[0], p.name() + ": no write before the span");
      assertEquals(7f, y[len + 1], p.name() + ": no write after the span");
      for (int i = 1; i <= len; i++) {
        assertTrue(Float.isNaN(y[i]), p.name() + ": y[" + i + "] with NaN tau");
      }
      float[] dx = new float[len + 2];
      java.util.Arrays.fill(dx, 3f);
      float dtau = k.backward(x, 1, dy, 1, dx, 1, len, Float.NaN);
      assertTrue(dtau == 0f, p.name() + ": dtau with NaN tau must be (+ or -) 0, got " + dtau);
      for (int i = 1; i <= len; i++) {
        assertEquals(0f, dx[i], p.name() + ": dx[" + i + "] with NaN tau");
      }
      assertEquals(3f, dx[0], p.name());
      assertEquals(3f, dx[len + 1], p.name());
    }
  }

  @Test
  void badInputIsRejectedWithAMessageNamingExpectedAndGiven() {
    for (KernelProvider p : providers()) {
      SoftThreshold k = p.softThreshold();
      float[] x = new float[10];
      float[] y = new float[10];
      assertMessage(() -> k.forward(x, 0, y, 0, 10, -0.5f), "-0.5");
      assertMessage(() -> k.backward(x, 0, y, 0, y, 0, 10, -1f), "-1.0");
      assertMessage(() -> k.forward(null, 0, y, 0, 10, 0.5f), "x must not be null");
      assertMessage(() -> k.forward(x, 0, null, 0, 10, 0.5f), "y must not be null");
      assertMessage(() -> k.forward(x, 3, y, 0, 10, 0.5f), "expected 10 elements from offset 3, but the array has length 10");
      assertMessage(() -> k.forward(x, -1, y, 0, 5, 0.5f), "offset -1");
      assertMessage(() -> k.forward(x, 0, y, 0, -2, 0.5f), "-2");
      assertMessage(() -> k.backward(x, 0, new float[9], 0, y, 0, 10, 0.5f), "dy: expected 10 elements");
      assertMessage(() -> k.forwardAdd(x, 0, new float[18], 0, 2, y, 0, 10, 0.5f),
          "a: expected 19 elements from offset 0, but the array has length 18");
      assertMessage(() -> k.forwardAdd(x, 0, new float[30], 0, 0, y, 0, 10, 0.5f), "a: stride must be >= 1, got 0");
      assertMessage(() -> k.forwardAdd(x, 0, new float[30], 0, 1, y, 0, 10, Float.NEGATIVE_INFINITY), "-Infinity");
      assertMessage(() -> k.forwardPerChannel(2, 2, 3, new float[12], 0, new float[3], 0, new float[12], 0),
          "tau [n, c]: expected 4 elements");
      assertMessage(() -> k.forwardPerSample(2, 2, 3, new float[11], 0, new float[2], 0, new float[12], 0),
          "x [n, c, l]: expected 12 elements");
      assertMessage(() -> k.backwardPerSample(2, 2, 3, new float[12], 0, new float[2], 0, new float[12], 0,
          new float[12], 0, new float[1], 0), "dtau [n]: expected 2 elements");
    }
  }

  static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
  }

  /** The scalar kernels, and the SIMD ones when this run has them. */
  static java.util.List<KernelProvider> providers() {
    java.util.List<KernelProvider> list = new java.util.ArrayList<>();
    list.add(KernelProvider.scalar());
    KernelProvider.simd().ifPresent(list::add);
    return list;
  }
}
