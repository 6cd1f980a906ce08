package drsn.tensor.scalar;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;

/** Scalar convolution. Placeholder until the convolution work lands. */
public final class DefaultConvolution implements Convolution {

  @Override
  public int workspaceSize(ConvShape shape, int batch) {
    throw new UnsupportedOperationException("convolution not implemented yet");
  }

  @Override
  public void forward(ConvShape shape, int batch, float[] x, int xOff, float[] w, int wOff, float[] bias,
                      int biasOff, float[] y, int yOff, float[] workspace) {
    throw new UnsupportedOperationException("convolution not implemented yet");
  }

  @Override
  public void backwardInput(ConvShape shape, int batch, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                            int dxOff, float[] workspace) {
    throw new UnsupportedOperationException("convolution not implemented yet");
  }

  @Override
  public void backwardWeights(ConvShape shape, int batch, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                              int dwOff, float[] dbias, int dbiasOff, float[] workspace) {
    throw new UnsupportedOperationException("convolution not implemented yet");
  }
}
