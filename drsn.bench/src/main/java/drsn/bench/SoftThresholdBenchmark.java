package drsn.bench;

import drsn.tensor.Reductions;
import drsn.tensor.SoftThreshold;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Soft thresholding (forward and backward) and mean |x| (sumAbs) over 1M floats, next to a plain
 * array copy of the same size. Bytes moved per op: copy and forward 8 MiB (read x, write y),
 * backward 12 MiB (read x, dy; write dx), sumAbs 4 MiB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftThresholdBenchmark {

  @Param({"simd", "scalar"})
  public String path;

  private static final int N = 1 << 20;
  private float[] x;
  private float[] y;
  private float[] dy;
  private float[] dx;
  private SoftThreshold kernel;
  private Reductions reductions;

  @Setup
  public void setup() {
    kernel = Providers.byName(path).softThreshold();
    reductions = Providers.byName(path).reductions();
    SplittableRandom r = new SplittableRandom(1);
    x = new float[N];
    y = new float[N];
    dy = new float[N];
    dx = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = (float) r.nextGaussian();
      dy[i] = (float) r.nextGaussian();
    }
  }

  @Benchmark
  public float[] softThreshold() {
    kernel.forward(x, 0, y, 0, N, 0.5f);
    return y;
  }

  @Benchmark
  public float softThresholdBackward() {
    return kernel.backward(x, 0, dy, 0, dx, 0, N, 0.5f);
  }

  /** mean |x| = sumAbs / len, the statistic the shrinkage sub-network thresholds are built on. */
  @Benchmark
  public float meanAbs() {
    return reductions.sumAbs(x, 0, N) / N;
  }

  @Benchmark
  public float[] arrayCopy() {
    System.arraycopy(x, 0, y, 0, N);
    return y;
  }
}
