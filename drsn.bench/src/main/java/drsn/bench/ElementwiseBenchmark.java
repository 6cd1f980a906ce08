package drsn.bench;

import drsn.tensor.Elementwise;
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
 * Sigmoid, ReLU and batch-norm forward (training: normalise with given statistics, then affine)
 * over 1M floats, as x [N=64, C=16, L=1024]. Bytes moved per op: sigmoid and ReLU 8 MiB (read x,
 * write y); batch norm 12 MiB (read x, write xhat and y; its second pass re-reads xhat from L1).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {

  @Param({"simd", "scalar"})
  public String path;

  private static final int N = 64;
  private static final int C = 16;
  private static final int L = 1024;
  private static final int SIZE = N * C * L;

  private float[] x;
  private float[] y;
  private float[] xhat;
  private float[] mean;
  private float[] invStd;
  private float[] gamma;
  private float[] beta;
  private Elementwise kernel;

  @Setup
  public void setup() {
    kernel = Providers.byName(path).elementwise();
    SplittableRandom r = new SplittableRandom(2);
    x = new float[SIZE];
    y = new float[SIZE];
    xhat = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      x[i] = (float) (r.nextGaussian() * 3);
    }
    mean = new float[C];
    invStd = new float[C];
    gamma = new float[C];
    beta = new float[C];
    for (int c = 0; c < C; c++) {
      mean[c] = (float) r.nextGaussian();
      invStd[c] = (float) r.nextDouble(0.5, 2);
      gamma[c] = (float) r.nextGaussian();
      beta[c] = (float) r.nextGaussian();
    }
  }

  @Benchmark
  public float[] sigmoid() {
    kernel.sigmoid(x, 0, y, 0, SIZE);
    return y;
  }

  @Benchmark
  public float[] relu() {
    kernel.relu(x, 0, y, 0, SIZE);
    return y;
  }

  @Benchmark
  public float[] batchNormForward() {
    kernel.batchNormForward(N, C, L, x, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, xhat, 0, y, 0);
    return y;
  }
}
