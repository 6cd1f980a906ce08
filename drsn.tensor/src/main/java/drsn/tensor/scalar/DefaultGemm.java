package drsn.tensor.scalar;

import drsn.tensor.Gemm;
import drsn.tensor.internal.GemmChecks;
import java.util.concurrent.ForkJoinPool;

/**
 * Plain scalar SGEMM: the reference twin of the SIMD kernel and the fallback without it.
 *
 * <p>Loop orders are chosen so that the innermost loop walks memory with stride 1:
 * <pre>
 *   B not transposed (B stored k×n):  for i, for p: C[i, :] += (alpha·A[i,p]) · B[p, :]   (i-p-j, as in
 *                                      the reference BLAS; C is first scaled by beta)
 *   B transposed     (B stored n×k):  for i, for j: C[i,j] = alpha·Σ_p A[i,p]·B[j,p] + beta·C[i,j]
 *                                      (a dot product of two rows when A is not transposed)
 * </pre>
 * No blocking, no threads: {@link #sgemm(ForkJoinPool, boolean, boolean, int, int, int, float,
 * float[], int, int, float[], int, int, float, float[], int, int)} runs on the caller's thread.
 */
public final class DefaultGemm implements Gemm {

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    GemmChecks.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (transB) {
      dotOrder(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    } else {
      rowUpdateOrder(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  @Override
  public void sgemm(ForkJoinPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    GemmChecks.pool(pool);
    sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  // C[i, :] = beta·C[i, :], then C[i, :] += (alpha·A[i,p])·B[p, :] for every p. B stored k×n.
  private static void rowUpdateOrder(boolean transA, int m, int n, int k, float alpha,
                                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                     float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int cRow = cOff + i * ldc;
      if (beta == 0f) {
        // beta == 0: C is not read, so NaN in C does not propagate.
        for (int j = 0; j < n; j++) {
          c[cRow + j] = 0f;
        }
      } else if (beta != 1f) {
        for (int j = 0; j < n; j++) {
          c[cRow + j] *= beta;
        }
      }
      for (int p = 0; p < k; p++) {
        float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
        int bRow = bOff + p * ldb;
        for (int j = 0; j < n; j++) {
          c[cRow + j] += aip * b[bRow + j];
        }
      }
    }
  }

  // C[i,j] = alpha·(A[i, :] · B[j, :]) + beta·C[i,j]. B stored n×k.
  private static void dotOrder(boolean transA, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int cRow = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        int bRow = bOff + j * ldb;
        float sum = 0f;
        for (int p = 0; p < k; p++) {
          float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          sum += aip * b[bRow + p];
        }
        c[cRow + j] = beta == 0f ? alpha * sum : alpha * sum + beta * c[cRow + j];
      }
    }
  }
}
