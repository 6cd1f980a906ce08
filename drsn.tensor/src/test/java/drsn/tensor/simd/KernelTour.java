package drsn.tensor.simd;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.FoldedConvolution;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import java.util.SplittableRandom;

/**
 * Calls every large SIMD kernel at least once — the GEMM's tiles (4, 8 and 12 rows) and paths
 * (packed, B in place, dots, tiny), the direct convolution's blocks for 1–16 channels at strides 1
 * and 2, batches 1, 4 and 32, with and without batch norm in the copy and prepacked weights, the
 * soft threshold's rows — so that a child JVM started with {@code -Xcomp} compiles each of them
 * ({@link TieredKernelsTest}). Prints nothing.
 */
public final class KernelTour {

  private KernelTour() {
  }

  public static void main(String[] args) {
    tour(new PanamaKernelProvider());
  }

  static void tour(KernelProvider p) {
    SplittableRandom r = new SplittableRandom(3);
    Gemm gemm = p.gemm();
    int[][] gemms = {{3, 40, 20}, {20, 40, 20}, {100, 40, 300}, {2, 3, 4}, {8, 12, 600}, {20, 70, 10}};
    for (int[] g : gemms) {
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        int m = g[0];
        int n = g[1];
        int k = g[2];
        gemm.sgemm(ta, tb, m, n, k, 1f, random(r, m * k), 0, ta ? m : k, random(r, k * n), 0, tb ? k : n, 0.5f,
            new float[m * n], 0, n);
      }
    }
    Convolution conv = p.convolution();
    int[][] convs = {{1, 4, 256, 2}, {4, 4, 128, 1}, {4, 8, 128, 2}, {8, 8, 64, 1}, {8, 16, 64, 2}, {16, 16, 48, 1}};
    for (int[] c : convs) {
      ConvShape s = ConvShape.of1d(c[0], c[1], c[2], 3, c[3], 1, 1);
      for (int batch : new int[] {1, 4, 32}) {
        float[] z = random(r, batch * s.inputSize());
        float[] x = new float[z.length];
        float[] w = random(r, s.weightSize());
        float[] bias = random(r, s.outChannels());
        float[] y = new float[batch * s.outputSize()];
        float[] ws = new float[conv.workspaceSize(s, batch)];
        float[] mean = random(r, c[0]);
        float[] invStd = positive(r, c[0]);
        float[] gamma = random(r, c[0]);
        float[] beta = random(r, c[0]);
        conv.forward(s, batch, z, 0, w, 0, bias, 0, y, 0, ws);
        conv.forwardFromBatchNormRelu(s, batch, z, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, x, w, 0, bias, 0, y, 0,
            ws);
        float[] packed = new float[conv.packedForwardWeightsSize(s)];
        conv.packForwardWeights(s, w, 0, packed, 0);
        conv.forwardPrepacked(s, batch, z, 0, w, 0, packed, 0, bias, 0, y, 0, ws);
        conv.forwardAffineReluPrepacked(s, batch, z, 0, gamma, 0, beta, 0, x, w, 0, packed, 0, bias, 0, y, 0, ws);
        conv.backwardInput(s, batch, y, 0, w, 0, x, 0, ws);
        conv.backwardWeights(s, batch, z, 0, y, 0, new float[w.length], 0, new float[bias.length], 0, ws);
        conv.backwardWeightsFromBatchNormRelu(s, batch, z, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, x, y, 0,
            new float[w.length], 0, new float[bias.length], 0, ws);
        // the branch at inference: this convolution, then one of its output's width and channels
        ConvShape next = ConvShape.of1d(c[1], c[1], s.outWidth(), 3, 1, 1, 1);
        float[] w2 = random(r, next.weightSize());
        float[] packed2 = new float[conv.packedForwardWeightsSize(next)];
        conv.packForwardWeights(next, w2, 0, packed2, 0);
        FoldedConvolution first = new FoldedConvolution(s, gamma, 0, beta, 0, w, 0, packed, 0, bias, 0);
        FoldedConvolution second = new FoldedConvolution(next, random(r, c[1]), 0, random(r, c[1]), 0, w2, 0, packed2,
            0, random(r, c[1]), 0);
        conv.forwardPairAffineReluPrepacked(first, second, batch, z, 0, new float[batch * s.outputSize()],
            new float[batch * Math.max(s.inputSize(), next.inputSize())], new float[batch * next.outputSize()], 0,
            new float[conv.pairWorkspaceSize(s, next, batch)]);
      }
    }
    int rows = 4;
    int len = 200;
    p.softThreshold().forwardAddRows(rows, len, random(r, rows * len), 0, positive(r, rows), 0, 1,
        random(r, 2 * rows * len), 0, 2, 2 * len, new float[rows * len], 0);
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  private static float[] positive(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = 0.5f + (float) r.nextDouble();
    }
    return a;
  }
}
