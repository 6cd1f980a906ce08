package drsn.tensor.simd;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.FoldedConvolution;
import drsn.tensor.Gemm;
import drsn.tensor.internal.ConvChecks;
import drsn.tensor.internal.Im2colConvolution;

/**
 * Convolution on the Vector API: chooses by shape between im2col/col2im around the provider's
 * SIMD SGEMM ({@link Im2colConvolution}) and a direct vectorised kernel for small channel counts
 * ({@link DirectConvolution}), per pass. See {@link #prefersDirect} for the rule and the
 * measurements behind it. The workspace is sized for whichever path a call may take.
 */
public final class PanamaConvolution implements Convolution {

  /** Which path to run; {@link #AUTO} is the production setting, the others exist for tests and benchmarks. */
  public enum Strategy { AUTO, IM2COL, DIRECT }

  private final Im2colConvolution im2col;
  private final DirectConvolution direct = new DirectConvolution();
  private final Strategy strategy;

  /** The production convolution: im2col paths use {@code gemm}, the path is chosen per shape. */
  public PanamaConvolution(Gemm gemm) {
    this(gemm, Strategy.AUTO);
  }

  public PanamaConvolution(Gemm gemm, Strategy strategy) {
    if (strategy == null) {
      throw new IllegalArgumentException("strategy must not be null");
    }
    this.im2col = new Im2colConvolution(gemm);
    this.strategy = strategy;
  }

  public Strategy strategy() {
    return strategy;
  }

  /** The three calls of {@link Convolution}; the faster path differs between them. */
  public enum Pass { FORWARD, BACKWARD_INPUT, BACKWARD_WEIGHTS }

  /**
   * True when the direct kernel beats im2col + SIMD SGEMM for this shape and pass.
   *
   * <p>Measured 2026-11-28 on the 2-core AVX-512 machine (16 lanes) under heavy load from other
   * jobs, so as the minimum of 40-60 interleaved calls per path (GFLOP/s, direct vs im2col with
   * the packed-panel PanamaGemm; k = 3, pad 1, N = 32-128):
   * <pre>
   *   C in→out, L, stride   forward        backwardInput   backwardWeights
   *   4→4,     512, 1       28 vs 12       23 vs 6         27 vs 4
   *   4→4,     128, 1       25 vs 8        30 vs 4         18 vs 3
   *   4→4,    1024, 1       53 vs 18       44 vs 7         58 vs 4
   *   8→8,     256, 1       56 vs 35       53 vs 13        43 vs 11
   *   16→16,   512, 1       64 vs 51       58 vs 12        49 vs 23
   *   16→16,   128, 1       72 vs 40       68 vs 20        44 vs 30
   *   16→32,   256, 2       41 vs 32       28 vs 30        16 vs 32   (stride 2: direct loses dW)
   *   32→32,   256, 1       61 vs 66       64 vs 35        56 vs 44
   *   32→32,  1024, 1       70 vs 73       64 vs 37        69 vs 35
   *   64→64,   128, 1       84 vs 64       77 vs 44        43 vs 61
   *   64→64,   512, 1       51 vs 77       74 vs 34        46 vs 34
   *   128→128,  64, 1       84 vs 50       81 vs 39        26 vs 76
   *   256→256,  32, 1       85 vs 41       82 vs 31         6 vs 74
   * </pre>
   * Hence: the backward-input gather wins at every measured size; the forward wins clearly up to
   * 16 channels and ties at 32 (im2col, which improves with the GEMM, takes over above
   * C·KH·KW = 96); the weight gradient keeps V partial sums per (output channel, tap) in the
   * workspace, which stays cache-resident only while O·C·KH·KW ≤ 3072 (32 channels at k = 3).
   *
   * <p>2026-12-07 (issue 16), same machine kind (AMD EPYC, AVX-512), load 1.2–2: the stride-2
   * phase split is now vectorised, which reverses the stride-2 weight gradient (best of an
   * interleaved run over the paper's shapes, N = 32, µs, direct vs im2col):
   * <pre>
   *   1→4, 2048, 2    25 vs 140
   *   4→4, 1024, 2    43 vs 169
   *   4→8,  512, 2    37 vs 116
   *   8→16, 256, 2    74 vs 168
   * </pre>
   * so the weight gradient takes the direct path at any stride within the same channel bound.
   * 2-D shapes were not measured: im2col.
   */
  public static boolean prefersDirect(ConvShape s, Pass pass) {
    if (!s.is1d()) {
      return false;
    }
    long inTaps = (long) s.inChannels() * s.kernelW();
    long outTaps = (long) s.outChannels() * s.kernelW();
    return switch (pass) {
      case FORWARD -> inTaps <= 96;
      case BACKWARD_INPUT -> outTaps <= 768;
      case BACKWARD_WEIGHTS -> inTaps * s.outChannels() <= 3072;
    };
  }

  private Convolution pick(ConvShape s, Pass pass) {
    return switch (strategy) {
      case IM2COL -> im2col;
      case DIRECT -> direct;
      // a null shape goes to im2col, whose checks reject it
      case AUTO -> s != null && prefersDirect(s, pass) ? direct : im2col;
    };
  }

