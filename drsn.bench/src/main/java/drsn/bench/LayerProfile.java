package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingStep;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training step (batch 128, one thread) or a batch-1 inference of a paper network spends
 * its time, per layer kind. Nothing in the production path is instrumented: the step runs as
 * usual while a JFR recording samples stacks every millisecond, and each sample is attributed by
 * {@link LayerKinds} from its drsn frames (the layer that called a kernel, and the kernel). The
 * call time itself is best-of by the CPU time of all the JVM's threads, in the first half of the run with no
 * recording (descheduled time does not count, so it stays meaningful on a loaded machine); the
 * proportions come from the samples of the second half.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.LayerProfile \
 *       train|infer FAMILY [SECONDS] [CLASSES] [MFLOP] [LENGTH]      e.g.  train drsn-cw 20 10 2.89
 * </pre>
 * MFLOP is the forward cost per sample that {@code drsn inspect} prints; given, the report adds
 * effective GFLOP/s (a training step counts forward + backward as 3 × forward, × 128 samples).
 * LENGTH is the window (default 2048, the paper's); 0 for MFLOP leaves GFLOP/s out.
 */
public final class LayerProfile {

  private static final int PAPER_LENGTH = 2048;
  private static final int BATCH = 128;
  private static final int MICRO_BATCH = 32;

  private LayerProfile() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: LayerProfile train|infer FAMILY [SECONDS] [CLASSES] [MFLOP] [LENGTH]");
      System.exit(2);
    }
    boolean train = switch (args[0]) {
      case "train" -> true;
      case "infer" -> false;
      default -> throw new IllegalArgumentException("mode must be train or infer, got " + args[0]);
    };
    Family family = Family.fromId(args[1]);
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    int classes = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    double mflop = args.length > 4 ? Double.parseDouble(args[4]) : 0;
    int length = args.length > 5 ? Integer.parseInt(args[5]) : PAPER_LENGTH;
    Architecture arch = Architecture.paper(family, length, classes);
    SplittableRandom r = new SplittableRandom(2);
    Runnable call;
    Trainer trainer = null;
    if (train) {
      TrainingConfig config = TrainingConfig.builder().threads(1).batchSize(BATCH).microBatchSize(MICRO_BATCH)
          .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.constant(0.01))
          .kernels(Providers.byName("simd")).build();
      trainer = new Trainer(arch, config);
      TrainingStep step = trainer.newStep(ParameterSet.initialise(arch, 1));
      float[] inputs = gaussian(r, BATCH * arch.inputSize());
      int[] labels = new int[BATCH];
      for (int i = 0; i < BATCH; i++) {
        labels[i] = r.nextInt(classes);
      }
      long[] count = {0};
      call = () -> step.run(inputs, labels, BATCH, count[0]++, 0.01);
    } else {
      Predictor predictor = Model.of(arch, ParameterSet.initialise(arch, 7)).predictor(Providers.byName("simd"));
      float[] signal = gaussian(r, arch.inputSize());
      float[] probabilities = new float[classes];
      call = () -> predictor.predict(signal, probabilities);
    }
    try {
      run(arch, train, call, seconds, mflop);
    } finally {
      if (trainer != null) {
        trainer.close();
      }
    }
  }

  private static void run(Architecture arch, boolean train, Runnable call, double seconds,
                          double mflop) throws IOException {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (long until = System.nanoTime() + 3_000_000_000L; System.nanoTime() < until; ) {
      call.run();
    }
    // Timing first, with no recording running: best-of batches by the CPU time of all threads (the
    // step may run on a worker thread; JIT and GC threads are idle by now). Per-thread clocks have
    // nanosecond resolution; the process clock ticks in 10 ms.
    long best = Long.MAX_VALUE;
    long calls = 0;
    long[] batches = new long[1024]; // CPU time per call of each timed batch, for the percentiles
    int timed = 0;
    long cpuStart = cpuOfAllThreads(mx);
    long wallStart = System.nanoTime();
    // Inference calls are short: time batches of them so the CPU clock's resolution does not matter.
    int per = train ? 1 : 200;
    for (long until = System.nanoTime() + (long) (seconds * 5e8); System.nanoTime() < until; ) {
      long t0 = cpuOfAllThreads(mx);
      for (int i = 0; i < per; i++) {
        call.run();
      }
      long perCall = (cpuOfAllThreads(mx) - t0) / per;
      best = Math.min(best, perCall);
      if (timed == batches.length) {
        batches = Arrays.copyOf(batches, 2 * timed);
      }
      batches[timed++] = perCall;
      calls += per;
    }
    double cpuPerCall = (cpuOfAllThreads(mx) - cpuStart) / (double) calls;
    Arrays.sort(batches, 0, timed);
    // The best call is what the machine can do; on a machine with slow episodes (README, "The slow
    // state") the 10th percentile is the steadier figure, and the one to compare runs by.
    long p10 = batches[timed / 10];
    long median = batches[timed / 2];
    double wallPerCall = (System.nanoTime() - wallStart) / (double) calls;
    Path jfr = Files.createTempFile("drsn-layer-profile", ".jfr");
    try (Recording rec = new Recording()) {
      rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      rec.start();
      for (long until = System.nanoTime() + (long) (seconds * 5e8); System.nanoTime() < until; ) {
        call.run();
      }
      rec.stop();
      rec.dump(jfr);
    }
    Map<String, Integer> kinds = new TreeMap<>();
    Map<String, Integer> raw = new TreeMap<>();
    Map<String, Integer> innermost = new TreeMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      List<String> frames = new ArrayList<>();
      for (RecordedFrame f : e.getStackTrace().getFrames()) {
        frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
      }
      String kind = LayerKinds.classify(frames);
      if (kind == null) {
        continue; // not in drsn code (another thread: JIT, GC, JFR)
      }
      kinds.merge(kind, 1, Integer::sum);
      raw.merge(LayerKinds.callSite(frames), 1, Integer::sum);
      frames.stream().filter(f -> f.startsWith("drsn.")).findFirst()
          .ifPresent(f -> innermost.merge(f.substring(f.lastIndexOf('.', f.lastIndexOf('.') - 1) + 1), 1, Integer::sum));
      total++;
    }
    Files.deleteIfExists(jfr);
    double flops = mflop * 1e6 * (train ? 3.0 * BATCH : 1.0);
    System.out.printf("%s %s, %d classes: %d calls; best %.3f ms CPU per call, p10 %.3f, median %.3f, mean %.3f ms"
            + " CPU, %.3f ms wall (%.1f effective GFLOP/s at best, %.1f at p10, %.3f MFLOP per call)%n",
        train ? "training step (batch " + BATCH + ", micro-batches of " + MICRO_BATCH + ", 1 thread)"
            : "batch-1 inference (Predictor)", arch.family().id(), arch.classes(), calls, best / 1e6, p10 / 1e6,
        median / 1e6, cpuPerCall / 1e6, wallPerCall / 1e6, flops / best, flops / p10, flops / 1e6);
    double peak = fmaPeakGflops();
    System.out.printf("FMA peak (FmaPeakBenchmark's chains, best-of by thread CPU time, same run): %.1f GFLOP/s;"
        + " this call at best: %.3f of it, at p10: %.3f%n", peak, mflop == 0 ? Double.NaN : flops / best / peak,
        mflop == 0 ? Double.NaN : flops / p10 / peak);
    System.out.printf("%d samples in drsn code%n%n-- per layer kind --%n", total);
    print(kinds, total, best);
    System.out.printf("%n-- per call site (caller -> kernel) --%n");
    print(raw, total, best);
    System.out.printf("%n-- per innermost drsn method (where the samples were taken; top 25) --%n");
    print(innermost.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), total, best);
  }

  private static void print(Map<String, Integer> counts, int total, long bestNanos) {
    counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(en -> {
      double share = en.getValue() / (double) total;
      System.out.printf("%6.1f %%  %9.1f µs  %s%n", 100 * share, share * bestNanos / 1e3, en.getKey());
    });
  }

  private static long cpuOfAllThreads(java.lang.management.ThreadMXBean mx) {
    long sum = 0;
    for (long id : mx.getAllThreadIds()) {
      long t = mx.getThreadCpuTime(id);
      if (t > 0) {
        sum += t;
      }
    }
    return sum;
  }

  /** FmaPeakBenchmark's register-only FMA chains, best of at least 40 calls and 1.5 s by the thread's CPU time. */
  private static double fmaPeakGflops() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    FmaPeakBenchmark fma = new FmaPeakBenchmark();
    double flops = (double) FmaPeakBenchmark.ITERATIONS * 12 * jdk.incubator.vector.FloatVector.SPECIES_PREFERRED
        .length() * 2;
    long best = Long.MAX_VALUE;
    float sink = 0;
    // At least 40 calls: the first ones run before the loop is compiled (and are very slow).
    long until = System.nanoTime() + 1_500_000_000L;
    for (int k = 0; k < 40 || System.nanoTime() < until; k++) {
      long t0 = mx.getCurrentThreadCpuTime();
      sink += fma.fmaChains();
      best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
    }
    if (sink == 42f) {
      System.out.print("");
    }
    return flops / best;
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }
}
