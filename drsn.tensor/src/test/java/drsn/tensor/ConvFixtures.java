package drsn.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import drsn.tensor.simd.PanamaConvolution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Shared pieces of the convolution tests: the direct definitions in double precision, random
 * shapes and data, the implementations under test, and the float error bounds.
 *
 * <p>Tolerances: a float sum of n products, in any order, with or without FMA, is within
 * γ_n·Σ|terms| of the exact sum, γ_n = n·u/(1 − n·u), u = 2⁻²⁴. The tests allow
 * 2·(n + 2)·u·Σ|terms| per element (Σ|terms| computed here in double), so any summation order
 * passes and a missing or wrong term (of the size of a typical term) does not.
 */
final class ConvFixtures {

  static final double U = Math.ulp(1.0f) / 2; // unit roundoff of float, 2^-24

  private ConvFixtures() {
  }

  /** An implementation under test. */
  record Path(String name, Convolution conv) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The scalar kernel, and the SIMD im2col, direct and automatic paths when the Vector API is there. */
  static List<Path> paths() {
    List<Path> all = new ArrayList<>();
    all.add(new Path("scalar", KernelProvider.scalar().convolution()));
    if (KernelProvider.simd().isPresent()) {
      all.addAll(Simd.paths(KernelProvider.simd().get().gemm()));
    }
    return all;
  }

  /** Kept apart so that the scalar test run (no jdk.incubator.vector) never links PanamaConvolution. */
  static final class Simd {
    static List<Path> paths(Gemm gemm) {
      return List.of(
          new Path("simd-im2col", new PanamaConvolution(gemm, PanamaConvolution.Strategy.IM2COL)),
          new Path("simd-direct", new PanamaConvolution(gemm, PanamaConvolution.Strategy.DIRECT)),
          new Path("simd-auto", new PanamaConvolution(gemm, PanamaConvolution.Strategy.AUTO)));
    }
  }

  // ------------------------------------------------------------------ shapes and data

