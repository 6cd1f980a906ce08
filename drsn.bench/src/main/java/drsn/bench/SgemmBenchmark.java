package drsn.bench;

import drsn.tensor.Gemm;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SGEMM C = op(A)·op(B) (alpha = 1, beta = 0) on square sizes and on the shapes of the paper
 * network's k = 3 convolutions through im2col. GFLOP/s = 2·m·n·k / time.
 *
 * <p>{@code shape} is {@code FLAGS:MxNxK}, FLAGS = transA transB as N or T:
 * <pre>
 *   NN:MxNxK  square                     64 … 1024
 *   NN:Cout x L x Cin·3                  conv forward      Y = W · col
 *   NT:Cout x Cin·3 x L                  weight gradient   dW = dY · colᵀ
 *   TN:Cin·3 x L x Cout                  input gradient    dCol = Wᵀ · dY
 * </pre>
 * L is one signal (128…1024) or a batch of 128 signals of length 512 laid side by side (65536).
 * {@code threads = 1} calls the single-threaded sgemm; more calls the parallel one on a pool of that
 * size created here. The scalar path has no parallel version (it runs serially on any pool) and
 * takes about a third of a second per call at 1024³: select its cases with
 * {@code -p path=scalar -p threads=1 -p shape=...}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {

  @Param({"NN:64x64x64", "NN:128x128x128", "NN:256x256x256", "NN:512x512x512", "NN:1024x1024x1024",
      "NN:4x512x3", "NN:8x256x24", "NN:16x128x48", "NN:16x1024x48", "NN:16x65536x48",
      "NT:16x48x128", "NT:16x48x65536", "TN:48x128x16", "TN:48x65536x16"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  @Param({"simd", "scalar"})
  public String path;

  private Gemm gemm;
  private ForkJoinPool pool;
  private boolean transA;
  private boolean transB;
  private int m;
  private int n;
  private int k;
  private float[] a;
  private float[] b;
  private float[] c;

  @Setup
  public void setup() {
    gemm = Providers.byName(path).gemm();
    String[] parts = shape.split(":");
    transA = parts[0].charAt(0) == 'T';
    transB = parts[0].charAt(1) == 'T';
    String[] dims = parts[1].split("x");
    m = Integer.parseInt(dims[0]);
    n = Integer.parseInt(dims[1]);
    k = Integer.parseInt(dims[2]);
    SplittableRandom r = new SplittableRandom(7);
    a = random(r, m * k);
    b = random(r, k * n);
    c = new float[m * n];
    pool = new ForkJoinPool(threads);
  }

  @TearDown
  public void tearDown() throws InterruptedException {
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }

  private static float[] random(SplittableRandom r, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  @Benchmark
  public float[] sgemm() {
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    if (threads == 1) {
      gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
    } else {
      gemm.sgemm(pool, transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
    }
    return c;
  }
}
