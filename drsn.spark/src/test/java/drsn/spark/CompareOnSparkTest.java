package drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spark-drsn compare}: the grid's trainings as Spark tasks give the table of
 * {@code drsn compare} with the same options (every accuracy the same; times differ).
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class CompareOnSparkTest {

  static final List<String> OPTIONS = List.of("--models", "resnet,drsn-cw", "--noise", "gaussian", "--snr", "0",
      "--seeds", "2", "--format", "csv", "--data", "builtin:6", "--length", "256", "--widths", "4,8", "--units", "1,1",
      "--batch", "16", "--threads", "1", "--epochs", "1", "--quiet");

  @Test
  void theGridOnSparkGivesTheAccuraciesOfDrsnCompare() {
    List<String> local = new ArrayList<>(List.of("compare"));
    local.addAll(OPTIONS);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, drsn.cli.Main.run(new PrintWriter(out), new PrintWriter(err), local.toArray(new String[0])),
        err.toString());

    int before = DrsnCommands.GridResult.RUN.get();
    List<String> spark = new ArrayList<>(List.of("compare", "--master", "local[2]"));
    spark.addAll(OPTIONS);
    StringWriter sout = new StringWriter();
    StringWriter serr = new StringWriter();
    assertEquals(0, SparkDrsn.run(SharedSpark.get(), new PrintWriter(sout), new PrintWriter(serr),
        spark.toArray(new String[0])), serr.toString());
    assertEquals(4, DrsnCommands.GridResult.RUN.get() - before, "two families × two seeds as Spark tasks");

    assertEquals(withoutTimes(out.toString()), withoutTimes(sout.toString()));
    assertEquals(3, withoutTimes(sout.toString()).size()); // header and one row per family
  }

  /** The CSV rows without their last column (training time). */
  private static List<String> withoutTimes(String csv) {
    return Arrays.stream(csv.strip().split("\n")).map(l -> l.substring(0, l.lastIndexOf(','))).toList();
  }
}
