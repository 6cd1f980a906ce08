package drsn.train.internal;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import drsn.nn.layer.BatchNorm;
import drsn.tensor.KernelProvider;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic data-parallel forward/backward over a master {@link ParameterSet}, on a given
 * {@link ForkJoinPool}.
 *
 * <p>A batch of B samples is cut into micro-batches of a fixed size ({@link MicroBatches}), which
 * does not depend on the thread count. Each of the T workers owns a {@link Network} over its own
 * copy of the parameters (values refreshed from the master at every step; its own workspaces and
 * running statistics, so nothing is written concurrently). Workers take micro-batches in any
 * order, but every micro-batch's result goes to its own slot, and the slots are combined in
 * micro-batch order on the calling thread:
 * <pre>
 *   gradient      = Σ_k g_k                       (k = 0, 1, …; g_k already carries the factor 1/B)
 *   loss          = Σ_k Σ_{s in k} loss_s / B
 *   running stats = (1 − momentum)·master + Σ_k (n_k/B)·r_k
 * </pre>
 * where r_k is what batch norm leaves in a worker's running statistics when they were zeroed
 * before micro-batch k's forward pass: exactly momentum·(batch statistic of micro-batch k). Batch
 * norm is thus "ghost" batch norm (statistics per micro-batch), and the result is bit-identical
 * for any number of threads.
 */
public final class DataParallel {

  private final Architecture arch;
  private final ParameterSet master;
  private final ForkJoinPool pool;
  private final int microBatch;
  private final int inputSize;
  private final int classes;
  private final Worker[] workers;
  private final WorkerTask[] tasks;
  private final AtomicInteger nextMicro = new AtomicInteger();
  private final float[] gradient;
  /** Runs every worker's task; reused (reinitialised) for each job so that a step allocates nothing. */
  private final RecursiveAction root = new RecursiveAction() {
    @Override
    protected void compute() {
      ForkJoinTask.invokeAll(tasks);
    }
  };

  // Per micro-batch results, grown to the largest micro-batch count seen.
  private float[][] microGrads = new float[0][];
  private float[][] microStats = new float[0][];
  private double[] microLoss = new double[0];
  private int[] microCorrect = new int[0];
  private double[] microShare = new double[0];

  // The current job (set on the calling thread before invoking the pool).
  private float[] jobInputs;
  private int[] jobLabels;
  private int jobN;
  private int jobMicroCount;
  private boolean jobTraining;
  private Dataset jobData;
  private int jobChunk;
  private double[] jobLoss;
  private int[] jobPred;
  private ParameterSet jobSource;

  private double lastLossSum;
  private int lastCorrect;
  private int lastN;

  public DataParallel(Architecture arch, ParameterSet master, KernelProvider provider, ForkJoinPool pool,
                      int microBatch) {
    if (microBatch < 2) {
      throw new IllegalArgumentException("micro-batch size must be >= 2 (batch norm needs two samples), got "
          + microBatch);
    }
    this.arch = arch;
    this.master = master;
    this.pool = pool;
    this.microBatch = microBatch;
    this.inputSize = arch.inputSize();
    this.classes = arch.classes();
    int threads = pool.getParallelism();
    this.workers = new Worker[threads];
    this.tasks = new WorkerTask[threads];
    for (int w = 0; w < threads; w++) {
      workers[w] = new Worker(new Network(arch, master.copy(), provider));
      tasks[w] = new WorkerTask(workers[w]);
    }
    this.gradient = new float[master.values().length];
  }

  /** The summed gradient of the last {@link #computeGradients} call (live array). */
  public float[] gradient() {
    return gradient;
  }

  /** Mean loss of the last batch. */
  public double lastLoss() {
    return lastLossSum / lastN;
  }

  /** Sum of per-sample losses of the last batch. */
  public double lastLossSum() {
    return lastLossSum;
  }

  /** Correct argmax predictions in the last batch. */
  public int lastCorrect() {
    return lastCorrect;
  }

