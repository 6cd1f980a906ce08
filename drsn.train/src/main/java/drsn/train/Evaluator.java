package drsn.train;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.tensor.KernelProvider;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates a model on a dataset without a {@link Trainer}: for tools that only load a model and
 * score it. Same engine and arithmetic as {@link Trainer#evaluate}: evaluation mode (running
 * batch-norm statistics), per-example loss in double precision summed in dataset order, argmax
 * predictions; the result does not depend on the thread count.
 */
public final class Evaluator {

  /** Examples per forward pass (the unit of parallel work). */
  static final int CHUNK = 128;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private Evaluator() {
  }

  /**
   * Evaluates model on data with up to {@code threads} threads of a pool made for this call (and
   * shut down before returning), on this JVM's kernels ({@link KernelProvider#get()}). The data's
   * examples must have the model's input size, and the model's number of classes.
   */
  public static Evaluation evaluate(Model model, Dataset data, int threads) {
    if (model == null || data == null) {
      throw new IllegalArgumentException("model and dataset must not be null, got " + model + " and " + data);
    }
    if (threads < 1 || threads > TrainingConfig.MAX_THREADS) {
      throw new IllegalArgumentException("threads must be in [1, " + TrainingConfig.MAX_THREADS + "], got " + threads);
    }
    Architecture arch = model.architecture();
    if (data.exampleSize() != arch.inputSize()) {
      throw new IllegalArgumentException("examples of " + data.exampleSize() + " values ("
          + Arrays.toString(data.exampleShape()) + ") given, the model expects " + arch.inputSize());
    }
    if (data.numClasses() != arch.classes()) {
      throw new IllegalArgumentException("dataset has " + data.numClasses() + " classes, the model " + arch.classes());
    }
    if (data.size() < 1) {
      throw new IllegalArgumentException("dataset needs at least 1 example, got " + data.size());
    }
    // No more workers than chunks: each worker holds a network with its own workspaces.
    int workers = Math.min(threads, (data.size() + CHUNK - 1) / CHUNK);
    int id = POOLS.incrementAndGet();
    try (ForkJoinPool pool = new ForkJoinPool(workers, p -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
      t.setName("drsn-eval-" + id + "-" + t.getPoolIndex());
      return t;
    }, null, false)) {
      return evaluate(model, data, pool, KernelProvider.get(), CHUNK);
    }
  }

  /** Evaluates model on data with a worker per thread of pool (shared with Trainer). */
  static Evaluation evaluate(Model model, Dataset data, ForkJoinPool pool, KernelProvider kernels, int chunk) {
    Architecture arch = model.architecture();
    MicroBatchWorker[] workers = new MicroBatchWorker[pool.getParallelism()];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new MicroBatchWorker(arch, kernels);
    }
    return evaluate(new EvaluationJob(pool, workers, arch), model.copyParameters(), data, chunk);
  }

  /** Runs the job over data in chunks and assembles loss and confusion matrix (shared with Trainer). */
  static Evaluation evaluate(EvaluationJob job, ParameterSet params, Dataset data, int chunk) {
    int n = data.size();
    double[] loss = new double[n];
    int[] pred = new int[n];
    job.evaluate(params, data, chunk, loss, pred);
    double sum = 0;
    for (double l : loss) {
      sum += l;
    }
    return new Evaluation(sum / n, ConfusionMatrix.of(data.classNames(), data.labels(), pred));
  }
}
