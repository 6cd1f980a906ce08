package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Is a slow batch-1 run drsn's or the machine's? Round after round in one JVM, it times DRSN-CW
 * batch-1 inference and, right after it, two reference loops that share no code and no memory
 * with drsn: a vector sum over 16 KB (L1), one over 640 KB (L2), and {@link FmaPeakBenchmark}'s
 * register-only FMA chains (no memory at all). If drsn's slow rounds are slow because of where its
 * buffers landed or how its kernels were compiled, the references stay fast; if the core itself
 * slows down (a busy SMT sibling or another tenant on the host, clocks), they slow down in the same
 * rounds: the FMA chains where the FMA units are shared, the sums where the caches are. It also counts the collections during the rounds: with none,
 * no buffer moved between a fast and a slow round.
 *
 * <pre>
 *   taskset -c 1 java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar \
 *       drsn.bench.Batch1DriftProbe [ROUNDS=200] [LENGTH=2048]
 * </pre>
 * Times are thread CPU time, best of 20 batches of 500 calls per round (inference), best of
 * 20 passes (sums) and best of 3 calls (FMA chains, about 2 ms each). Rounds are split into fast and slow at 1.2 × the fastest inference
 * round, and the medians of each group are printed side by side.
 */
public final class Batch1DriftProbe {

  private static final int WARM_UP_CALLS = 30_000;
  private static final int BATCHES = 20;
  private static final int CALLS_PER_BATCH = 500;
  private static final int L1_FLOATS = 4 * 1024;    // 16 KB
  private static final int L2_FLOATS = 160 * 1024;  // 640 KB
  private static final int REFERENCE_PASSES = 20;

