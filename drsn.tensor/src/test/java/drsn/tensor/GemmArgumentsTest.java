package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad SGEMM arguments give IllegalArgumentException naming what was expected and what was given. */
class GemmArgumentsTest {

  private static ForkJoinPool pool;

  @BeforeAll
  static void startPool() {
    pool = new ForkJoinPool(2);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdown();
  }

  /** Runs the call through both the serial and the parallel entry point of every implementation. */
  private interface Call {
    void run(Gemm g, ForkJoinPool pool);
  }

  private static void rejects(Call call, String... fragments) {
    for (KernelProvider p : GemmProviders.all()) {
      for (boolean parallel : new boolean[] {false, true}) {
        Executable e = () -> call.run(p.gemm(), parallel ? pool : null);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e,
            p.name() + (parallel ? " parallel" : " serial"));
        for (String f : fragments) {
          assertTrue(ex.getMessage().contains(f),
              p.name() + ": message '" + ex.getMessage() + "' should mention '" + f + "'");
        }
      }
    }
  }

  /** sgemm(A 4×5, B 5×6, C 4×6) with the given pieces replaced. */
  private static void call(Gemm g, ForkJoinPool pool, boolean ta, boolean tb, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    if (pool == null) {
      g.sgemm(ta, tb, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc);
    } else {
      g.sgemm(pool, ta, tb, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc);
    }
  }

  @Test
  void nullArrays() {
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, null, 0, 5, new float[30], 0, 6, new float[24], 0, 6),
        "A", "null");
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 5, null, 0, 6, new float[24], 0, 6),
        "B", "null");
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 5, new float[30], 0, 6, null, 0, 6),
        "C", "null");
  }

  @Test
  void nullPool() {
    for (KernelProvider p : GemmProviders.all()) {
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> p.gemm().sgemm(null, false, false, 1, 1, 1, 1f, new float[1], 0, 1, new float[1], 0, 1,
              0f, new float[1], 0, 1));
      assertTrue(ex.getMessage().contains("pool"), ex.getMessage());
    }
  }

  @Test
  void shutDownPool() {
    ForkJoinPool closed = new ForkJoinPool(2);
    closed.shutdown();
    for (KernelProvider p : GemmProviders.all()) {
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> p.gemm().sgemm(closed, false, false, 1, 1, 1, 1f, new float[1], 0, 1, new float[1], 0, 1,
              0f, new float[1], 0, 1));
      assertTrue(ex.getMessage().contains("shut down"), ex.getMessage());
    }
  }

  @Test
  void negativeSizes() {
    rejects((g, p) -> call(g, p, false, false, -1, 6, 5, new float[20], 0, 5, new float[30], 0, 6, new float[24], 0, 6),
        "m must be >= 0", "got -1");
    rejects((g, p) -> call(g, p, false, false, 4, -2, 5, new float[20], 0, 5, new float[30], 0, 6, new float[24], 0, 6),
        "n must be >= 0", "got -2");
    rejects((g, p) -> call(g, p, false, false, 4, 6, -3, new float[20], 0, 5, new float[30], 0, 6, new float[24], 0, 6),
        "k must be >= 0", "got -3");
  }

  @Test
  void leadingDimensionsTooSmall() {
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 4, new float[30], 0, 6, new float[24], 0, 6),
        "A (stored m x k)", ">= 5", "got 4");
    // Transposed A is stored k×m, so it needs lda >= m.
    rejects((g, p) -> call(g, p, true, false, 4, 6, 5, new float[20], 0, 3, new float[30], 0, 6, new float[24], 0, 6),
        "A (transposed", ">= 4", "got 3");
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 5, new float[30], 0, 5, new float[24], 0, 6),
        "B (stored k x n)", ">= 6", "got 5");
    rejects((g, p) -> call(g, p, false, true, 4, 6, 5, new float[20], 0, 5, new float[30], 0, 4, new float[24], 0, 6),
        "B (transposed", ">= 5", "got 4");
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 5, new float[30], 0, 6, new float[24], 0, 2),
        "C (m x n)", ">= 6", "got 2");
  }

  @Test
  void arraysTooShortForOffsets() {
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 1, 5, new float[30], 0, 6, new float[24], 0, 6),
        "A", "needs 21", "length 20");
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 5, new float[30], 0, 7, new float[24], 0, 6),
        "B", "needs 34", "length 30");
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 5, new float[30], 0, 6, new float[24], -1, 6),
        "C", "offset -1");
    rejects((g, p) -> call(g, p, false, false, 4, 6, 5, new float[20], 0, 5, new float[30], 0, 6, new float[24], 3, 6),
        "C", "needs 27", "length 24");
  }
}