  /**
   * Forward and backward over n samples (inputs [n, inputSize], labels [n]) in training mode; the
   * gradient of the batch's mean loss is left in {@link #gradient()}. The master parameters are
   * not modified: call {@link #mergeStatistics()} to fold the batch-norm statistics in.
   */
  public void computeGradients(float[] inputs, int[] labels, int n) {
    if (n < 2) {
      throw new IllegalArgumentException("a training batch needs at least 2 samples (batch norm), got " + n);
    }
    if (inputs.length < (long) n * inputSize || labels.length < n) {
      throw new IllegalArgumentException("expected " + n + " samples of " + inputSize + " floats and " + n
          + " labels, got " + inputs.length + " floats and " + labels.length + " labels");
    }
    int k = MicroBatches.count(n, microBatch);
    ensureMicroSlots(k);
    jobInputs = inputs;
    jobLabels = labels;
    jobN = n;
    jobMicroCount = k;
    jobTraining = true;
    run();
    // Fixed-order reduction, independent of which worker ran which micro-batch.
    System.arraycopy(microGrads[0], 0, gradient, 0, gradient.length);
    for (int j = 1; j < k; j++) {
      float[] g = microGrads[j];
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] += g[i];
      }
    }
    double loss = 0;
    int correct = 0;
    for (int j = 0; j < k; j++) {
      loss += microLoss[j];
      correct += microCorrect[j];
    }
    lastLossSum = loss;
    lastCorrect = correct;
    lastN = n;
  }

  /** Folds the last batch's per-micro-batch running statistics into the master, in micro-batch order. */
  public void mergeStatistics() {
    float[] stats = master.statistics();
    double keep = 1 - BatchNorm.MOMENTUM;
    int k = jobMicroCount;
    for (int j = 0; j < k; j++) {
      microShare[j] = (double) MicroBatches.size(j, lastN, microBatch) / lastN;
    }
    for (int i = 0; i < stats.length; i++) {
      double acc = keep * stats[i];
      for (int j = 0; j < k; j++) {
        acc += microShare[j] * microStats[j][i];
      }
      stats[i] = (float) acc;
    }
  }

  /**
   * Evaluates parameters (of the master's layout) on a dataset in evaluation mode, in chunks of
   * the given size spread over the workers; per-example loss and argmax prediction go to loss and
   * prediction (dataset order), so the result does not depend on the thread count.
   */
  public void evaluate(ParameterSet source, Dataset data, int chunk, double[] loss, int[] prediction) {
    if (!source.specs().equals(master.specs())) {
      throw new IllegalArgumentException("parameters to evaluate do not follow the trained architecture's layout");
    }
    if (data.exampleSize() != inputSize) {
      throw new IllegalArgumentException("examples of " + data.exampleSize() + " floats, the network expects "
          + inputSize);
    }
    jobData = data;
    jobChunk = chunk;
    jobLoss = loss;
    jobPred = prediction;
    jobSource = source;
    jobLabels = data.labels();
    jobTraining = false;
    jobMicroCount = (data.size() + chunk - 1) / chunk;
    try {
      run();
    } finally {
      jobData = null;
      jobSource = null;
    }
  }

  private void run() {
    nextMicro.set(0);
    for (WorkerTask t : tasks) {
      t.reinitialize();
    }
    root.reinitialize();
    pool.invoke(root);
  }

  private void ensureMicroSlots(int k) {
    if (microGrads.length >= k) {
      return;
    }
    int old = microGrads.length;
    microGrads = Arrays.copyOf(microGrads, k);
    microStats = Arrays.copyOf(microStats, k);
    microLoss = Arrays.copyOf(microLoss, k);
    microCorrect = Arrays.copyOf(microCorrect, k);
    microShare = Arrays.copyOf(microShare, k);
    for (int j = old; j < k; j++) {
      microGrads[j] = new float[master.values().length];
      microStats[j] = new float[master.statistics().length];
    }
  }

  /** One worker's share of a job: micro-batches (or evaluation chunks) taken until none are left. */
  private final class WorkerTask extends RecursiveAction {
    private final Worker worker;

    WorkerTask(Worker worker) {
      this.worker = worker;
    }

    @Override
    protected void compute() {
      if (jobTraining) {
        train();
      } else {
        evaluateChunks();
      }
    }

    private void train() {
      boolean refreshed = false;
      int k;
      while ((k = nextMicro.getAndIncrement()) < jobMicroCount) {
        if (!refreshed) {
          System.arraycopy(master.values(), 0, worker.params.values(), 0, master.values().length);
          worker.net.training(true);
          refreshed = true;
        }
        int start = MicroBatches.start(k, microBatch);
        int n = MicroBatches.size(k, jobN, microBatch);
        worker.ensure(n, inputSize, classes);
        System.arraycopy(jobInputs, start * inputSize, worker.input, 0, n * inputSize);
        Arrays.fill(worker.params.statistics(), 0f);
        float[] logits = worker.net.forward(worker.input, n);
        microLoss[k] = CrossEntropy.lossAndGradient(logits, n, classes, jobLabels, start, jobN, worker.dz,
            worker.correct);
        microCorrect[k] = worker.correct[0];
        worker.net.zeroGradients();
        worker.net.backward(worker.dz);
        System.arraycopy(worker.net.gradients(), 0, microGrads[k], 0, microGrads[k].length);
        System.arraycopy(worker.params.statistics(), 0, microStats[k], 0, microStats[k].length);
      }
    }

    private void evaluateChunks() {
      boolean refreshed = false;
      int c;
      while ((c = nextMicro.getAndIncrement()) < jobMicroCount) {
        if (!refreshed) {
          System.arraycopy(jobSource.values(), 0, worker.params.values(), 0, jobSource.values().length);
          System.arraycopy(jobSource.statistics(), 0, worker.params.statistics(), 0,
              jobSource.statistics().length);
          worker.net.training(false);
          refreshed = true;
        }
        int start = c * jobChunk;
        int n = Math.min(jobChunk, jobData.size() - start);
        worker.ensure(n, inputSize, classes);
        for (int s = 0; s < n; s++) {
          jobData.copyExample(start + s, worker.input, s * inputSize);
        }
        float[] logits = worker.net.forward(worker.input, n);
        CrossEntropy.lossAndPrediction(logits, n, classes, jobLabels, start, jobLoss, jobPred, start);
      }
    }
  }

  /** A network over its own parameter copy, with its own input and logit-gradient buffers. */
  private static final class Worker {
    final Network net;
    final ParameterSet params;
    final int[] correct = new int[1];
    float[] input = new float[0];
    float[] dz = new float[0];

    Worker(Network net) {
      this.net = net;
      this.params = net.parameters();
    }

    void ensure(int n, int inputSize, int classes) {
      if (input.length < n * inputSize) {
        input = new float[n * inputSize];
        dz = new float[n * classes];
        net.reserve(n);
      }
    }
  }
}
