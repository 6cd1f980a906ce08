package drsn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML transformer: the Predictor's probabilities per row, errors per row, save and load. */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class DrsnModelTest {

  static final int LENGTH = 32;

  @TempDir
  Path dir;

  private static List<Double> boxed(float[] x) {
    List<Double> l = new ArrayList<>();
    for (float v : x) {
      l.add((double) v);
    }
    return l;
  }

  @Test
  void scoresDoubleArraysLikeThePredictorAndReportsBadRowsWithoutFailing() throws Exception {
    Model m = TestFiles.model(1, LENGTH, 3);
    ModelBytes bytes = ModelBytes.read(TestFiles.save(m, dir.resolve("m.safetensors")).toString(),
        new org.apache.hadoop.conf.Configuration());
    SparkSession spark = SharedSpark.get();
    StructType schema = new StructType().add("id", DataTypes.IntegerType)
        .add("signal", DataTypes.createArrayType(DataTypes.DoubleType, true));
    List<Row> rows = new ArrayList<>();
    List<float[]> signals = new ArrayList<>();
    for (int i = 0; i < 150; i++) { // more rows than one batch of 64, in several partitions
      float[] x = TestFiles.signal(LENGTH, 3 + i % 17, i);
      signals.add(x);
      rows.add(RowFactory.create(i, boxed(x)));
    }
    List<Double> nan = boxed(TestFiles.signal(LENGTH, 4, 99));
    nan.set(5, Double.NaN);
    rows.add(RowFactory.create(150, nan));
    rows.add(RowFactory.create(151, boxed(new float[LENGTH - 1])));
    rows.add(RowFactory.create(152, null));
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(3);

    DrsnModel t = new DrsnModel(bytes).setBatchSize(64);
    List<Row> out = t.transform(df).orderBy("id").collectAsList();
    assertEquals(153, out.size());
    var predictor = m.predictor();
    for (int i = 0; i < 150; i++) {
      Row r = out.get(i);
      float[] p = predictor.predict(signals.get(i));
      Vector v = r.getAs("probability");
      double[] expected = new double[p.length];
      for (int c = 0; c < p.length; c++) {
        expected[c] = p[c];
      }
      assertArrayEquals(expected, v.toArray(), 1e-6, "row " + i);
      assertEquals(v.argmax(), (int) r.getDouble(r.fieldIndex("prediction")));
      assertEquals(m.architecture().classNames().get(v.argmax()), r.getAs("label"));
      assertNull(r.getAs("error"));
    }
    assertTrue(((String) out.get(150).getAs("error")).contains("sample 5 is NaN"), out.get(150).toString());
    assertTrue(((String) out.get(151).getAs("error")).contains("the signal has 31"), out.get(151).toString());
    assertEquals("the signal is null", out.get(152).getAs("error"));
    for (int i = 150; i < 153; i++) {
      assertTrue(out.get(i).isNullAt(out.get(i).fieldIndex("probability")));
    }
  }

  @Test
  void scoresOneArrayPerChannelAndDecodesTheModelOncePerJvm() throws Exception {
    Model m = TestFiles.model(2, LENGTH, 5);
    ModelBytes bytes = ModelBytes.of(ModelBytes.toBytes(m), "two-channel");
    SparkSession spark = SharedSpark.get();
    StructType schema = new StructType().add("signal",
        DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false));
    List<Row> rows = new ArrayList<>();
    List<float[]> flat = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      float[] a = TestFiles.signal(LENGTH, 5, i);
      float[] b = TestFiles.signal(LENGTH, 9, 100 + i);
      float[] both = Arrays.copyOf(a, 2 * LENGTH);
      System.arraycopy(b, 0, both, LENGTH, LENGTH);
      flat.add(both);
      rows.add(RowFactory.create(List.of(floats(a), floats(b))));
    }
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2);
    long before = ExecutorModels.decodes();
    DrsnModel t = new DrsnModel(bytes);
    List<Row> first = t.transform(df).collectAsList();
    List<Row> second = t.transform(df).collectAsList();
    // local mode: the executors are this JVM, so the cache is this JVM's: one decode for two jobs.
    assertEquals(before + 1, ExecutorModels.decodes());
    assertEquals(20, first.size());
    var predictor = m.predictor();
    for (Row r : first) {
      List<Object> s = r.getList(0);
      float[] x = new float[2 * LENGTH];
      for (int c = 0; c < 2; c++) {
        List<?> ch = SignalValues.asList(s.get(c));
        for (int k = 0; k < LENGTH; k++) {
          x[c * LENGTH + k] = (Float) ch.get(k);
        }
      }
      float[] p = predictor.predict(x);
      Vector v = r.getAs("probability");
      for (int c = 0; c < p.length; c++) {
        assertEquals(p[c], v.apply(c), 1e-6);
      }
    }
    assertEquals(first.stream().map(Row::toString).sorted().toList(),
        second.stream().map(Row::toString).sorted().toList());
  }

  @Test
  void scoresBinaryFloat32SignalsLikeArraysAndRefusesWrongByteCounts() throws Exception {
    Model m = TestFiles.model(1, LENGTH, 8);
    SparkSession spark = SharedSpark.get();
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("signal", DataTypes.BinaryType);
    List<Row> rows = new ArrayList<>();
    List<float[]> signals = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      float[] x = TestFiles.signal(LENGTH, 3 + i, 50 + i);
      signals.add(x);
      rows.add(RowFactory.create(i, SignalValues.toBytes(x)));
    }
    rows.add(RowFactory.create(10, new byte[4 * LENGTH - 2]));
    float[] inf = TestFiles.signal(LENGTH, 3, 1);
    inf[7] = Float.POSITIVE_INFINITY;
    rows.add(RowFactory.create(11, SignalValues.toBytes(inf)));
    List<Row> out = new DrsnModel(ModelBytes.of(ModelBytes.toBytes(m), "m"))
        .transform(spark.createDataFrame(rows, schema)).orderBy("id").collectAsList();
    var predictor = m.predictor();
    for (int i = 0; i < 10; i++) {
      float[] p = predictor.predict(signals.get(i));
      Vector v = out.get(i).getAs("probability");
      for (int c = 0; c < p.length; c++) {
        assertEquals(p[c], v.apply(c), 1e-6);
      }
    }
    assertTrue(((String) out.get(10).getAs("error")).contains("the signal has 126 bytes"), out.get(10).toString());
    assertTrue(((String) out.get(11).getAs("error")).contains("sample 7 is Infinity"), out.get(11).toString());
  }

  private static List<Float> floats(float[] x) {
    List<Float> l = new ArrayList<>();
    for (float v : x) {
      l.add(v);
    }
    return l;
  }

  @Test
  void savesAndLoadsLikeSparkMlModelsWithItsParameters() throws Exception {
    SharedSpark.get(); // ML writers and readers use the active session
    Model m = TestFiles.model(1, LENGTH, 11);
    DrsnModel t = new DrsnModel(ModelBytes.of(ModelBytes.toBytes(m), "m")).setInputCol("x").setLabelCol("name")
        .setBatchSize(7);
    String path = dir.resolve("saved").toString();
    t.write().save(path);
    DrsnModel back = DrsnModel.load(path);
    assertEquals(t.uid(), back.uid());
    assertEquals("x", back.getOrDefault(back.inputCol()));
    assertEquals("name", back.getOrDefault(back.labelCol()));
    assertEquals(7, back.getOrDefault(back.batchSize()));
    assertEquals(t.modelBytes().digest(), back.modelBytes().digest());
    assertTrue(Files.isRegularFile(Path.of(path, DrsnModel.DATA_FILE)));
  }

  @Test
  void anUnreadableModelFailsOnTheDriverWithTheReason() throws Exception {
    Path bad = Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    var conf = new org.apache.hadoop.conf.Configuration();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelBytes.read(bad.toString(), conf));
    assertTrue(e.getMessage().startsWith("cannot load model ") && e.getMessage().contains("bad.safetensors"),
        e.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> ModelBytes.read(dir.resolve("absent").toString(), conf));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    // Through the launcher: exit code 1 and one line naming the file, before any task runs.
    java.io.StringWriter err = new java.io.StringWriter();
    int code = SparkDrsn.run(SharedSpark.get(), new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(err), "score", "--model", bad.toString(), "--output", dir.resolve("o").toString(),
        dir.toString());
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("spark-drsn: cannot load model ") && err.toString().strip().split("\n").length == 1,
        err.toString());
  }
}
