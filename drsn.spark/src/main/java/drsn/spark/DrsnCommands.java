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

  /**
   * {@code train-assets --assets DIR --out ROOT OPTIONS}: one model per asset, each asset a folder
   * under DIR holding its data as {@code drsn train --data} takes it; asset A is trained by one Spark
   * task running {@code drsn train --data DIR/A --out ROOT/A OPTIONS}, the same command as on one
   * machine, so the same model. DIR and ROOT must be on a file system every executor mounts (local
   * mode, NFS): drsn train reads and writes files, not Spark paths.
   */
  static int trainAssets(SparkSession spark, PrintWriter out, PrintWriter err, List<String> args) throws Exception {
    List<String> rest = new ArrayList<>(args);
    String assets = take(rest, "--assets");
    String root = take(rest, "--out");
    if (assets == null || root == null) {
      throw new IllegalArgumentException("train-assets needs --assets DIR (one folder per asset) and --out ROOT");
    }
    List<String> names = new ArrayList<>();
    try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of(assets))) {
      dirs.filter(java.nio.file.Files::isDirectory).map(d -> d.getFileName().toString()).sorted().forEach(names::add);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(assets + " holds no asset folders");
    }
    String kernels = KernelProvider.get().name();
    ArrayList<String> options = new ArrayList<>(rest);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<AssetRun> runs = sc.parallelize(names, names.size())
        .map(a -> AssetRun.of(a, assets, root, options, kernels)).collect();
    int failed = 0;
    for (AssetRun r : runs) {
      if (r.code() != 0) {
        failed++;
        err.println("spark-drsn: asset " + r.asset() + ": " + r.message());
      } else {
        out.println(r.asset() + ": " + r.message());
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /** One asset's training: its exit code and its last line of output (or of errors). */
  record AssetRun(String asset, int code, String message) implements Serializable {

    static AssetRun of(String asset, String assets, String root, List<String> options, String expectedKernels) {
      String kernels = KernelProvider.get().name();
      if (!kernels.equals(expectedKernels)) {
        return new AssetRun(asset, 1, "executor computes with " + kernels + " kernels, the driver with "
            + expectedKernels + ": refused (its model would not be the same bits)");
      }
      List<String> all = new ArrayList<>(options);
      all.addAll(List.of("--data", java.nio.file.Path.of(assets, asset).toString(), "--out",
          java.nio.file.Path.of(root, asset).toString()));
      java.io.StringWriter o = new java.io.StringWriter();
      java.io.StringWriter e = new java.io.StringWriter();
      int code = drsn.cli.Main.run(new PrintWriter(o), new PrintWriter(e), command("train", all));
      String text = (code == 0 ? o : e).toString().strip();
      return new AssetRun(asset, code, text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1));
    }
  }

  /** Removes {@code option VALUE} (or option=VALUE) from args and returns VALUE (null when absent). */
  private static String take(List<String> args, String option) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith(option + "=")) {
        return args.remove(i).substring(option.length() + 1);
      }
      if (args.get(i).equals(option) && i + 1 < args.size()) {
        args.remove(i);
        return args.remove(i);
      }
    }
    return null;
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
