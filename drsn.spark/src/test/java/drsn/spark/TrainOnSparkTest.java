package drsn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Checkpoint;
import drsn.nn.Model;
import drsn.nn.TensorSpec;
import drsn.tensor.KernelProvider;
import drsn.train.MicroBatchGradient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judged property of data-parallel training: {@code spark-drsn train --master local[2]} with
 * the options and seed of a {@code drsn train} run writes a model whose tensors are the same bits,
 * its steps computed as Spark jobs; executors with other kernels are refused.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class TrainOnSparkTest {

  /** A tiny run: 60 windows of 256 samples, two stages of one unit, two epochs of batches of 16. */
  static final List<String> OPTIONS = List.of("--data", "builtin:6", "--length", "256", "--widths", "4,8", "--units",
      "1,1", "--batch", "16", "--threads", "2", "--epochs", "2", "--model", "drsn-cw", "--seed", "5", "--quiet");

  @TempDir
  Path dir;

  @Test
  void sparkTrainWritesTheTensorsOfDrsnTrainBitForBit() throws Exception {
    Path local = dir.resolve("local");
    Path spark = dir.resolve("spark");
    List<String> args = new ArrayList<>(List.of("train", "--out", local.toString()));
    args.addAll(OPTIONS);
    StringWriter err = new StringWriter();
    assertEquals(0, drsn.cli.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
        args.toArray(new String[0])), err.toString());

    long before = SparkMicroBatches.stepsInThisJvm();
    List<String> sargs = new ArrayList<>(List.of("train", "--master", "local[2]", "--out", spark.toString()));
    sargs.addAll(OPTIONS);
    StringWriter serr = new StringWriter();
    assertEquals(0, SparkDrsn.run(SharedSpark.get(), new PrintWriter(new StringWriter()), new PrintWriter(serr),
        sargs.toArray(new String[0])), serr.toString());
    long steps = SparkMicroBatches.stepsInThisJvm() - before;
    assertTrue(steps >= 4, "expected every step of two epochs on Spark, got " + steps);

    Model a = Checkpoint.load(local.resolve("model.safetensors"));
    Model b = Checkpoint.load(spark.resolve("model.safetensors"));
    assertEquals(a.architecture(), b.architecture());
    int compared = 0;
    for (TensorSpec t : a.architecture().layout()) {
      float[] x = a.tensor(t.name());
      float[] y = b.tensor(t.name());
      int[] xb = new int[x.length];
      int[] yb = new int[y.length];
      for (int i = 0; i < x.length; i++) {
        xb[i] = Float.floatToRawIntBits(x[i]);
      }
      for (int i = 0; i < y.length; i++) {
        yb[i] = Float.floatToRawIntBits(y[i]);
      }
      assertArrayEquals(xb, yb, t.name());
      compared++;
    }
    assertTrue(compared > 10);
  }

  @Test
  void executorsWithOtherKernelsAreRefusedWithTheReason() {
    Model m = TestFiles.model(1, 32, 1);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext());
    // A training configured for kernels of another vector width than this JVM's executors have.
    String other = KernelProvider.get().name().equals("simd-512") ? "simd-128" : "simd-512";
    SparkMicroBatches engine = new SparkMicroBatches(sc, m.architecture(), other);
    float[] weights = m.copyParameters().values();
    float[] inputs = new float[8 * 32];
    int[] labels = new int[8];
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> engine.compute(weights, inputs, labels, 8, 4, new MicroBatchGradient[2]));
    assertTrue(e.getMessage().contains("computes with " + KernelProvider.get().name() + " kernels")
        && e.getMessage().contains(other), e.getMessage());
  }
}
