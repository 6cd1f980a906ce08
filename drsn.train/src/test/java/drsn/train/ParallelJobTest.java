package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelJob}'s contract: every item computed exactly once per run, on runs reused back to
 * back from outside the pool and from inside it, an item's exception rethrown to the caller with
 * the job usable again. Liveness is guarded by timeouts: a caller once slept for ever in
 * {@code pool.invoke} on a reused task (a lost wake-up whose window is a few instructions wide, so
 * these runs guard against a hang but do not reproduce that race on demand).
 */
class ParallelJobTest {

  /** Counts each item's computations; item {@code failAt} throws. */
  private static final class CountingJob extends ParallelJob {
    AtomicIntegerArray computed = new AtomicIntegerArray(64);
    int failAt = -1;

    CountingJob(ForkJoinPool pool, int workers) {
      super(pool, new MicroBatchWorker[workers]); // the shares only pass their worker on
    }

    @Override
    void begin(MicroBatchWorker worker) {
    }

    @Override
    void item(MicroBatchWorker worker, int i) {
      if (i == failAt) {
        throw new IllegalStateException("item " + i);
      }
      computed.incrementAndGet(i);
    }

    void runAndCheck(int count) {
      computed = new AtomicIntegerArray(64);
      run(count);
      for (int i = 0; i < 64; i++) {
        assertEquals(i < count ? 1 : 0, computed.get(i), "item " + i + " of " + count);
      }
    }
  }

  @Test
  void thousandsOfRunsBackToBackFromOutsideThePool() {
    ForkJoinPool pool = new ForkJoinPool(3); // more threads than this machine's two cores
    try {
      CountingJob job = new CountingJob(pool, 3);
      assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
        for (int r = 0; r < 3000; r++) {
          job.runAndCheck(r % 10);
        }
      });
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void runsFromInsideThePoolEvenWithOneThread() throws Exception {
    for (int threads : new int[] {1, 2}) {
      ForkJoinPool pool = new ForkJoinPool(threads);
      try {
        CountingJob job = new CountingJob(pool, threads);
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> pool.submit(() -> {
          for (int r = 0; r < 500; r++) {
            job.runAndCheck(1 + r % 9);
          }
        }).get());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void anItemsExceptionReachesTheCallerAndTheJobRunsAgain() {
    ForkJoinPool pool = new ForkJoinPool(2);
    try {
      CountingJob job = new CountingJob(pool, 2);
      job.failAt = 3;
      IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> assertThrows(IllegalStateException.class, () -> job.run(8)));
      assertEquals("item 3", rootCause(e).getMessage());
      job.failAt = -1;
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> job.runAndCheck(8));
    } finally {
      pool.shutdownNow();
    }
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    assertSame(IllegalStateException.class, c.getClass());
    return c;
  }
}
