package drsn.spark;

import drsn.nn.Architecture;
import drsn.tensor.KernelProvider;
import drsn.train.MicroBatchEngine;
import drsn.train.MicroBatchGradient;
import drsn.train.MicroBatchWorker;
import drsn.train.MicroBatches;
import drsn.train.TrainingConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training on Spark: one Spark job per training step, one task per
 * micro-batch. The driver keeps the weights and the optimiser state (drsn.train's
 * {@link drsn.train.MicroBatchFold}); each task gets the step's weights (broadcast) and its
 * micro-batch's samples, computes the micro-batch's gradient with a {@link MicroBatchWorker} (one
 * per executor thread) and sends it back; the driver folds them in micro-batch order and steps.
 * The same micro-batches, the same worker code and the same fold as {@code drsn train}: the same
 * bits, provided the executors compute with the same kernels as the driver's configuration. An
 * executor whose kernels differ (another vector width, the scalar fallback) is refused, with the
 * reason, at the first step it takes part in.
 */
final class SparkMicroBatches implements MicroBatchEngine {

  private final JavaSparkContext sc;
  private final HashMap<String, String> architecture;
  private final String kernels;
  private final int inputSize;
  private long steps;

  /** Steps computed on Spark in this JVM, by all engines (tests check that training went through Spark). */
  private static final java.util.concurrent.atomic.AtomicLong STEPS = new java.util.concurrent.atomic.AtomicLong();

  SparkMicroBatches(JavaSparkContext sc, Architecture arch, TrainingConfig config) {
    this(sc, arch, config.kernels().name());
  }

  /** An engine for a training that computes with the kernels named {@code kernels} (see {@link KernelProvider#name()}). */
  SparkMicroBatches(JavaSparkContext sc, Architecture arch, String kernels) {
    this.sc = sc;
    this.architecture = new HashMap<>(arch.toMetadata());
    this.kernels = kernels;
    this.inputSize = arch.inputSize();
  }

  static long stepsInThisJvm() {
    return STEPS.get();
  }

  /** The factory spark-drsn binds around {@code drsn train}. */
  static Factory factory(JavaSparkContext sc) {
    return (arch, config) -> new SparkMicroBatches(sc, arch, config);
  }

  /** Steps taken (one Spark job each). */
  long steps() {
    return steps;
  }

  /** One micro-batch's work: its index, its samples and labels, and the batch size. */
  record Task(int k, float[] inputs, int[] labels, int size, int batchSize) implements Serializable {
  }

  /** A micro-batch's result, or only the kernels of the executor that refused to compute it. */
  record Result(int k, String kernels, String executor, MicroBatchGradient gradient) implements Serializable {
  }

  @Override
  public void compute(float[] weights, float[] inputs, int[] labels, int n, int microBatch,
                      MicroBatchGradient[] results) {
    int count = MicroBatches.count(n, microBatch);
    List<Task> tasks = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      int start = MicroBatches.start(k, microBatch);
      int size = MicroBatches.size(k, n, microBatch);
      tasks.add(new Task(k, Arrays.copyOfRange(inputs, start * inputSize, (start + size) * inputSize),
          Arrays.copyOfRange(labels, start, start + size), size, n));
    }
    Broadcast<float[]> w = sc.broadcast(weights.clone());
    HashMap<String, String> arch = architecture;
    String expected = kernels;
    List<Result> out;
    try {
      out = sc.parallelize(tasks, count).map(t -> Workers.compute(arch, w.value(), t, expected)).collect();
    } finally {
      w.destroy(false);
    }
    for (Result r : out) {
      if (r.gradient() == null) {
        throw new IllegalStateException("executor " + r.executor() + " computes with " + r.kernels()
            + " kernels, the driver's training with " + expected + ": its gradients would not be the same bits "
            + "(run every executor on the same JDK with the same vector width and --add-modules "
            + "jdk.incubator.vector, or none of them)");
      }
      results[r.k()] = r.gradient();
    }
    steps++;
    STEPS.incrementAndGet();
  }

  /** The executor side: one worker per thread and architecture, kept across steps and jobs. */
  static final class Workers {

    private static final ThreadLocal<Map<Map<String, String>, MicroBatchWorker>> WORKERS =
        ThreadLocal.withInitial(HashMap::new);

    private Workers() {
    }

    static Result compute(Map<String, String> arch, float[] weights, Task t, String expectedKernels) {
      KernelProvider kp = KernelProvider.get();
      String executor = org.apache.spark.SparkEnv.get() == null ? "?" : org.apache.spark.SparkEnv.get().executorId();
      if (!kp.name().equals(expectedKernels)) {
        return new Result(t.k(), kp.name(), executor, null);
      }
      MicroBatchWorker worker = WORKERS.get().computeIfAbsent(arch,
          m -> new MicroBatchWorker(Architecture.fromMetadata(m), kp));
      worker.loadWeights(weights);
      MicroBatchGradient g = new MicroBatchGradient(new float[weights.length], statisticsFor(arch), 0, 0, 0);
      worker.compute(t.inputs(), t.labels(), 0, t.size(), t.batchSize(), g);
      return new Result(t.k(), kp.name(), executor, g);
    }

    private static final Map<Map<String, String>, Integer> STATISTICS = new java.util.concurrent.ConcurrentHashMap<>();

    private static float[] statisticsFor(Map<String, String> arch) {
      int n = STATISTICS.computeIfAbsent(arch,
          m -> drsn.nn.ParameterSet.allocate(Architecture.fromMetadata(m).layout()).statistics().length);
      return new float[n];
    }
  }
}
