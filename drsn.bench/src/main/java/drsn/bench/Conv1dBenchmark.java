package drsn.bench;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.simd.PanamaConvolution;
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
 * 1-D convolution of the paper's network: N = 128, C in = C out ∈ {4, 8, 16}, L ∈ {512, 256, 128},
 * kernel 3, stride 1, padding 1, with bias. Paths: scalar; SIMD im2col + SGEMM; SIMD direct; SIMD
 * automatic choice (what layers get).
 *
 * <p>FLOPs per call (multiply-adds × 2, bias ignored): forward 2·N·C·C·3·L; backward (input and
 * weights) twice that. GFLOP/s = FLOPs / (time/op); e.g. C = 16, L = 512: forward 100.7 MFLOP.
 * Run with {@code -prof gc} to see the allocation per call (expected 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Conv1dBenchmark {

  private static final int N = 128;

  @Param({"simd", "simd-direct", "simd-im2col", "scalar"})
  public String path;

  @Param({"4", "8", "16"})
  public int channels;

  @Param({"512", "256", "128"})
  public int length;

  private ConvShape shape;
  private Convolution conv;
  private float[] x;
  private float[] w;
  private float[] b;
  private float[] y;
  private float[] dy;
  private float[] dx;
  private float[] dw;
  private float[] db;
  private float[] workspace;

  @Setup
  public void setup() {
    shape = ConvShape.of1d(channels, channels, length, 3, 1, 1, 1);
    conv = convolution(path);
    SplittableRandom r = new SplittableRandom(7);
    x = gaussian(r, N * shape.inputSize());
    w = gaussian(r, shape.weightSize());
    b = gaussian(r, channels);
    dy = gaussian(r, N * shape.outputSize());
    y = new float[N * shape.outputSize()];
    dx = new float[N * shape.inputSize()];
    dw = new float[shape.weightSize()];
    db = new float[channels];
    workspace = new float[conv.workspaceSize(shape, N)];
  }

  static Convolution convolution(String path) {
    return switch (path) {
      case "simd-direct" -> new PanamaConvolution(Providers.byName("simd").gemm(), PanamaConvolution.Strategy.DIRECT);
      case "simd-im2col" -> new PanamaConvolution(Providers.byName("simd").gemm(), PanamaConvolution.Strategy.IM2COL);
      default -> Providers.byName(path).convolution();
    };
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @Benchmark
  public float[] forward() {
    conv.forward(shape, N, x, 0, w, 0, b, 0, y, 0, workspace);
    return y;
  }

  /** Gradients with respect to the input and to the weights and bias (which accumulate). */
  @Benchmark
  public float[] backward() {
    conv.backwardInput(shape, N, dy, 0, w, 0, dx, 0, workspace);
    conv.backwardWeights(shape, N, x, 0, dy, 0, dw, 0, db, 0, workspace);
    return dw;
  }
}
