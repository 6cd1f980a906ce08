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
 * (as in BLAS). Otherwise NaN and infinities in A, B or C propagate as IEEE arithmetic dictates;
 * in particular {@code alpha == 0} does not skip A and B (0·NaN is NaN). With {@code k == 0} the
 * product is empty and C becomes beta·C (zero when beta == 0). Sizes of zero are allowed
 * everywhere; then the matrices may be empty arrays.
 *
 * <p>Rounding: each element is a float sum of k products whose order and fusing the implementation
 * chooses, so implementations agree within about (k + 2)·eps·(|alpha|·Σ|a·b| + |beta·c|), not bit
 * for bit. One implementation is deterministic: the same call gives the same bits every time.
 *
 * <p>The single-threaded call allocates nothing on the heap once its thread has seen a problem as
 * large (packing buffers are per thread and grow on demand).
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
   * the pool's parallelism. Problems too small to gain from threads run on the caller's thread.
   * The caller blocks until C is complete (it may compute a part itself); the pool is not shut down.
   *
   * @throws IllegalArgumentException also when {@code pool} is null or shut down
   */
  void sgemm(ForkJoinPool pool, boolean transA, boolean transB, int m, int n, int k,
             float alpha, float[] a, int aOff, int lda,
             float[] b, int bOff, int ldb,
             float beta, float[] c, int cOff, int ldc);
}