  private Batch1DriftProbe() {
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int length = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
    if (rounds < 1 || length < 1) {
      throw new IllegalArgumentException("ROUNDS and LENGTH must be positive, got " + rounds + " and " + length);
    }
    Architecture arch = Architecture.paper(Family.DRSN_CW, length, 10);
    Predictor predictor = Model.of(arch, ParameterSet.initialise(arch, 7)).predictor(Providers.byName("simd"));
    SplittableRandom r = new SplittableRandom(3);
    float[] signal = new float[arch.inputSize()];
    for (int i = 0; i < signal.length; i++) {
      signal[i] = (float) r.nextGaussian();
    }
    float[] probabilities = new float[10];
    float[] l1 = new float[L1_FLOATS];
    float[] l2 = new float[L2_FLOATS];
    Arrays.fill(l1, 1f);
    Arrays.fill(l2, 1f);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    float sink = 0;
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      predictor.predict(signal, probabilities);
    }
    for (int i = 0; i < 200; i++) {
      bestSumNanos(l1, 64, mx);
      bestSumNanos(l2, 1, mx);
    }
    double[] inferUs = new double[rounds];
    double[] l1GBs = new double[rounds];
    double[] l2GBs = new double[rounds];
    double[] fmaGflops = new double[rounds];
    FmaPeakBenchmark fma = new FmaPeakBenchmark();
    double fmaFlops = (double) FmaPeakBenchmark.ITERATIONS * 12 * FmaPeakBenchmark.lanes() * 2;
    for (int i = 0; i < 20; i++) {
      bestFmaNanos(fma, mx);
    }
    long gcBefore = collections();
    long start = System.currentTimeMillis();
    for (int k = 0; k < rounds; k++) {
      long best = Long.MAX_VALUE;
      for (int b = 0; b < BATCHES; b++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < CALLS_PER_BATCH; i++) {
          predictor.predict(signal, probabilities);
        }
        best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
      }
      inferUs[k] = best / 1e3 / CALLS_PER_BATCH;
      l1GBs[k] = 64.0 * 4 * L1_FLOATS / bestSumNanos(l1, 64, mx);
      l2GBs[k] = 4.0 * L2_FLOATS / bestSumNanos(l2, 1, mx);
      fmaGflops[k] = fmaFlops / bestFmaNanos(fma, mx);
      System.out.printf("round %d  +%.1f s  inference %.1f us  L1 %.0f GB/s  L2 %.0f GB/s  FMA %.0f GFLOP/s%n", k,
          (System.currentTimeMillis() - start) / 1e3, inferUs[k], l1GBs[k], l2GBs[k], fmaGflops[k]);
    }
    long gcs = collections() - gcBefore;
    double fastest = Arrays.stream(inferUs).min().orElseThrow();
    int fastCount = 0;
    for (double t : inferUs) {
      if (t <= 1.2 * fastest) {
        fastCount++;
      }
    }
    System.out.printf("L = %d, %d rounds, %d collections during the rounds (sink %s)%n", length, rounds, gcs,
        sink == 42 ? "!" : ".");
    System.out.printf("fast rounds (<= 1.2 x %.1f us): %d; median inference %.1f us, L1 %.0f GB/s, L2 %.0f GB/s,"
        + " FMA %.0f GFLOP/s%n", fastest, fastCount, median(inferUs, fastest, true),
        median(l1GBs, inferUs, fastest, true), median(l2GBs, inferUs, fastest, true),
        median(fmaGflops, inferUs, fastest, true));
    System.out.printf("slow rounds: %d; median inference %.1f us, L1 %.0f GB/s, L2 %.0f GB/s, FMA %.0f GFLOP/s%n",
        rounds - fastCount, median(inferUs, fastest, false), median(l1GBs, inferUs, fastest, false),
        median(l2GBs, inferUs, fastest, false), median(fmaGflops, inferUs, fastest, false));
  }

  /**
   * Best of 3 calls of the FMA chains, in a method of its own: timed inline in main's loop (compiled
   * on stack replacement with everything else in it) the chains ran at half the speed they run at
   * in a small method (108 against 214 GFLOP/s, on either CPU; the 640 KB sum 55 against 98 GB/s),
   * a JIT artifact, not the core.
   */
  private static long bestFmaNanos(FmaPeakBenchmark fma, ThreadMXBean mx) {
    long best = Long.MAX_VALUE;
    float sink = 0;
    for (int c = 0; c < 3; c++) {
      long t0 = mx.getCurrentThreadCpuTime();
      sink += fma.fmaChains();
      best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
    }
    return sink == 42 ? best + 1 : best;
  }

  /** Best of {@link #REFERENCE_PASSES} passes of {@code sums} vector sums over a; its own method, as bestFmaNanos. */
  private static long bestSumNanos(float[] a, int sums, ThreadMXBean mx) {
    long best = Long.MAX_VALUE;
    float sink = 0;
    for (int p = 0; p < REFERENCE_PASSES; p++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < sums; i++) {
        sink += VectorSum.sum(a);
      }
      best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
    }
    return sink == 42 ? best + 1 : best;
  }

  private static double median(double[] inferUs, double fastest, boolean fast) {
    return median(inferUs, inferUs, fastest, fast);
  }

  /** Median of values over the rounds whose inference time is fast (≤ 1.2 × fastest) or slow; NaN if none. */
  private static double median(double[] values, double[] inferUs, double fastest, boolean fast) {
    double[] picked = new double[values.length];
    int n = 0;
    for (int k = 0; k < values.length; k++) {
      if ((inferUs[k] <= 1.2 * fastest) == fast) {
        picked[n++] = values[k];
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    Arrays.sort(picked, 0, n);
    return picked[n / 2];
  }

  private static long collections() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionCount());
    }
    return total;
  }

  /** The references: a plain vector sum, four accumulators; nothing of drsn's. */
  private static final class VectorSum {
    private static final jdk.incubator.vector.VectorSpecies<Float> S =
        jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;

    static float sum(float[] a) {
      var a0 = jdk.incubator.vector.FloatVector.zero(S);
      var a1 = a0;
      var a2 = a0;
      var a3 = a0;
      int v = S.length();
      for (int i = 0; i + 4 * v <= a.length; i += 4 * v) {
        a0 = a0.add(jdk.incubator.vector.FloatVector.fromArray(S, a, i));
        a1 = a1.add(jdk.incubator.vector.FloatVector.fromArray(S, a, i + v));
        a2 = a2.add(jdk.incubator.vector.FloatVector.fromArray(S, a, i + 2 * v));
        a3 = a3.add(jdk.incubator.vector.FloatVector.fromArray(S, a, i + 3 * v));
      }
      return a0.add(a1).add(a2.add(a3)).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
  }
}
