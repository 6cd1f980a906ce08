package drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Model;
import drsn.nn.internal.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judged property: {@code spark-drsn score --master local[2]} on a folder of NPY files gives,
 * per file and window, the class and probabilities (within 1e-6) that {@code drsn predict --json}
 * gives on the same files; a corrupt file among them is an error row, not a failed job.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ScoreMatchesPredictTest {

  static final int LENGTH = 64;

  @TempDir
  Path dir;

  @Test
  void scoreGivesPredictsClassesAndProbabilitiesPerFileAndWindow() throws Exception {
    Model m = TestFiles.model(1, LENGTH, 7);
    Path model = TestFiles.save(m, dir.resolve("model.safetensors"));
    Path in = Files.createDirectories(dir.resolve("signals"));
    // One window exactly; a long signal (a timeline: windows every 64 samples and a last one ending
    // at sample 299); three single-channel signals in one [3, L] array; signals at other periods.
    List<Path> good = List.of(
        TestFiles.npy(in.resolve("one.npy"), TestFiles.signal(LENGTH, 8, 1), LENGTH),
        TestFiles.npy(in.resolve("long.npy"), TestFiles.signal(300, 16, 2), 300),
        TestFiles.npy(in.resolve("rows.npy"), TestFiles.signal(3 * LENGTH, 5, 3), 3, LENGTH),
        TestFiles.npy(in.resolve("slow.npy"), TestFiles.signal(LENGTH, 40, 4), LENGTH));
    Files.write(in.resolve("corrupt.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 99, 0, 'x'});
    TestFiles.npy(in.resolve("short.npy"), TestFiles.signal(10, 4, 5), 10);

    // drsn predict --json on the good files, in-process through the CLI's entry point.
    StringWriter cliOut = new StringWriter();
    StringWriter cliErr = new StringWriter();
    String[] predict = new String[4 + good.size()];
    predict[0] = "predict";
    predict[1] = "--json";
    predict[2] = "--model";
    predict[3] = model.toString();
    for (int i = 0; i < good.size(); i++) {
      predict[4 + i] = good.get(i).toString();
    }
    assertEquals(0, drsn.cli.Main.run(new PrintWriter(cliOut), new PrintWriter(cliErr), predict), cliErr.toString());

    SparkSession spark = SharedSpark.get();
    Path out = dir.resolve("scores");
    StringWriter err = new StringWriter();
    int code = SparkDrsn.run(spark, new PrintWriter(new StringWriter()), new PrintWriter(err), "score",
        "--master", "local[2]", "--model", model.toString(), "--output", out.toString(), in.toString());
    assertEquals(0, code, err.toString());

    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    List<String> columns = List.of(spark.read().parquet(out.toString()).columns());
    assertEquals(List.of("path", "window", "offset", "class", "healthy", "inner race", "outer", "error"), columns);
    Map<String, Row> byWindow = new HashMap<>();
    Map<String, String> errors = new HashMap<>();
    for (Row r : rows) {
      String path = r.getString(0).replaceFirst("^file:", "");
      if (r.isNullAt(7)) {
        byWindow.put(path + "@" + r.getLong(2), r);
      } else {
        errors.put(path, r.getString(7));
      }
    }
    assertEquals(2, errors.size(), errors.toString());
    assertTrue(errors.get(in.resolve("corrupt.npy").toString()).startsWith("cannot read"), errors.toString());
    assertTrue(errors.get(in.resolve("short.npy").toString()).contains("expects 64 samples"), errors.toString());

    int compared = 0;
    for (String line : cliOut.toString().strip().split("\n")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> o = (Map<String, Object>) Json.parse(line, 16);
      String input = (String) o.get("input");
      if (o.containsKey("windows")) {
        Map<String, Integer> votes = new HashMap<>();
        for (Object wo : (List<?>) o.get("windows")) {
          Map<?, ?> w = (Map<?, ?>) wo;
          Row r = byWindow.get(input + "@" + Json.asInt(w.get("start")));
          assertNotNull(r, input + " window at " + w.get("start") + " missing from " + byWindow.keySet());
          assertEquals(w.get("class"), r.getString(3));
          assertEquals(Json.asDouble(w.get("probability")), r.getDouble(4 + classIndex(r.getString(3))), 1e-6);
          votes.merge(r.getString(3), 1, Integer::sum);
          compared++;
        }
        assertEquals(300 / LENGTH + 1, ((List<?>) o.get("windows")).size());
        assertEquals(o.get("class"), majority(votes, m.architecture().classNames()));
      } else {
        Row r = byWindow.get(input + "@0");
        assertNotNull(r, input + " missing from " + byWindow.keySet());
        assertEquals(o.get("class"), r.getString(3));
        assertEquals(0, r.getInt(1));
        Map<?, ?> p = (Map<?, ?>) o.get("probabilities");
        for (int c = 0; c < 3; c++) {
          assertEquals(Json.asDouble(p.get(m.architecture().classNames().get(c))), r.getDouble(4 + c), 1e-6, input);
        }
        compared++;
      }
    }
    // one + 5 windows of long + 3 rows + slow: every window the CLI printed had its Spark row, and no more.
    assertEquals(10, compared);
    assertEquals(compared, byWindow.size());
  }

  @Test
  void scoresAParquetTableOfSignalsIntoCsv() throws Exception {
    Model m = TestFiles.model(1, LENGTH, 9);
    Path model = TestFiles.save(m, dir.resolve("model.safetensors"));
    SparkSession spark = SharedSpark.get();
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("path", org.apache.spark.sql.types.DataTypes.StringType)
        .add("signal", org.apache.spark.sql.types.DataTypes.createArrayType(
            org.apache.spark.sql.types.DataTypes.DoubleType));
    List<Row> rows = new java.util.ArrayList<>();
    List<float[]> signals = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      float[] x = TestFiles.signal(LENGTH + 10 * i, 7 + i, i);
      signals.add(x);
      List<Double> d = new java.util.ArrayList<>();
      for (float v : x) {
        d.add((double) v);
      }
      rows.add(org.apache.spark.sql.RowFactory.create("machine-" + i, d));
    }
    Path table = dir.resolve("table.parquet");
    spark.createDataFrame(rows, schema).write().parquet(table.toString());
    Path out = dir.resolve("scores.csv");
    StringWriter err = new StringWriter();
    assertEquals(0, SparkDrsn.run(spark, new PrintWriter(new StringWriter()), new PrintWriter(err), "score",
        "--model", model.toString(), "--input-format", "parquet", "--output-format", "csv", "--output",
        out.toString(), table.toString()), err.toString());
    List<Row> scored = spark.read().option("header", "true").option("inferSchema", "true").csv(out.toString())
        .collectAsList();
    var predictor = m.predictor();
    int windows = 0;
    for (Row r : scored) {
      int i = Integer.parseInt(r.getString(0).substring("machine-".length()));
      int offset = ((Number) r.getAs("offset")).intValue();
      float[] w = java.util.Arrays.copyOfRange(signals.get(i), offset, offset + LENGTH);
      float[] p = predictor.predict(w);
      for (int c = 0; c < 3; c++) {
        assertEquals(p[c], ((Number) r.get(4 + c)).doubleValue(), 1e-6, r.toString());
      }
      windows++;
    }
    // machine-0 is one window; the others one window and a last one ending at their last sample.
    assertEquals(1 + 5 * 2, windows);
  }

  private static int classIndex(String name) {
    return List.of("healthy", "inner race", "outer").indexOf(name);
  }

  /** The class of most windows, the lowest index on a tie (as the CLI's timeline summary). */
  private static String majority(Map<String, Integer> votes, List<String> names) {
    String best = null;
    for (String n : names) {
      if (votes.getOrDefault(n, 0) > (best == null ? 0 : votes.getOrDefault(best, 0))) {
        best = n;
      }
    }
    return best;
  }
}
