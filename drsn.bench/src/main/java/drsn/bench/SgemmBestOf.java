package drsn.bench;

import com.sun.management.ThreadMXBean;
import drsn.tensor.Gemm;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * Best-of timing of SGEMM for a machine shared with other work, where JMH's averages mostly measure
 * the neighbours. After 1.5 s of warm-up, batches of calls (≥ ~2 ms each) are timed for 2 s and
 * the fastest batch is kept. One thread is timed by the calling thread's CPU time (time spent
 * descheduled does not count); more threads by wall time. Also prints heap bytes allocated per
 * call by the calling thread after warm-up.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.SgemmBestOf \
 *       simd 1 NN:512x512x512 NT:16x48x65536 ...        (path threads FLAGS:MxNxK ...)
 * </pre>
 */
public final class SgemmBestOf {

  private SgemmBestOf() {
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 3) {
      System.err.println("usage: SgemmBestOf simd|scalar THREADS FLAGS:MxNxK ...   (FLAGS = NN, NT, TN or TT)");
      System.exit(2);
    }
    Gemm gemm = Providers.byName(args[0]).gemm();
    int threads = Integer.parseInt(args[1]);
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      for (int s = 2; s < args.length; s++) {
        String[] parts = args[s].split(":");
        boolean ta = parts[0].charAt(0) == 'T';
        boolean tb = parts[0].charAt(1) == 'T';
        String[] d = parts[1].split("x");
        int m = Integer.parseInt(d[0]);
        int n = Integer.parseInt(d[1]);
        int k = Integer.parseInt(d[2]);
        SplittableRandom r = new SplittableRandom(7);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
          b[i] = (float) (r.nextDouble() * 2 - 1);
        }
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        Runnable call = threads == 1
            ? () -> gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n)
            : () -> gemm.sgemm(pool, ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        for (long until = System.nanoTime() + 1_500_000_000L; System.nanoTime() < until; ) {
          call.run();
        }
        double flops = 2.0 * m * n * k;
        int batch = (int) Math.max(1, 2e8 / flops); // ≥ ~2 ms at 100 GFLOP/s
        long allocated0 = mx.getCurrentThreadAllocatedBytes();
        double best = Double.MAX_VALUE;
        long calls = 0;
        for (long until = System.nanoTime() + 2_000_000_000L; System.nanoTime() < until || calls < 3L * batch; ) {
          long t0 = threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime();
          for (int q = 0; q < batch; q++) {
            call.run();
          }
          long t1 = threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime();
          best = Math.min(best, (double) (t1 - t0) / batch);
          calls += batch;
        }
        double bytes = (double) (mx.getCurrentThreadAllocatedBytes() - allocated0) / calls;
        System.out.printf("%-20s %-6s threads=%d  best %11.2f us  %7.1f GFLOP/s  %.2f B/call%n",
            args[s], args[0], threads, best / 1e3, flops / best, bytes);
      }
    } finally {
      pool.shutdown();
    }
  }
}
