package drsn.tensor;

import java.util.concurrent.ForkJoinPool;

/**
 * Single-precision general matrix multiply on row-major arrays with offsets.
 *
 * <pre>
 *   C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C[m×n]
 *   A is stored m×k (lda ≥ k) when transA is false, k×m (lda ≥ m) when it is true;
 *   B is stored k×n (ldb ≥ n) when transB is false, n×k (ldb ≥ k) when it is true;
 *   C is stored m×n (ldc ≥ n).
 * </pre>
 *
 * <p>When {@code beta == 0} C is overwritten without being read, so NaN in C does not propagate
 * (as in BLAS). Otherwise NaN and infinities in A, B or C propagate as IEEE arithmetic dictates.
 * Calls allocate nothing on the heap after a thread's first call (packing buffers are per thread).
 *
 * <p>Bad arguments (negative sizes, leading dimensions too small, arrays too short for the given
 * offsets, null arrays) give an {@link IllegalArgumentException} naming what was expected and
 * what was given.
 */
public interface Gemm {

  /** Single-threaded SGEMM. */
  void sgemm(boolean transA, boolean transB, int m, int n, int k,
             float alpha, float[] a, int aOff, int lda,
             float[] b, int bOff, int ldb,
             float beta, float[] c, int cOff, int ldc);

  /**
   * SGEMM split across the given pool. Every element of C is computed by one task in the same
   * order as {@link #sgemm}, so the result is bit-identical to the single-threaded call whatever
   * the pool's parallelism.
   */
  void sgemm(ForkJoinPool pool, boolean transA, boolean transB, int m, int n, int k,
             float alpha, float[] a, int aOff, int lda,
             float[] b, int bOff, int ldb,
             float beta, float[] c, int cOff, int ldc);
}
