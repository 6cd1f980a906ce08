package drsn.train;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Items 0 … count − 1 of a job spread over a fixed set of {@link MicroBatchWorker}s on a pool:
 * each worker takes the next item until none is left, calling {@link #begin} before its first.
 * Which worker takes which item varies from run to run, so a job writes each item's result to
 * its own slot and the caller combines the slots in item order (that is what makes the result
 * independent of the thread count). Reused from run to run: a run allocates nothing. Not
 * thread-safe; jobs over the same workers must not run at the same time.
 *
 * <p>The shares are tasks reused from run to run, so the caller never waits with
 * {@link ForkJoinTask#join} (nor {@code pool.invoke}): a joiner's wait node sits in the task, and
 * a worker finishing the previous run's task (it marks the task done, then wakes the task's
 * waiters) can still be between those two steps when the task is reinitialised and joined again;
 * it then wakes and unlinks the new wait node, the real completion finds no waiter, and the caller
 * sleeps for ever. That happened (2026-12-08, `CommandsTest` parked in {@code pool.invoke} for
 * 13 minutes with no worker of the pool alive), as it had in the parallel SGEMM (see
 * {@code PanamaGemm.Job}). Here each share counts itself off when its items are done, the caller
 * waits for the count (spinning briefly, then parked until the last share wakes it) and then for
 * every share's done mark, which follows at once; nobody waits inside a task.
 */
abstract class ParallelJob {

  /** How long the caller spins for the shares before it parks. */
  private static final long SPIN_NANOS = 200_000;

  private final ForkJoinPool pool;
  private final Share[] shares;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger remaining = new AtomicInteger();
  private volatile Thread waiter;
  private int count;

  ParallelJob(ForkJoinPool pool, MicroBatchWorker[] workers) {
    this.pool = pool;
    this.shares = new Share[workers.length];
    for (int w = 0; w < workers.length; w++) {
      shares[w] = new Share(workers[w]);
    }
  }

  /** Prepares a worker for this run's items (called at most once per worker and run, before its first item). */
  abstract void begin(MicroBatchWorker worker);

  /** Computes item i on the worker, writing only item i's slot. */
  abstract void item(MicroBatchWorker worker, int i);

  /**
   * Runs items 0 … count − 1 and returns when all are done; an item's exception is rethrown then
   * (the first share's in share order), with every share over.
   */
  final void run(int count) {
    this.count = count;
    next.set(0);
    for (Share s : shares) {
      s.reinitialize();
    }
    remaining.set(shares.length);
    waiter = Thread.currentThread();
    if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
      // On one of the pool's own threads (which must not just wait: it may be the only one): the
      // shares are forked to its queue, the first computed here, those no other thread took too.
      for (int w = shares.length - 1; w > 0; w--) {
        shares[w].fork();
      }
      shares[0].quietlyInvoke();
      for (int w = 1; w < shares.length; w++) {
        if (shares[w].tryUnfork()) {
          shares[w].quietlyInvoke();
        }
      }
    } else {
      for (int w = shares.length - 1; w >= 0; w--) {
        pool.execute(shares[w]);
      }
    }
    awaitShares();
  }

  private void awaitShares() {
    long giveUp = System.nanoTime() + SPIN_NANOS;
    while (remaining.get() > 0 && System.nanoTime() < giveUp) {
      Thread.onSpinWait();
    }
    while (remaining.get() > 0) {
      LockSupport.park(this);
    }
    // The items are over; a share is marked done right after, and must be before it is reused.
    Throwable failure = null;
    for (Share s : shares) {
      while (!s.isDone()) {
        Thread.onSpinWait();
        Thread.yield();
      }
      if (failure == null) {
        failure = s.getException();
      }
    }
    waiter = null;
    if (failure instanceof RuntimeException re) {
      throw re;
    } else if (failure instanceof Error e) {
      throw e;
    } else if (failure != null) {
      throw new IllegalStateException("a share of a parallel job failed", failure);
    }
  }

  /** Called by each share when its items are over (normally or not). */
  private void shareDone() {
    if (remaining.decrementAndGet() == 0) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** One worker's share of a run: items taken until none are left. */
  private final class Share extends RecursiveAction {
    private final MicroBatchWorker worker;

    Share(MicroBatchWorker worker) {
      this.worker = worker;
    }

    @Override
    protected void compute() {
      try {
        boolean begun = false;
        int i;
        while ((i = next.getAndIncrement()) < count) {
          if (!begun) {
            begin(worker);
            begun = true;
          }
          item(worker, i);
        }
      } finally {
        shareDone();
      }
    }
  }
}
