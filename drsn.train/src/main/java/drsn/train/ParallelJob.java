package drsn.train;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Items 0 … count − 1 of a job spread over a fixed set of {@link MicroBatchWorker}s on a pool:
 * each worker takes the next item until none is left, calling {@link #begin} before its first.
 * Which worker takes which item varies from run to run, so a job writes each item's result to
 * its own slot and the caller combines the slots in item order (that is what makes the result
 * independent of the thread count). Reused from run to run: a run allocates nothing. Not
 * thread-safe; jobs over the same workers must not run at the same time.
 */
abstract class ParallelJob {

  private final ForkJoinPool pool;
  private final Share[] shares;
  private final AtomicInteger next = new AtomicInteger();
  private final RecursiveAction root = new RecursiveAction() {
    @Override
    protected void compute() {
      ForkJoinTask.invokeAll(shares);
    }
  };
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

  /** Runs items 0 … count − 1 and returns when all are done. */
  final void run(int count) {
    this.count = count;
    next.set(0);
    for (Share s : shares) {
      s.reinitialize();
    }
    root.reinitialize();
    pool.invoke(root);
  }

  /** One worker's share of a run: items taken until none are left. */
  private final class Share extends RecursiveAction {
    private final MicroBatchWorker worker;

    Share(MicroBatchWorker worker) {
      this.worker = worker;
    }

    @Override
    protected void compute() {
      boolean begun = false;
      int i;
      while ((i = next.getAndIncrement()) < count) {
        if (!begun) {
          begin(worker);
          begun = true;
        }
        item(worker, i);
      }
    }
  }
}