  /** Widths that straddle lane counts 4, 8 and 16 (tails of 0, 1 and lanes − 1), and 1. */
  static final int[] EDGE_LENGTHS = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49};

  /** A random valid shape: strides 1..3, padding 0..2, dilation 1..2, kernel 1..5, channels 1..17. */
  static ConvShape randomShape(SplittableRandom r, boolean twoD) {
    while (true) {
      int cin = 1 + r.nextInt(17);
      int cout = 1 + r.nextInt(17);
      int len = r.nextBoolean() ? EDGE_LENGTHS[r.nextInt(EDGE_LENGTHS.length)] : 1 + r.nextInt(twoD ? 20 : 70);
      int k = 1 + r.nextInt(5);
      int stride = 1 + r.nextInt(3);
      int pad = r.nextInt(3);
      int dil = 1 + r.nextInt(2);
      if (len + 2 * pad < dil * (k - 1) + 1) {
        continue;
      }
      if (!twoD) {
        return ConvShape.of1d(cin, cout, len, k, stride, pad, dil);
      }
      int h = 1 + r.nextInt(12);
      int kh = 1 + r.nextInt(5);
      int sH = 1 + r.nextInt(3);
      int pH = r.nextInt(3);
      int dH = 1 + r.nextInt(2);
      if (h + 2 * pH < dH * (kh - 1) + 1) {
        continue;
      }
      if (cin * cout > 100) { // keep the double reference cheap in 2-D
        cin = 1 + cin % 8;
        cout = 1 + cout % 9;
      }
      return new ConvShape(cin, cout, h, len, kh, k, sH, stride, pH, pad, dH, dil);
    }
  }

  static float[] gaussian(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  /** {@code n} Gaussian values at offset {@code off} inside an array padded with NaN on both sides. */
  static float[] embedded(SplittableRandom r, int off, int n, int tail) {
    float[] a = new float[off + n + tail];
    Arrays.fill(a, Float.NaN);
    System.arraycopy(gaussian(r, n), 0, a, off, n);
    return a;
  }

  static float[] nanArray(int n) {
    float[] a = new float[n];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  /** Fails unless a[0, from) and a[to, length) are all still NaN: the kernel wrote nowhere else. */
  static void assertUntouchedOutside(String what, float[] a, int from, int to) {
    for (int i = 0; i < a.length; i++) {
      if ((i < from || i >= to) && !Float.isNaN(a[i])) {
        fail(what + ": wrote outside its range [" + from + ", " + to + ") at index " + i);
      }
    }
  }

  static double[] toDouble(float[] a, int off, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = a[off + i];
    }
    return d;
  }

  static double[] abs(double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = Math.abs(a[i]);
    }
    return r;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  // ------------------------------------------------------------------ the definitions, in double

  /** Visits every (n, o, oh, ow, c, i, j) whose input position is inside x (not in the padding). */
  interface Term {
    void accept(int yIdx, int xIdx, int wIdx, int o);
  }

  static void forEachTerm(ConvShape s, int batch, Term t) {
    int inC = s.inChannels(), outC = s.outChannels(), h = s.height(), wd = s.width();
    int oh = s.outHeight(), ow = s.outWidth(), kh = s.kernelH(), kw = s.kernelW();
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < outC; o++) {
        for (int r = 0; r < oh; r++) {
          for (int q = 0; q < ow; q++) {
            int yIdx = ((n * outC + o) * oh + r) * ow + q;
            for (int c = 0; c < inC; c++) {
              for (int i = 0; i < kh; i++) {
                int ih = r * s.strideH() - s.padH() + i * s.dilationH();
                if (ih < 0 || ih >= h) {
                  continue;
                }
                for (int j = 0; j < kw; j++) {
                  int iw = q * s.strideW() - s.padW() + j * s.dilationW();
                  if (iw < 0 || iw >= wd) {
                    continue;
                  }
                  t.accept(yIdx, ((n * inC + c) * h + ih) * wd + iw, ((o * inC + c) * kh + i) * kw + j, o);
                }
              }
            }
          }
        }
      }
    }
  }

  /** y = conv(x, w) + b in double; {@code abs} (if not null) receives |b| + Σ|w·x| per output. */
  static double[] forward(ConvShape s, int batch, double[] x, double[] w, double[] b, double[] abs) {
    double[] y = new double[batch * s.outputSize()];
    if (b != null) {
      int plane = s.outHeight() * s.outWidth();
      for (int k = 0; k < y.length; k++) {
        y[k] = b[(k / plane) % s.outChannels()];
        if (abs != null) {
          abs[k] = Math.abs(y[k]);
        }
      }
    }
    forEachTerm(s, batch, (yi, xi, wi, o) -> {
      double p = w[wi] * x[xi];
      y[yi] += p;
      if (abs != null) {
        abs[yi] += Math.abs(p);
      }
    });
    return y;
  }

  /** dx = ∂⟨conv(x), dy⟩/∂x in double; {@code abs} receives Σ|w·dy| per input element. */
  static double[] backwardInput(ConvShape s, int batch, double[] dy, double[] w, double[] abs) {
    double[] dx = new double[batch * s.inputSize()];
    forEachTerm(s, batch, (yi, xi, wi, o) -> {
      double p = w[wi] * dy[yi];
      dx[xi] += p;
      if (abs != null) {
        abs[xi] += Math.abs(p);
      }
    });
    return dx;
  }

  /** dw = ∂⟨conv(x), dy⟩/∂w in double; {@code abs} receives Σ|dy·x| per weight. */
  static double[] backwardWeights(ConvShape s, int batch, double[] x, double[] dy, double[] abs) {
    double[] dw = new double[s.weightSize()];
    forEachTerm(s, batch, (yi, xi, wi, o) -> {
      double p = dy[yi] * x[xi];
      dw[wi] += p;
      if (abs != null) {
        abs[wi] += Math.abs(p);
      }
    });
    return dw;
  }

  /** dbias[o] = Σ_{n, positions} dy; {@code abs} receives Σ|dy|. */
  static double[] backwardBias(ConvShape s, int batch, double[] dy, double[] abs) {
    double[] db = new double[s.outChannels()];
    int plane = s.outHeight() * s.outWidth();
    for (int k = 0; k < dy.length; k++) {
      int o = (k / plane) % s.outChannels();
      db[o] += dy[k];
      if (abs != null) {
        abs[o] += Math.abs(dy[k]);
      }
    }
    return db;
  }

  // ------------------------------------------------------------------ comparisons

  /** Asserts |got[off + k] − want[k]| ≤ 2·(terms + 2)·u·abs[k] (+ 1e-30 for exact zeros). */
  static void assertWithinBound(String what, float[] got, int off, double[] want, double[] abs, long terms) {
    double factor = 2.0 * (terms + 2) * U;
    for (int k = 0; k < want.length; k++) {
      double err = Math.abs(got[off + k] - want[k]);
      double tol = factor * abs[k] + 1e-30;
      if (!(err <= tol)) {
        fail(what + ": element " + k + " is " + got[off + k] + ", the definition gives " + want[k]
            + " (error " + err + " > bound " + tol + ")");
      }
    }
  }

  /** Number of products summed into one output: C·KH·KW, plus the bias. */
  static long forwardTerms(ConvShape s) {
    return (long) s.inChannels() * s.kernelH() * s.kernelW() + 1;
  }

  /** Products summed into one input gradient: at most O·KH·KW. */
  static long backwardInputTerms(ConvShape s) {
    return (long) s.outChannels() * s.kernelH() * s.kernelW();
  }

  /** Products summed into one weight gradient (plus the previous value and per-sample partial sums). */
  static long backwardWeightsTerms(ConvShape s, int batch) {
    return (long) batch * s.outHeight() * s.outWidth() + batch + 1;
  }
}
