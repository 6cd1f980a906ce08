package drsn.tensor.scalar;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.Gemm;
import drsn.tensor.internal.Im2colConvolution;

/**
 * Scalar convolution: im2col/col2im around the scalar SGEMM (see {@link Im2colConvolution} for
 * the shapes). The reference twin of the SIMD convolution and the fallback without the Vector API;
 * correct for every {@link ConvShape}. Workspace: C·KH·KW·OH·OW floats (0 for a pointwise 1×1
 * convolution), whatever the batch.
 */
public final class DefaultConvolution implements Convolution {

  private final Im2colConvolution im2col;

  /** Uses the given GEMM for all the arithmetic (the provider passes its scalar {@link DefaultGemm}). */
  public DefaultConvolution(Gemm gemm) {
    this.im2col = new Im2colConvolution(gemm);
  }

  @Override
  public int workspaceSize(ConvShape shape, int batch) {
    return im2col.workspaceSize(shape, batch);
  }

  @Override
  public void forward(ConvShape shape, int batch, float[] x, int xOff, float[] w, int wOff, float[] bias,
                      int biasOff, float[] y, int yOff, float[] workspace) {
    im2col.forward(shape, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, workspace);
  }

  @Override
  public void backwardInput(ConvShape shape, int batch, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                            int dxOff, float[] workspace) {
    im2col.backwardInput(shape, batch, dy, dyOff, w, wOff, dx, dxOff, workspace);
  }

  @Override
  public void backwardWeights(ConvShape shape, int batch, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                              int dwOff, float[] dbias, int dbiasOff, float[] workspace) {
    im2col.backwardWeights(shape, batch, x, xOff, dy, dyOff, dw, dwOff, dbias, dbiasOff, workspace);
  }
}
