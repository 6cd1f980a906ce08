package drsn.spark;

import drsn.cli.CompareGrid;
import drsn.tensor.KernelProvider;
import drsn.train.MicroBatchEngine;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark-drsn train} and {@code compare}: drsn's own commands of the same names, with the same
 * options, data loading and defaults (they are run, not re-implemented), their work on Spark.
 * {@code train}: every training step is one Spark job ({@link SparkMicroBatches}). {@code compare}:
 * every training of the grid (family × noise × SNR × seed) is one Spark task, which re-runs that
 * trial of the same command line on its executor ({@link CompareGrid#trial}): the same accuracy as
 * on one machine, provided the executors compute with the driver's kernels (others are refused).
 */
final class DrsnCommands {

  private DrsnCommands() {
  }

  /** {@code drsn train ARGS} with its steps computed by Spark's executors. */
  static int train(SparkSession spark, PrintWriter out, PrintWriter err, List<String> args) throws Exception {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return MicroBatchEngine.callWith(SparkMicroBatches.factory(sc), () -> drsn.cli.Main.run(out, err, command("train", args)));
  }

  /** {@code drsn compare ARGS} with its trainings as Spark tasks. */
  static int compare(SparkSession spark, PrintWriter out, PrintWriter err, List<String> args) throws Exception {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String kernels = KernelProvider.get().name();
    CompareGrid.Runner runner = (arguments, count) -> {
      ArrayList<String> a = new ArrayList<>(arguments);
      List<Integer> trials = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        trials.add(i);
      }
      List<GridResult> results = sc.parallelize(trials, count).map(i -> GridResult.of(a, i, kernels)).collect();
      List<CompareGrid.Outcome> outcomes = new ArrayList<>();
      for (GridResult r : results) {
        if (r.outcome() == null) {
          throw new IllegalStateException("executor " + r.executor() + " computes with " + r.kernels()
              + " kernels, the driver with " + kernels + ": its trainings would not be the same bits (run every "
              + "executor on the same JDK with the same vector width and --add-modules jdk.incubator.vector)");
        }
        outcomes.add(r.outcome());
      }
      return outcomes;
    };
    return ScopedValue.where(CompareGrid.RUNNER, runner).call(() -> drsn.cli.Main.run(out, err, command("compare", args)));
  }

  /** One trial's outcome, or only the kernels of the executor that refused to run it. */
  record GridResult(String kernels, String executor, CompareGrid.Outcome outcome) implements Serializable {

    /** Trials run by executors in this JVM (tests check that the grid ran on Spark). */
    static final java.util.concurrent.atomic.AtomicInteger RUN = new java.util.concurrent.atomic.AtomicInteger();

    static GridResult of(List<String> arguments, int trial, String expectedKernels) {
      RUN.incrementAndGet();
      String kernels = KernelProvider.get().name();
      String executor = org.apache.spark.SparkEnv.get() == null ? "?" : org.apache.spark.SparkEnv.get().executorId();
      if (!kernels.equals(expectedKernels)) {
        return new GridResult(kernels, executor, null);
      }
      return new GridResult(kernels, executor, CompareGrid.trial(arguments, trial));
    }
  }

  private static String[] command(String name, List<String> args) {
    List<String> all = new ArrayList<>();
    all.add(name);
    all.addAll(args);
    return all.toArray(new String[0]);
  }
}
