package drsn.train;

/**
 * How a batch of n samples is cut into micro-batches of a fixed size m, independent of the thread
 * count: ⌈n/m⌉ micro-batches of m samples, the last one shorter — except that a last micro-batch
 * of a single sample is merged into the one before it (batch norm in training needs at least two
 * samples to compute a variance for its per-sample layers). Micro-batch k holds the samples
 * [{@link #start}(k, m), start + {@link #size}(k, n, m)) of the batch; it is the unit of parallel
 * work and of batch-norm statistics, locally ({@link TrainingStep}) and distributed
 * ({@link MicroBatchWorker}).
 */
public final class MicroBatches {

  private MicroBatches() {
  }

  /** Number of micro-batches for n samples (n ≥ 2, m ≥ 2). */
  public static int count(int n, int m) {
    int k = (n + m - 1) / m;
    if (k > 1 && n - (k - 1) * m == 1) {
      k--;
    }
    return k;
  }

  /** First sample of micro-batch k. */
  public static int start(int k, int m) {
    return k * m;
  }

  /** Samples in micro-batch k of count(n, m). */
  public static int size(int k, int n, int m) {
    int count = count(n, m);
    return k == count - 1 ? n - k * m : m;
  }
}
