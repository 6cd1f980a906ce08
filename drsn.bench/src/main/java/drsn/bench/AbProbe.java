package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.Elementwise;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import drsn.tensor.SoftThreshold;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingStep;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Two builds of drsn timed against each other in one JVM: each jar (a {@code benchmarks.jar}) is
 * loaded by a class loader of its own, and the two builds' calls alternate, A then B, B then A, so
 * that the machine's slow episodes (README, "The slow state") fall on both alike; separate runs of
 * old and new jars differed more from episode to episode, and from one JVM's JIT to another's, than
 * many of the changes measured. Prints best, 10th percentile and median of each and their ratios
 * B/A. The same jar as A and B (or the same with different arguments after {@code ::}) gives the
 * harness's own spread. Both jars must contain this class's tasks (builds from 2026-12-07 on).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.AbProbe \
 *       SECONDS OLD.jar NEW.jar TASK [ARGS...] [:: ARGS FOR B...]
 *   TASK: drsn.bench.AbProbe$TrainStep [L FAMILY THREADS MICRO]          (batch 128; 2048 drsn-cw 1 32)
 *         drsn.bench.AbProbe$Infer [L FAMILY]                             (batch 1, Predictor; 2048 drsn-cw)
 *         drsn.bench.AbProbe$BatchNormReluBackward C L SETS               (n = 32; SETS arrays in turn: cold data)
 *         drsn.bench.AbProbe$SoftThresholdBackward C L SETS               (RSBU-CW's, n = 32; likewise)
 *         drsn.bench.AbProbe$ConvPass forward|backwardInput|backwardWeights IN OUT L STRIDE   (N = 32, k = 3)
 *         drsn.bench.AbProbe$Sgemm NN|NT|TN|TT M N K                           (one thread, beta = 0)
 * </pre>
 */
public final class AbProbe {

  private AbProbe() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: AbProbe SECONDS A.jar B.jar TASK [ARGS...] [:: ARGS FOR B...]");
      System.exit(2);
    }
    double seconds = Double.parseDouble(args[0]);
    String[] rest = Arrays.copyOfRange(args, 4, args.length);
    int sep = Arrays.asList(rest).indexOf("::");
    String[] argsA = sep < 0 ? rest : Arrays.copyOfRange(rest, 0, sep);
    String[] argsB = sep < 0 ? rest : Arrays.copyOfRange(rest, sep + 1, rest.length);
    Runnable a = load(args[1], args[3], argsA);
    Runnable b = load(args[2], args[3], argsB);
    long warm = System.nanoTime() + (long) (Math.min(5, seconds / 3) * 1e9);
    while (System.nanoTime() < warm) {
      a.run();
      b.run();
    }
    List<Long> ta = new ArrayList<>();
    List<Long> tb = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (boolean aFirst = true; System.nanoTime() < end; aFirst = !aFirst) {
      long t0 = System.nanoTime();
      (aFirst ? a : b).run();
      long t1 = System.nanoTime();
      (aFirst ? b : a).run();
      long t2 = System.nanoTime();
      ta.add(aFirst ? t1 - t0 : t2 - t1);
      tb.add(aFirst ? t2 - t1 : t1 - t0);
    }
    ta.sort(null);
    tb.sort(null);
    int k = ta.size();
    System.out.printf("%s %s%s: %d pairs%n", args[3], String.join(" ", argsA),
        sep < 0 ? "" : " :: " + String.join(" ", argsB), k);
    System.out.printf("  A best %.1f µs, p10 %.1f, median %.1f%n", ta.get(0) / 1e3, ta.get(k / 10) / 1e3,
        ta.get(k / 2) / 1e3);
    System.out.printf("  B best %.1f µs, p10 %.1f, median %.1f%n", tb.get(0) / 1e3, tb.get(k / 10) / 1e3,
        tb.get(k / 2) / 1e3);
    System.out.printf("  B/A best %.3f, p10 %.3f, median %.3f%n", (double) tb.get(0) / ta.get(0),
        (double) tb.get(k / 10) / ta.get(k / 10), (double) tb.get(k / 2) / ta.get(k / 2));
    System.exit(0); // a training step's worker threads
  }

  private static Runnable load(String jar, String task, String[] args) throws Exception {
    URL[] urls = {Path.of(jar).toUri().toURL()};
    ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    return (Runnable) loader.loadClass(task).getConstructor(String[].class).newInstance((Object) args);
  }

  /** sets arrays of n Gaussian floats, to be used in turn: with enough of them each call finds its data out of cache. */
  private static float[][] coldSets(SplittableRandom r, int sets, int n) {
    float[][] a = new float[sets][];
    for (int s = 0; s < sets; s++) {
      a[s] = gaussian(r, n);
    }
    return a;
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /** A training step at batch 128 on the paper's network, SGD, as {@code LayerProfile train} runs it. */
  public static final class TrainStep implements Runnable {
    private final TrainingStep step;
    private final float[] inputs;
    private final int[] labels;
    private long count;

    public TrainStep(String[] a) {
      int length = a.length > 0 ? Integer.parseInt(a[0]) : 2048;
      Family family = Family.fromId(a.length > 1 ? a[1] : "drsn-cw");
      int threads = a.length > 2 ? Integer.parseInt(a[2]) : 1;
      int micro = a.length > 3 ? Integer.parseInt(a[3]) : 32;
      Architecture arch = Architecture.paper(family, length, 10);
      TrainingConfig config = TrainingConfig.builder().threads(threads).batchSize(128).microBatchSize(micro)
          .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.constant(0.01))
          .kernels(Providers.byName("simd")).build();
      step = new Trainer(arch, config).newStep(ParameterSet.initialise(arch, 1));
      SplittableRandom r = new SplittableRandom(2);
      inputs = gaussian(r, 128 * arch.inputSize());
      labels = new int[128];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = r.nextInt(10);
      }
    }

    @Override
    public void run() {
      step.run(inputs, labels, 128, count++, 0.01);
    }
  }

  /** A batch-1 inference through a {@link Predictor}, as {@code LayerProfile infer} runs it. */
  public static final class Infer implements Runnable {
    private final Predictor predictor;
    private final float[] signal;
    private final float[] probabilities;

    public Infer(String[] a) {
      Architecture arch = Architecture.paper(Family.fromId(a.length > 1 ? a[1] : "drsn-cw"),
          a.length > 0 ? Integer.parseInt(a[0]) : 2048, 10);
      predictor = Model.of(arch, ParameterSet.initialise(arch, 7)).predictor(Providers.byName("simd"));
      signal = gaussian(new SplittableRandom(2), arch.inputSize());
      probabilities = new float[10];
    }

    @Override
    public void run() {
      predictor.predict(signal, probabilities);
    }
  }

  /** Batch norm's ReLU-fused backward on [32, C, L], over SETS inputs in turn (enough of them: x cold, as in a step). */
  public static final class BatchNormReluBackward implements Runnable {
    private final Elementwise kernels = KernelProvider.simd().orElseThrow().elementwise();
    private final int c;
    private final int l;
    private final float[][] x;
    private final float[][] dy;
    private final float[] dx;
    private final float[] mean;
    private final float[] ones;
    private final float[] zeros;
    private final float[] dgamma;
    private final float[] dbeta;
    private int next;

    public BatchNormReluBackward(String[] a) {
      c = Integer.parseInt(a[0]);
      l = Integer.parseInt(a[1]);
      int sets = Integer.parseInt(a[2]);
      SplittableRandom r = new SplittableRandom(1);
      x = coldSets(r, sets, 32 * c * l);
      dy = coldSets(r, sets, 32 * c * l);
      dx = new float[32 * c * l];
      mean = new float[c];
      zeros = new float[c];
      ones = new float[c];
      Arrays.fill(ones, 1f);
      dgamma = new float[c];
      dbeta = new float[c];
    }

    @Override
    public void run() {
      int s = next++ % x.length;
      kernels.batchNormReluBackwardFromInput(32, c, l, dy[s], 0, x[s], 0, mean, 0, ones, 0, zeros, 0, ones, 0, dx, 0,
          false, dgamma, 0, dbeta, 0);
    }
  }

  /** The soft threshold's per-channel backward on [32, C, L], over SETS inputs in turn (x cold, as in a step). */
  public static final class SoftThresholdBackward implements Runnable {
    private final SoftThreshold kernels = KernelProvider.simd().orElseThrow().softThreshold();
    private final int c;
    private final int l;
    private final float[][] x;
    private final float[][] dy;
    private final float[] tau;
    private final float[] dx;
    private final float[] dtau;
    private int next;

    public SoftThresholdBackward(String[] a) {
      c = Integer.parseInt(a[0]);
      l = Integer.parseInt(a[1]);
      int sets = Integer.parseInt(a[2]);
      SplittableRandom r = new SplittableRandom(1);
      x = coldSets(r, sets, 32 * c * l);
      dy = coldSets(r, sets, 32 * c * l);
      tau = new float[32 * c];
      Arrays.fill(tau, 0.5f);
      dx = new float[32 * c * l];
      dtau = new float[32 * c];
    }

    @Override
    public void run() {
      int s = next++ % x.length;
      kernels.backwardPerChannel(32, c, l, x[s], 0, tau, 0, dy[s], 0, dx, 0, dtau, 0);
    }
  }

  /**
   * One convolution pass, N = 32, kernel 3, padding 1, its output (or output gradient) at an offset
   * that steps through the 16 floats of a cache line from call to call: where the array lies
   * relative to a cache line moved the weight gradient by 20 % (57.6–59.7 against 70.3–73.9 µs at
   * 16 → 16, L = 128, in one JVM; the JVM places arrays where it likes), so a comparison at one
   * offset compares placements as much as code.
   */
  public static final class ConvPass implements Runnable {
    private final Convolution conv = KernelProvider.simd().orElseThrow().convolution();
    private final String pass;
    private final ConvShape s;
    private final float[] x;
    private final float[] y;
    private final float[] w;
    private final float[] b;
    private final float[] dw;
    private final float[] ws;
    private int shift;

    public ConvPass(String[] a) {
      pass = a[0];
      s = ConvShape.of1d(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]), 3,
          Integer.parseInt(a[4]), 1, 1);
      SplittableRandom r = new SplittableRandom(1);
      x = gaussian(r, 32 * s.inputSize());
      y = gaussian(r, 32 * s.outputSize() + 16);
      w = gaussian(r, s.weightSize());
      b = gaussian(r, s.outChannels());
      dw = new float[s.weightSize()];
      ws = new float[conv.workspaceSize(s, 32)];
    }

    @Override
    public void run() {
      int at = shift++ & 15;
      switch (pass) {
        case "forward" -> conv.forward(s, 32, x, 0, w, 0, b, 0, y, at, ws);
        case "backwardInput" -> conv.backwardInput(s, 32, y, at, w, 0, x, 0, ws);
        case "backwardWeights" -> conv.backwardWeights(s, 32, x, 0, y, at, dw, 0, b, 0, ws);
        default -> throw new IllegalArgumentException("pass must be forward, backwardInput or backwardWeights");
      }
    }
  }

  /** One single-threaded SGEMM call, C = op(A)·op(B), on the SIMD path. */
  public static final class Sgemm implements Runnable {
    private final Gemm gemm = KernelProvider.simd().orElseThrow().gemm();
    private final boolean transA;
    private final boolean transB;
    private final int m;
    private final int n;
    private final int k;
    private final float[] a;
    private final float[] b;
    private final float[] c;

    public Sgemm(String[] args) {
      transA = args[0].charAt(0) == 'T';
      transB = args[0].charAt(1) == 'T';
      m = Integer.parseInt(args[1]);
      n = Integer.parseInt(args[2]);
      k = Integer.parseInt(args[3]);
      SplittableRandom r = new SplittableRandom(1);
      a = gaussian(r, m * k);
      b = gaussian(r, k * n);
      c = new float[m * n];
    }

    @Override
    public void run() {
      gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
    }
  }
}
