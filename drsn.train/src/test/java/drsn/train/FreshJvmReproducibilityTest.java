package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.ParameterSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same weights in a fresh JVM, where the kernels start interpreted and
 * get compiled part-way through training, as in this test JVM, where they were compiled long
 * ago. Any kernel whose bits depend on the execution mode (such as the Vector API's reduceLanes)
 * breaks this, even on one thread. The child JVM gets the same kernel path as this test run.
 */
class FreshJvmReproducibilityTest {

  private static final int LENGTH = 256;
  private static final int CLASSES = 3;

  @Test
  void trainingInAFreshJvmGivesTheSameWeightsAsInThisOne() throws Exception {
    String here = weightsDigest();
    String fresh = weightsDigestInChildJvm();
    assertEquals(here, fresh, "SHA-256 of the trained weights and running statistics: this JVM vs a fresh one");
  }

  /** Trains the paper's DRSN-CW (on 1×256 signals) for two epochs on two threads; digests its parameters. */
  static String weightsDigest() throws NoSuchAlgorithmException {
    Architecture arch = Architecture.paper(Family.DRSN_CW, LENGTH, CLASSES);
    TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(16).microBatchSize(8).threads(2).seed(11)
        .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.paper(0.05)).build();
    TrainingResult result;
    try (Trainer t = new Trainer(arch, cfg)) {
      result = t.fit(data(64, 5), null);
    }
    ParameterSet p = result.finalModel().copyParameters();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (float[] a : new float[][] {p.values(), p.statistics()}) {
      for (float v : a) {
        int bits = Float.floatToRawIntBits(v);
        sha.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static Dataset data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * LENGTH];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES;
      double phase = r.nextDouble(2 * Math.PI);
      for (int t = 0; t < LENGTH; t++) {
        x[i * LENGTH + t] = (float) (Math.sin(2 * Math.PI * (2 + 5 * labels[i]) * t / LENGTH + phase)
            + 0.5 * r.nextGaussian());
      }
    }
    return Dataset.of(x, labels, new int[] {1, LENGTH}, List.of("a", "b", "c"));
  }

  private static String weightsDigestInChildJvm() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      cmd.add("--add-modules");
      cmd.add("jdk.incubator.vector");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Child.class.getName());
    Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!proc.waitFor(120, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 120 s");
    }
    assertEquals(0, proc.exitValue(), "child JVM exit status; its output: " + out);
    return out;
  }

  /** The child JVM's entry point: prints the digest. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      System.out.println(weightsDigest());
    }
  }
}
