package drsn.spark;

import drsn.train.MicroBatchEngine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spark-drsn train} and {@code compare}: drsn's own commands of the same names, with the same
 * options, data loading and defaults (they are run, not re-implemented), their work on Spark.
 * {@code train}: every training step is one Spark job ({@link SparkMicroBatches}).
 */
final class DrsnCommands {

  private DrsnCommands() {
  }

  /** {@code drsn train ARGS} with its steps computed by Spark's executors. */
  static int train(SparkSession spark, PrintWriter out, PrintWriter err, List<String> args) throws Exception {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> all = new ArrayList<>();
    all.add("train");
    all.addAll(args);
    return MicroBatchEngine.callWith(SparkMicroBatches.factory(sc),
        () -> drsn.cli.Main.run(out, err, all.toArray(new String[0])));
  }
}
