package drsn.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * One SGEMM problem for tests: operands stored with offsets and leading dimensions larger than the
 * minimum. Every element outside the matrices (before the offset, in the gap between a row's end and
 * the next row, after the end) is NaN, so reading it where it matters poisons the result, and C's
 * outside elements must come back unchanged.
 *
 * <p>Tolerance: the double-precision reference is exact to well below float rounding; a float
 * dot product of length k (fma or not, any order) is within (k + 2)·eps·S of it (Higham, with
 * eps = 2^-23 = 2u covering the rounding of alpha and beta terms), where
 * S = |alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij| ≤ |alpha|·k·max|a|·max|b| + |beta|·max|c|.
 * Two implementations are each within that bound, so they agree within twice it.
 */
final class GemmCase {

  static final double EPS = Math.ulp(1f);

  final boolean transA;
  final boolean transB;
  final int m;
  final int n;
  final int k;
  final float alpha;
  final float beta;
  final float[] a;
  final int aOff;
  final int lda;
  final float[] b;
  final int bOff;
  final int ldb;
  final float[] c;
  final int cOff;
  final int ldc;

  private GemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    this.transA = transA;
    this.transB = transB;
    this.m = m;
    this.n = n;
    this.k = k;
    this.alpha = alpha;
    this.beta = beta;
    this.a = a;
    this.aOff = aOff;
    this.lda = lda;
    this.b = b;
    this.bOff = bOff;
    this.ldb = ldb;
    this.c = c;
    this.cOff = cOff;
    this.ldc = ldc;
  }

  /**
   * A random problem with values uniform in [-1, 1). {@code pad} extra elements per row and before
   * each matrix; when {@code nanC} C's own elements are NaN too (only sensible with beta == 0).
   */
  static GemmCase random(SplittableRandom r, boolean transA, boolean transB, int m, int n, int k,
                         float alpha, float beta, int pad, boolean nanC) {
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    int lda = Math.max(1, aCols) + pad;
    int ldb = Math.max(1, bCols) + pad;
    int ldc = Math.max(1, n) + pad;
    float[] a = stored(r, aRows, aCols, pad, lda, false);
    float[] b = stored(r, bRows, bCols, pad, ldb, false);
    float[] c = stored(r, m, n, pad, ldc, nanC);
    return new GemmCase(transA, transB, m, n, k, alpha, beta, a, pad, lda, b, pad, ldb, c, pad, ldc);
  }

  /** A problem with the given stored operands (no padding). */
  static GemmCase of(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                     float[] a, float[] b, float[] c) {
    return new GemmCase(transA, transB, m, n, k, alpha, beta,
        a, 0, Math.max(1, transA ? m : k), b, 0, Math.max(1, transB ? k : n), c, 0, Math.max(1, n));
  }

  private static float[] stored(SplittableRandom r, int rows, int cols, int pad, int ld, boolean nan) {
    float[] x = new float[pad + rows * ld + pad];
    Arrays.fill(x, Float.NaN);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        x[pad + i * ld + j] = nan ? Float.NaN : (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }

  float a(int i, int p) {
    return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
  }

  float b(int p, int j) {
    return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
  }

  /** Runs the single-threaded call on a copy of C and returns that copy. */
  float[] run(Gemm g) {
    float[] out = c.clone();
    g.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
    return out;
  }

  /** Runs the parallel call on a copy of C and returns that copy. */
  float[] run(Gemm g, ForkJoinPool pool) {
    float[] out = c.clone();
    g.sgemm(pool, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
    return out;
  }

  /** The tolerance scale S of element (i, j), see the class comment. */
  double magnitude(int i, int j) {
    double s = 0;
    for (int p = 0; p < k; p++) {
      s += Math.abs((double) a(i, p) * b(p, j));
    }
    s *= Math.abs(alpha);
    if (beta != 0f) {
      s += Math.abs((double) beta * c[cOff + i * ldc + j]);
    }
    return s;
  }

  double reference(int i, int j) {
    double s = 0;
    for (int p = 0; p < k; p++) {
      s += (double) a(i, p) * b(p, j);
    }
    double r = alpha * s;
    if (beta != 0f) {
      r += (double) beta * c[cOff + i * ldc + j];
    }
    return r;
  }

  /** Asserts out agrees with the double reference within factor·(k+2)·eps·S, and C's outside is untouched. */
  void assertNearReference(float[] out, double factor, String what) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double want = reference(i, j);
        double tol = factor * (k + 2) * EPS * magnitude(i, j) + Float.MIN_NORMAL;
        float got = out[cOff + i * ldc + j];
        if (!(Math.abs(got - want) <= tol)) {
          fail(what + " " + this + ": C[" + i + "," + j + "] = " + got + ", reference " + want
              + ", tolerance " + tol);
        }
      }
    }
    assertOutsideUntouched(out, what);
  }

  /** Asserts out agrees with another implementation's result within twice the reference bound. */
  void assertNear(float[] expected, float[] out, String what) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double tol = 2 * (k + 2) * EPS * magnitude(i, j) + Float.MIN_NORMAL;
        float want = expected[cOff + i * ldc + j];
        float got = out[cOff + i * ldc + j];
        if (!(Math.abs(got - want) <= tol)) {
          fail(what + " " + this + ": C[" + i + "," + j + "] = " + got + ", expected " + want
              + ", tolerance " + tol);
        }
      }
    }
    assertOutsideUntouched(out, what);
  }

  void assertOutsideUntouched(float[] out, String what) {
    for (int x = 0; x < c.length; x++) {
      int rel = x - cOff;
      boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
      if (!inside && Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(out[x])) {
        fail(what + " " + this + ": element " + x + " outside C was written");
      }
    }
  }

  @Override
  public String toString() {
    return "sgemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
        + ", alpha=" + alpha + ", beta=" + beta + ", aOff=" + aOff + ", lda=" + lda + ", bOff=" + bOff
        + ", ldb=" + ldb + ", cOff=" + cOff + ", ldc=" + ldc + ")";
  }
}
