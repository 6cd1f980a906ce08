package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parallel SGEMM is bit-identical to the single-threaded call on pools of 1, 2 and 3 threads,
 * and many calls in a row, from outside the pool and from its own workers, each finish: a thread
 * reuses its job and parts from call to call, and a wait inside a reused task once hung for good.
 */
class GemmParallelTest {

  private static ForkJoinPool[] pools;

  @BeforeAll
  static void startPools() {
    pools = new ForkJoinPool[] {new ForkJoinPool(1), new ForkJoinPool(2), new ForkJoinPool(3)};
  }

  @AfterAll
  static void stopPools() throws InterruptedException {
    for (ForkJoinPool p : pools) {
      p.shutdown();
      p.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void bitIdenticalToSerialOnAnyPool() {
    SplittableRandom r = new SplittableRandom(31);
    // Shapes large enough to be split (over 2^23 flops, the SIMD kernel's threshold): by columns,
    // by rows, several depth blocks, ragged edges, the dot path, a single row.
    int[][] shapes = {{130, 301, 600}, {8, 12000, 48}, {600, 20, 400}, {16, 48, 6000}, {1, 3000, 1500},
        {171, 170, 169}, {48, 6000, 16}};
    for (KernelProvider provider : GemmProviders.all()) {
      Gemm gemm = provider.gemm();
      int run = 0;
      for (int[] s : shapes) {
        for (int t = 0; t < 4; t++) {
          float beta = run++ % 2 == 0 ? 0f : 0.5f;
          GemmCase g = GemmCase.random(r, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.5f, beta, 2, beta == 0f);
          float[] serial = g.run(gemm);
          for (ForkJoinPool pool : pools) {
            assertArrayEquals(serial, g.run(gemm, pool),
                provider.name() + " on " + pool.getParallelism() + " threads: " + g);
          }
        }
      }
    }
  }

  @Test
  void manyCallsInARowFinishFromOutsideAndInsideThePool() {
    SplittableRandom r = new SplittableRandom(32);
    // just over the parallel threshold (2^23 flops), so that each call is short and split in two
    GemmCase g = GemmCase.random(r, false, false, 170, 170, 160, 1f, 0f, 0, true);
    for (KernelProvider provider : GemmProviders.all()) {
      Gemm gemm = provider.gemm();
      float[] serial = g.run(gemm);
      ForkJoinPool pool = pools[1];
      assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
        for (int call = 0; call < 400; call++) {
          assertArrayEquals(serial, g.run(gemm, pool), provider.name() + ", call " + call + " from outside");
        }
        for (int call = 0; call < 100; call++) {
          float[] inside = pool.submit(() -> g.run(gemm, pool)).get();
          assertArrayEquals(serial, inside, provider.name() + ", call " + call + " from a worker");
        }
      }, () -> provider.name() + ": a parallel call did not finish");
    }
  }
}
