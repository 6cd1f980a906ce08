package drsn.nn.internal;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;

/**
 * TEMPORARY: a direct scalar convolution, used only while the kernel provider's convolution throws
 * {@link UnsupportedOperationException} (the drsn.tensor convolution work had not landed when
 * drsn.nn was written). {@link Kernels} switches to the provider's kernel automatically as soon as
 * it works; delete this class then.
 *
 * <pre>
 *   x [N, C, H, W], w [O, C, KH, KW], y [N, O, OH, OW]
 *   y[n,o,oh,ow] = b[o] + Σ_{c,i,j} w[o,c,i,j] · x[n,c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]
 * </pre>
 */
public final class TemporaryConvolution implements Convolution {

  @Override
  public int workspaceSize(ConvShape shape, int batch) {
    return 0;
  }

  @Override
  public void forward(ConvShape s, int batch, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                      float[] y, int yOff, float[] workspace) {
    int oh = s.outHeight();
    int ow = s.outWidth();
    int plane = oh * ow;
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < s.outChannels(); o++) {
        int yb = yOff + (n * s.outChannels() + o) * plane;
        float b = bias == null ? 0f : bias[biasOff + o];
        java.util.Arrays.fill(y, yb, yb + plane, b);
        for (int c = 0; c < s.inChannels(); c++) {
          int xb = xOff + (n * s.inChannels() + c) * s.height() * s.width();
          for (int i = 0; i < s.kernelH(); i++) {
            for (int j = 0; j < s.kernelW(); j++) {
              float wv = w[wOff + ((o * s.inChannels() + c) * s.kernelH() + i) * s.kernelW() + j];
              int jOff = j * s.dilationW() - s.padW();
              int lo = firstValid(jOff, s.strideW());
              int hi = lastValid(jOff, s.strideW(), s.width(), ow);
              for (int r = 0; r < oh; r++) {
                int ih = r * s.strideH() - s.padH() + i * s.dilationH();
                if (ih < 0 || ih >= s.height()) {
                  continue;
                }
                int xr = xb + ih * s.width() + jOff;
                int yr = yb + r * ow;
                for (int q = lo; q <= hi; q++) {
                  y[yr + q] += wv * x[xr + q * s.strideW()];
                }
              }
            }
          }
        }
      }
    }
  }

  @Override
  public void backwardInput(ConvShape s, int batch, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                            int dxOff, float[] workspace) {
    int oh = s.outHeight();
    int ow = s.outWidth();
    int plane = oh * ow;
    java.util.Arrays.fill(dx, dxOff, dxOff + batch * s.inputSize(), 0f);
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < s.outChannels(); o++) {
        int yb = dyOff + (n * s.outChannels() + o) * plane;
        for (int c = 0; c < s.inChannels(); c++) {
          int xb = dxOff + (n * s.inChannels() + c) * s.height() * s.width();
          for (int i = 0; i < s.kernelH(); i++) {
            for (int j = 0; j < s.kernelW(); j++) {
              float wv = w[wOff + ((o * s.inChannels() + c) * s.kernelH() + i) * s.kernelW() + j];
              int jOff = j * s.dilationW() - s.padW();
              int lo = firstValid(jOff, s.strideW());
              int hi = lastValid(jOff, s.strideW(), s.width(), ow);
              for (int r = 0; r < oh; r++) {
                int ih = r * s.strideH() - s.padH() + i * s.dilationH();
                if (ih < 0 || ih >= s.height()) {
                  continue;
                }
                int xr = xb + ih * s.width() + jOff;
                int yr = yb + r * ow;
                for (int q = lo; q <= hi; q++) {
                  dx[xr + q * s.strideW()] += wv * dy[yr + q];
                }
              }
            }
          }
        }
      }
    }
  }

  @Override
  public void backwardWeights(ConvShape s, int batch, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                              int dwOff, float[] dbias, int dbiasOff, float[] workspace) {
    int oh = s.outHeight();
    int ow = s.outWidth();
    int plane = oh * ow;
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < s.outChannels(); o++) {
        int yb = dyOff + (n * s.outChannels() + o) * plane;
        if (dbias != null) {
          float sum = 0f;
          for (int p = 0; p < plane; p++) {
            sum += dy[yb + p];
          }
          dbias[dbiasOff + o] += sum;
        }
        for (int c = 0; c < s.inChannels(); c++) {
          int xb = xOff + (n * s.inChannels() + c) * s.height() * s.width();
          for (int i = 0; i < s.kernelH(); i++) {
            for (int j = 0; j < s.kernelW(); j++) {
              int jOff = j * s.dilationW() - s.padW();
              int lo = firstValid(jOff, s.strideW());
              int hi = lastValid(jOff, s.strideW(), s.width(), ow);
              float sum = 0f;
              for (int r = 0; r < oh; r++) {
                int ih = r * s.strideH() - s.padH() + i * s.dilationH();
                if (ih < 0 || ih >= s.height()) {
                  continue;
                }
                int xr = xb + ih * s.width() + jOff;
                int yr = yb + r * ow;
                for (int q = lo; q <= hi; q++) {
                  sum += dy[yr + q] * x[xr + q * s.strideW()];
                }
              }
              dw[dwOff + ((o * s.inChannels() + c) * s.kernelH() + i) * s.kernelW() + j] += sum;
            }
          }
        }
      }
    }
  }

  /** Smallest output column q ≥ 0 with q·stride + jOff ≥ 0. */
  private static int firstValid(int jOff, int stride) {
    return jOff >= 0 ? 0 : (-jOff + stride - 1) / stride;
  }

  /** Largest output column q < outW with q·stride + jOff ≤ width − 1. */
  private static int lastValid(int jOff, int stride, int width, int outW) {
    int lim = width - 1 - jOff;
    if (lim < 0) {
      return -1;
    }
    return Math.min(outW - 1, lim / stride);
  }
}
