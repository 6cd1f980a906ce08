package drsn.train;

import drsn.nn.ParameterSet;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * The micro-batches of one training batch computed in parallel: micro-batch k's
 * {@link MicroBatchGradient} goes to slot k, whichever worker computed it, from the master's
 * weights (copied into each worker once per batch). The master is not modified.
 */
final class TrainingJob extends ParallelJob {

  private final ParameterSet master;
  private final int microBatch;
  private final int inputSize;
  private MicroBatchGradient[] slots = new MicroBatchGradient[0];
  private float[] inputs;
  private int[] labels;
  private int n;

  TrainingJob(ForkJoinPool pool, MicroBatchWorker[] workers, ParameterSet master, int microBatch) {
    super(pool, workers);
    if (microBatch < 2) {
      throw new IllegalArgumentException("micro-batch size must be >= 2 (batch norm needs two samples), got "
          + microBatch);
    }
    this.master = master;
    this.microBatch = microBatch;
    this.inputSize = workers[0].inputSize();
  }

  /**
   * Computes the micro-batches of n samples (inputs [n, inputSize], labels [n]); returns their
   * count, the results being in {@link #results()} [0, count).
   */
  int compute(float[] inputs, int[] labels, int n) {
    if (n < 2) {
      throw new IllegalArgumentException("a training batch needs at least 2 samples (batch norm), got " + n);
    }
    if (inputs == null || labels == null || inputs.length < (long) n * inputSize || labels.length < n) {
      throw new IllegalArgumentException("expected " + n + " samples of " + inputSize + " floats and " + n
          + " labels, got " + (inputs == null ? "null" : inputs.length + " floats") + " and "
          + (labels == null ? "null" : labels.length + " labels"));
    }
    int count = MicroBatches.count(n, microBatch);
    if (slots.length < count) {
      int old = slots.length;
      slots = Arrays.copyOf(slots, count);
      for (int k = old; k < count; k++) {
        slots[k] = new MicroBatchGradient(master);
      }
    }
    this.inputs = inputs;
    this.labels = labels;
    this.n = n;
    run(count);
    return count;
  }

  /** Slot k holds micro-batch k's result of the last {@link #compute} (live). */
  MicroBatchGradient[] results() {
    return slots;
  }

  @Override
  void begin(MicroBatchWorker worker) {
    worker.loadWeights(master.values());
  }

  @Override
  void item(MicroBatchWorker worker, int k) {
    worker.compute(inputs, labels, MicroBatches.start(k, microBatch), MicroBatches.size(k, n, microBatch), n,
        slots[k]);
  }
}