  @Override
  public int workspaceSize(ConvShape shape, int batch) {
    return switch (strategy) {
      case IM2COL -> im2col.workspaceSize(shape, batch);
      case DIRECT -> direct.workspaceSize(shape, batch);
      case AUTO -> ConvChecks.workspaceInt(shape,
          Math.max(im2col.workspaceSize(shape, batch), direct.workspaceSize(shape, batch)));
    };
  }

  @Override
  public void forward(ConvShape shape, int batch, float[] x, int xOff, float[] w, int wOff, float[] bias,
                      int biasOff, float[] y, int yOff, float[] workspace) {
    pick(shape, Pass.FORWARD).forward(shape, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, workspace);
  }

  @Override
  public void backwardInput(ConvShape shape, int batch, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                            int dxOff, float[] workspace) {
    pick(shape, Pass.BACKWARD_INPUT).backwardInput(shape, batch, dy, dyOff, w, wOff, dx, dxOff, workspace);
  }

  @Override
  public void backwardWeights(ConvShape shape, int batch, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                              int dwOff, float[] dbias, int dbiasOff, float[] workspace) {
    pick(shape, Pass.BACKWARD_WEIGHTS).backwardWeights(shape, batch, x, xOff, dy, dyOff, dw, dwOff, dbias, dbiasOff, workspace);
  }

  @Override
  public void backwardWeightsFromBatchNormRelu(ConvShape shape, int batch, float[] z, int zOff, float[] mean,
                                               int meanOff, float[] invStd, int invStdOff, float[] gamma,
                                               int gammaOff, float[] beta, int betaOff, float[] x, float[] dy,
                                               int dyOff, float[] dw, int dwOff, float[] dbias, int dbiasOff,
                                               float[] workspace) {
    pick(shape, Pass.BACKWARD_WEIGHTS).backwardWeightsFromBatchNormRelu(shape, batch, z, zOff, mean, meanOff, invStd,
        invStdOff, gamma, gammaOff, beta, betaOff, x, dy, dyOff, dw, dwOff, dbias, dbiasOff, workspace);
  }

  @Override
  public void forwardFromBatchNormRelu(ConvShape shape, int batch, float[] z, int zOff, float[] mean, int meanOff,
                                       float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta,
                                       int betaOff, float[] x, float[] w, int wOff, float[] bias, int biasOff,
                                       float[] y, int yOff, float[] workspace) {
    pick(shape, Pass.FORWARD).forwardFromBatchNormRelu(shape, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma,
        gammaOff, beta, betaOff, x, w, wOff, bias, biasOff, y, yOff, workspace);
  }

  /** The direct kernel's fused pair where both forwards go to it, else the two calls, each on its own path. */
  @Override
  public void forwardPairAffineReluPrepacked(FoldedConvolution first, FoldedConvolution second, int batch, float[] z,
                                             int zOff, float[] mid, float[] x, float[] y, int yOff,
                                             float[] workspace) {
    if (bothDirect(first == null ? null : first.shape(), second == null ? null : second.shape())) {
      direct.forwardPairAffineReluPrepacked(first, second, batch, z, zOff, mid, x, y, yOff, workspace);
    } else {
      Convolution.super.forwardPairAffineReluPrepacked(first, second, batch, z, zOff, mid, x, y, yOff, workspace);
    }
  }

  @Override
  public int pairWorkspaceSize(ConvShape first, ConvShape second, int batch) {
    int size = Convolution.super.pairWorkspaceSize(first, second, batch);
    return bothDirect(first, second)
        ? Math.max(size, direct.pairWorkspaceSize(first, second, batch)) : size;
  }

  private boolean bothDirect(ConvShape first, ConvShape second) {
    return first != null && second != null && pick(first, Pass.FORWARD) == direct
        && pick(second, Pass.FORWARD) == direct;
  }

  @Override
  public int packedForwardWeightsSize(ConvShape shape) {
    return pick(shape, Pass.FORWARD).packedForwardWeightsSize(shape);
  }

  @Override
  public void packForwardWeights(ConvShape shape, float[] w, int wOff, float[] packed, int packedOff) {
    pick(shape, Pass.FORWARD).packForwardWeights(shape, w, wOff, packed, packedOff);
  }

  @Override
  public void forwardPrepacked(ConvShape shape, int batch, float[] x, int xOff, float[] w, int wOff, float[] packed,
                               int packedOff, float[] bias, int biasOff, float[] y, int yOff, float[] workspace) {
    pick(shape, Pass.FORWARD).forwardPrepacked(shape, batch, x, xOff, w, wOff, packed, packedOff, bias, biasOff, y,
        yOff, workspace);
  }

  @Override
  public void forwardAffineReluPrepacked(ConvShape shape, int batch, float[] z, int zOff, float[] scale, int scaleOff,
                                         float[] shift, int shiftOff, float[] x, float[] w, int wOff, float[] packed,
                                         int packedOff, float[] bias, int biasOff, float[] y, int yOff,
                                         float[] workspace) {
    pick(shape, Pass.FORWARD).forwardAffineReluPrepacked(shape, batch, z, zOff, scale, scaleOff, shift, shiftOff, x, w,
        wOff, packed, packedOff, bias, biasOff, y, yOff, workspace);
  }
}
