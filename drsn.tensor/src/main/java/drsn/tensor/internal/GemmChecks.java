package drsn.tensor.internal;

import java.util.concurrent.ForkJoinPool;

/**
 * Argument checks of {@link drsn.tensor.Gemm}, shared by the scalar and SIMD implementations so
 * that both reject the same calls with the same messages.
 */
public final class GemmChecks {

  private GemmChecks() {
  }

  /** The pool of a parallel call: present and accepting tasks. */
  public static void pool(ForkJoinPool pool) {
    if (pool == null) {
      throw new IllegalArgumentException("pool must not be null");
    }
    if (pool.isShutdown()) {
      throw new IllegalArgumentException("pool must be running, but it is shut down: " + pool);
    }
  }

  /**
   * Checks sizes, leading dimensions, nulls and offsets of one SGEMM call.
   *
   * @throws IllegalArgumentException naming what was expected and what was given
   */
  public static void check(boolean transA, boolean transB, int m, int n, int k,
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
