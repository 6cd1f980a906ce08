package drsn.spark;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import drsn.train.MicroBatchEngine;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code spark-drsn bench}: what Spark costs on this machine. Scoring: windows per second through
 * {@link DrsnModel} in the session's master (local[2] by default) against the plain
 * {@link Predictor} on as many threads, same model and windows. Training: the time of one step
 * computed as a Spark job ({@link SparkMicroBatches}) against the same step on the trainer's own
 * pool. Best of a few repetitions (the machine may be shared); seeded random weights and signals.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Scoring throughput and training step time on Spark against plain drsn on the same cores.")
final class BenchCommand implements Callable<Integer> {

  @ParentCommand
  SparkDrsn top;

  @Option(names = "--length", defaultValue = "1024", description = "Window length (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--windows", defaultValue = "8192", description = "Windows scored (default: ${DEFAULT-VALUE}).")
  int windows;

  @Option(names = "--threads", defaultValue = "2",
      description = "Threads of the plain runs; match the master's cores (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--batches", split = ",", defaultValue = "64,256",
      description = "Training batch sizes to time (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--steps", defaultValue = "15", description = "Timed steps per batch size (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--repeat", defaultValue = "3", description = "Repetitions, best kept (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = top.spark();
    Architecture arch = Architecture.paper(Family.DRSN_CW, length, 10);
    Model model = Model.of(arch, ParameterSet.initialise(arch, 1));
    var o = top.out();
    o.printf(Locale.ROOT, "spark-drsn bench: %s, paper network, window %d, master %s, %d plain threads, kernels %s%n",
        arch.family().id(), length, spark.sparkContext().master(), threads, drsn.tensor.KernelProvider.get().name());
    scoring(spark, model);
    for (int b : batches) {
      training(spark, arch, b);
    }
    return 0;
  }

  private void scoring(SparkSession spark, Model model) throws Exception {
    Random r = new Random(2);
    List<Row> rows = new ArrayList<>(windows);
    float[][] signals = new float[windows][length];
    for (int w = 0; w < windows; w++) {
      List<Float> l = new ArrayList<>(length);
      for (int t = 0; t < length; t++) {
        signals[w][t] = (float) r.nextGaussian();
        l.add(signals[w][t]);
      }
      rows.add(RowFactory.create(l));
    }
    StructType schema = new StructType().add("signal", DataTypes.createArrayType(DataTypes.FloatType, false))
        .add("bytes", DataTypes.BinaryType);
    List<Row> withBytes = new ArrayList<>(windows);
    for (int w = 0; w < windows; w++) {
      withBytes.add(RowFactory.create(rows.get(w).get(0), SignalValues.toBytes(signals[w])));
    }
    Dataset<Row> df = spark.createDataFrame(withBytes, schema).repartition(spark.sparkContext().defaultParallelism())
        .cache();
    df.count();
    Dataset<Row> arrays = df.select("signal");
    Dataset<Row> binary = df.select("bytes");
    DrsnModel t = new DrsnModel(ModelBytes.of(ModelBytes.toBytes(model), "bench"));
    double arrayBest = Double.MAX_VALUE;
    double binaryBest = Double.MAX_VALUE;
    double plainBest = Double.MAX_VALUE;
    Predictor p = model.predictor();
    for (int i = 0; i < repeat + 1; i++) { // the first round warms up all three
      double arraySecs = timed(() -> t.setInputCol("signal").transform(arrays).write().format("noop")
          .mode("overwrite").save());
      double binarySecs = timed(() -> t.setInputCol("bytes").transform(binary).write().format("noop")
          .mode("overwrite").save());
      double plainSecs = timed(() -> plain(p, signals));
      if (i > 0) {
        arrayBest = Math.min(arrayBest, arraySecs);
        binaryBest = Math.min(binaryBest, binarySecs);
        plainBest = Math.min(plainBest, plainSecs);
      }
    }
    df.unpersist();
    top.out().printf(Locale.ROOT, "scoring %d windows: plain Predictor on %d threads %.0f windows/s (%.2f s); Spark, "
        + "array<float> column %.0f windows/s (%.2f s, %.2f× the time); Spark, binary float32 column %.0f "
        + "windows/s (%.2f s, %.2f× the time)%n", windows, threads, windows / plainBest, plainBest,
        windows / arrayBest, arrayBest, arrayBest / plainBest, windows / binaryBest, binaryBest,
        binaryBest / plainBest);
  }

  private interface Work {
    void run() throws Exception;
  }

  private static double timed(Work w) throws Exception {
    long t0 = System.nanoTime();
    w.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Windows split among the threads, each scoring its share in batches of 64 through the one predictor. */
  private void plain(Predictor p, float[][] signals) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        int from = (int) ((long) signals.length * k / threads);
        int to = (int) ((long) signals.length * (k + 1) / threads);
        parts.add(pool.submit(() -> {
          float[] batch = new float[64 * length];
          float[] probs = new float[64 * p.classes()];
          for (int s = from; s < to; s += 64) {
            int n = Math.min(64, to - s);
            for (int w = 0; w < n; w++) {
              System.arraycopy(signals[s + w], 0, batch, w * length, length);
            }
            p.predictBatch(n == 64 ? batch : java.util.Arrays.copyOf(batch, n * length), n, probs);
          }
        }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private void training(SparkSession spark, Architecture arch, int batch) throws Exception {
    TrainingConfig config = TrainingConfig.builder().batchSize(batch).threads(threads).epochs(1).build();
    Random r = new Random(3);
    float[] inputs = new float[batch * arch.inputSize()];
    int[] labels = new int[batch];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < batch; i++) {
      labels[i] = r.nextInt(arch.classes());
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    double localBest = Double.MAX_VALUE;
    double sparkBest = Double.MAX_VALUE;
    try (Trainer trainer = new Trainer(arch, config)) {
      TrainingStep local = trainer.newStep(ParameterSet.initialise(arch, 4));
      TrainingStep distributed = MicroBatchEngine.callWith(SparkMicroBatches.factory(sc),
          () -> trainer.newStep(ParameterSet.initialise(arch, 4)));
      for (int i = 0; i < repeat + 1; i++) {
        double l = perStep(local, inputs, labels, batch);
        double s = perStep(distributed, inputs, labels, batch);
        if (i > 0) {
          localBest = Math.min(localBest, l);
          sparkBest = Math.min(sparkBest, s);
        }
      }
    }
    top.out().printf(Locale.ROOT, "training step, batch %d (%d micro-batches of %d): local %.1f ms, one Spark job "
        + "%.1f ms: overhead %.1f ms per step (%.2f×)%n", batch, drsn.train.MicroBatches.count(batch,
        config.microBatchSize()), config.microBatchSize(), 1e3 * localBest, 1e3 * sparkBest,
        1e3 * (sparkBest - localBest), sparkBest / localBest);
  }

  private double perStep(TrainingStep step, float[] inputs, int[] labels, int batch) {
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      step.run(inputs, labels, batch, i, 1e-3);
    }
    return (System.nanoTime() - t0) / 1e9 / steps;
  }
}
