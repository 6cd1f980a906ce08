package drsn.tensor.scalar;

import drsn.tensor.Gemm;
import drsn.tensor.internal.Checks;
import java.util.concurrent.ForkJoinPool;

/** Plain scalar SGEMM: the reference twin of the SIMD kernel and the fallback without it. */
public final class DefaultGemm implements Gemm {

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    for (int i = 0; i < m; i++) {
      int cRow = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        float sum = 0f;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          sum += av * bv;
        }
        c[cRow + j] = beta == 0f ? alpha * sum : alpha * sum + beta * c[cRow + j];
      }
    }
  }

  @Override
  public void sgemm(ForkJoinPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  static void check(boolean transA, boolean transB, int m, int n, int k,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc) {
    Checks.nonNegative("m", m);
    Checks.nonNegative("n", n);
    Checks.nonNegative("k", k);
    if (transA) {
      Checks.matrix("A (transposed, stored k x m)", a, aOff, k, m, lda);
    } else {
      Checks.matrix("A (stored m x k)", a, aOff, m, k, lda);
    }
    if (transB) {
      Checks.matrix("B (transposed, stored n x k)", b, bOff, n, k, ldb);
    } else {
      Checks.matrix("B (stored k x n)", b, bOff, k, n, ldb);
    }
    Checks.matrix("C (m x n)", c, cOff, m, n, ldc);
  }
}
