package drsn.bench;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Best-of wall time per call of one convolution pass on each distinct convolution shape of the
 * paper's DRSN-CW (L = 2048): the stem, the three stride-2 stage transitions and the three
 * stride-1 shapes, called round-robin as a network calls them (so that the JIT sees all shapes,
 * not one at a time), 1 s of warm-up then 2 s of timing, the fastest call per shape kept. The
 * last line weights the shapes as the network has them (1 stem, 1 of each transition, 7 of each
 * stride-1 shape): a pass's convolution time per forward or backward of the network.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.ConvShapesBestOf \
 *       simd 1 forward          (path batch forward|backwardInput|backwardWeights)
 * </pre>
 */
public final class ConvShapesBestOf {

  private ConvShapesBestOf() {
  }

  /** The distinct shapes, and how many convolutions of DRSN-CW have each. */
  private static final ConvShape[] SHAPES = {
      ConvShape.of1d(1, 4, 2048, 3, 2, 1, 1),
      ConvShape.of1d(4, 4, 1024, 3, 2, 1, 1),
      ConvShape.of1d(4, 4, 512, 3, 1, 1, 1),
      ConvShape.of1d(4, 8, 512, 3, 2, 1, 1),
      ConvShape.of1d(8, 8, 256, 3, 1, 1, 1),
      ConvShape.of1d(8, 16, 256, 3, 2, 1, 1),
      ConvShape.of1d(16, 16, 128, 3, 1, 1, 1),
  };
  private static final int[] COUNT = {1, 1, 7, 1, 7, 1, 7};

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: ConvShapesBestOf simd|scalar BATCH forward|backwardInput|backwardWeights");
      System.exit(2);
    }
    Convolution conv = Providers.byName(args[0]).convolution();
    int batch = Integer.parseInt(args[1]);
    String pass = args[2];
    int k = SHAPES.length;
    float[][] x = new float[k][];
    float[][] y = new float[k][];
    float[][] w = new float[k][];
    float[][] b = new float[k][];
    float[][] dw = new float[k][];
    float[][] ws = new float[k][];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < k; i++) {
      ConvShape s = SHAPES[i];
      x[i] = gaussian(r, batch * s.inputSize());
      y[i] = gaussian(r, batch * s.outputSize());
      w[i] = gaussian(r, s.weightSize());
      b[i] = gaussian(r, s.outChannels());
      dw[i] = new float[s.weightSize()];
      ws[i] = new float[conv.workspaceSize(s, batch)];
    }
    long[] best = new long[k];
    Arrays.fill(best, Long.MAX_VALUE);
    long start = System.nanoTime();
    long measureFrom = start + 1_000_000_000L;
    long end = start + 3_000_000_000L;
    for (long now = start; now < end; now = System.nanoTime()) {
      boolean measuring = now >= measureFrom;
      for (int i = 0; i < k; i++) {
        ConvShape s = SHAPES[i];
        long t0 = System.nanoTime();
        switch (pass) {
          case "forward" -> conv.forward(s, batch, x[i], 0, w[i], 0, b[i], 0, y[i], 0, ws[i]);
          case "backwardInput" -> conv.backwardInput(s, batch, y[i], 0, w[i], 0, x[i], 0, ws[i]);
          case "backwardWeights" -> conv.backwardWeights(s, batch, x[i], 0, y[i], 0, dw[i], 0, b[i], 0, ws[i]);
          default -> throw new IllegalArgumentException("unknown pass " + pass);
        }
        long dt = System.nanoTime() - t0;
        if (measuring) {
          best[i] = Math.min(best[i], dt);
        }
      }
    }
    double network = 0;
    for (int i = 0; i < k; i++) {
      ConvShape s = SHAPES[i];
      double flop = 2.0 * batch * s.outputSize() * s.inChannels() * s.kernelW();
      network += (double) best[i] * COUNT[i];
      System.out.printf("%s N=%d  %2d->%2d L%5d stride %d  %10.0f ns  %6.1f GFLOP/s%n", pass, batch,
          s.inChannels(), s.outChannels(), s.width(), s.strideW(), (double) best[i], flop / best[i]);
    }
    System.out.printf("%s N=%d  DRSN-CW's 25 convolutions: %.1f µs%n", pass, batch, network / 1000);
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }
}
