package drsn.train;

import drsn.nn.Architecture;
import drsn.nn.ParameterSet;
import java.util.concurrent.ForkJoinPool;

/**
 * One optimisation step over a batch, on a {@link Trainer}'s pool: the batch's fixed
 * micro-batches ({@link MicroBatches}) computed in parallel by one {@link MicroBatchWorker} per
 * thread, then folded in micro-batch order by a {@link MicroBatchFold} (NaN/Inf checks, optional
 * gradient clipping, the optimiser's update and the merge of the batch-norm running statistics).
 * A distributed trainer running the same two pieces on other machines gets the same bits.
 * {@link Trainer#fit} runs these in its epochs; benchmarks and custom loops can drive one directly
 * (see {@link Trainer#newStep}). Not thread-safe; allocates nothing per step once warm.
 */
public final class TrainingStep {

  private final MicroBatchWorker[] workers;
  private final TrainingJob job;
  private final MicroBatchFold fold;
  /** Computes the micro-batches elsewhere instead of {@link #job}, when one is bound (see {@link MicroBatchEngine}). */
  private final MicroBatchEngine engine;
  private final int microBatch;
  private MicroBatchGradient[] slots = new MicroBatchGradient[0];

  TrainingStep(Architecture arch, ParameterSet master, Optimizer optimizer, TrainingConfig config,
               ForkJoinPool pool) {
    if (!master.specs().equals(arch.layout())) {
      throw new IllegalArgumentException("parameters do not follow the architecture's layout");
    }
    this.workers = workers(arch, config, pool.getParallelism());
    this.job = new TrainingJob(pool, workers, master, config.microBatchSize());
    this.fold = new MicroBatchFold(master, optimizer, config.clipGradientNorm());
    this.engine = MicroBatchEngine.BOUND.isBound() ? MicroBatchEngine.BOUND.get().create(arch, config) : null;
    this.microBatch = config.microBatchSize();
  }

  /** One worker per thread: each owns a network over its own parameter copy and workspaces. */
  static MicroBatchWorker[] workers(Architecture arch, TrainingConfig config, int count) {
    MicroBatchWorker[] w = new MicroBatchWorker[count];
    for (int i = 0; i < count; i++) {
      w[i] = new MicroBatchWorker(arch, config.kernels());
    }
    return w;
  }

  /** The parameters this step trains (live; updated by every {@link #run}). */
  public ParameterSet parameters() {
    return fold.parameters();
  }

  public Optimizer optimizer() {
    return fold.optimizer();
  }

  /**
   * Trains on n samples (inputs [n, C, H, W] laid out as the network expects, labels [n]) at the
   * given learning rate; {@code step} only labels error messages. Failures as
   * {@link MicroBatchFold#apply}.
   */
  public void run(float[] inputs, int[] labels, int n, long step, double learningRate) {
    MicroBatchFold.checkRate(learningRate, step);
    if (engine != null) {
      int count = MicroBatches.count(n, microBatch);
      if (slots.length < count) {
        slots = new MicroBatchGradient[count];
      }
      engine.compute(fold.parameters().values(), inputs, labels, n, microBatch, slots);
      fold.apply(slots, count, step, learningRate);
      return;
    }
    int count = job.compute(inputs, labels, n);
    fold.apply(job.results(), count, step, learningRate);
  }

  /** Mean loss of the last batch. */
  public double loss() {
    return fold.loss();
  }

  /** Sum of the per-sample losses of the last batch. */
  public double lossSum() {
    return fold.lossSum();
  }

  /** Correct predictions (training mode) in the last batch. */
  public int correct() {
    return fold.correct();
  }

  /** The workers, for evaluations between steps on the same pool (an {@link EvaluationJob}). */
  MicroBatchWorker[] workers() {
    return workers;
  }
}
