package drsn.tensor.internal;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.Gemm;
import java.util.Arrays;

/**
 * Convolution as im2col/col2im around an SGEMM, one sample at a time. Only the data movement is
 * here; all the arithmetic is in the {@link Gemm} it is given (the scalar one for the scalar
 * kernels, the SIMD one for the SIMD kernels), so its speed is the GEMM's.
 *
 * <pre>
 *   K = C·KH·KW (rows of col), P = OH·OW (columns of col)
 *   col_n[K × P]:  col_n[(c·KH + i)·KW + j, oh·OW + ow] = x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] (0 in the padding)
 *   forward:         y_n[O × P]  = W[O × K] · col_n[K × P]  (+ bias[o] on row o)
 *   backwardWeights: dW[O × K]  += dy_n[O × P] · col_n[K × P]ᵀ;  dbias[o] += Σ_p dy_n[o, p]
 *   backwardInput:   dcol[K × P] = W[O × K]ᵀ · dy_n[O × P];     dx_n = col2im(dcol)
 * </pre>
 *
 * A pointwise convolution (1×1 kernel, stride 1, no padding) needs no col at all: col_n is x_n.
 * The workspace holds one col_n: K·P floats, independent of the batch.
 */
public final class Im2colConvolution implements Convolution {

  private final Gemm gemm;

  public Im2colConvolution(Gemm gemm) {
    if (gemm == null) {
      throw new IllegalArgumentException("gemm must not be null");
    }
    this.gemm = gemm;
  }

  @Override
  public int workspaceSize(ConvShape s, int batch) {
    ConvChecks.shapeAndBatch(s, batch);
    return ConvChecks.workspaceInt(s, needed(s));
  }

  private static long needed(ConvShape s) {
    if (isPointwise(s)) {
      return 0;
    }
    return (long) s.inChannels() * s.kernelH() * s.kernelW() * s.outHeight() * s.outWidth();
  }

  /** col_n equals x_n: each output position reads exactly its own input position. */
  static boolean isPointwise(ConvShape s) {
    return s.kernelH() == 1 && s.kernelW() == 1 && s.strideH() == 1 && s.strideW() == 1
        && s.padH() == 0 && s.padW() == 0;
  }

  @Override
  public void forward(ConvShape s, int batch, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                      float[] y, int yOff, float[] workspace) {
    ConvChecks.shapeAndBatch(s, batch); // before needed(s) reads the shape
    ConvChecks.forward(s, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, workspace, needed(s));
    int outC = s.outChannels();
    int k = s.inChannels() * s.kernelH() * s.kernelW();
    int p = s.outHeight() * s.outWidth();
    boolean pointwise = isPointwise(s);
    for (int n = 0; n < batch; n++) {
      int xn = xOff + n * s.inputSize();
      int yn = yOff + n * s.outputSize();
      float[] col = pointwise ? x : workspace;
      int colOff = pointwise ? xn : 0;
      if (!pointwise) {
        im2col(s, x, xn, workspace, 0);
      }
      if (bias != null) {
        for (int o = 0; o < outC; o++) {
          Arrays.fill(y, yn + o * p, yn + (o + 1) * p, bias[biasOff + o]);
        }
      }
      gemm.sgemm(false, false, outC, p, k, 1f, w, wOff, k, col, colOff, p, bias != null ? 1f : 0f, y, yn, p);
    }
  }

  @Override
  public void backwardInput(ConvShape s, int batch, float[] dy, int dyOff, float[] w, int wOff,
                            float[] dx, int dxOff, float[] workspace) {
    ConvChecks.shapeAndBatch(s, batch); // before needed(s) reads the shape
    ConvChecks.backwardInput(s, batch, dy, dyOff, w, wOff, dx, dxOff, workspace, needed(s));
    int outC = s.outChannels();
    int k = s.inChannels() * s.kernelH() * s.kernelW();
    int p = s.outHeight() * s.outWidth();
    boolean pointwise = isPointwise(s);
    for (int n = 0; n < batch; n++) {
      int dxn = dxOff + n * s.inputSize();
      int dyn = dyOff + n * s.outputSize();
      if (pointwise) {
        gemm.sgemm(true, false, k, p, outC, 1f, w, wOff, k, dy, dyn, p, 0f, dx, dxn, p);
      } else {
        gemm.sgemm(true, false, k, p, outC, 1f, w, wOff, k, dy, dyn, p, 0f, workspace, 0, p);
        col2im(s, workspace, 0, dx, dxn);
      }
    }
  }

  @Override
  public void backwardWeights(ConvShape s, int batch, float[] x, int xOff, float[] dy, int dyOff,
                              float[] dw, int dwOff, float[] dbias, int dbiasOff, float[] workspace) {
    ConvChecks.shapeAndBatch(s, batch); // before needed(s) reads the shape
    ConvChecks.backwardWeights(s, batch, x, xOff, dy, dyOff, dw, dwOff, dbias, dbiasOff, workspace, needed(s));
    int outC = s.outChannels();
    int k = s.inChannels() * s.kernelH() * s.kernelW();
    int p = s.outHeight() * s.outWidth();
    boolean pointwise = isPointwise(s);
    for (int n = 0; n < batch; n++) {
      int xn = xOff + n * s.inputSize();
      int dyn = dyOff + n * s.outputSize();
      float[] col = pointwise ? x : workspace;
      int colOff = pointwise ? xn : 0;
      if (!pointwise) {
        im2col(s, x, xn, workspace, 0);
      }
      gemm.sgemm(false, true, outC, k, p, 1f, dy, dyn, p, col, colOff, p, 1f, dw, dwOff, k);
      if (dbias != null) {
        for (int o = 0; o < outC; o++) {
          float sum = 0f;
          int row = dyn + o * p;
          for (int q = 0; q < p; q++) {
            sum += dy[row + q];
          }
          dbias[dbiasOff + o] += sum;
        }
      }
    }
  }

  /** Fills col[K × P] from one sample x[C, H, W]; positions in the padding get 0. */
  static void im2col(ConvShape s, float[] x, int xOff, float[] col, int colOff) {
    int inC = s.inChannels(), h = s.height(), wd = s.width();
    int kh = s.kernelH(), kw = s.kernelW();
    int oh = s.outHeight(), ow = s.outWidth();
    int sH = s.strideH(), sW = s.strideW(), pH = s.padH(), pW = s.padW(), dH = s.dilationH(), dW = s.dilationW();
    int row = colOff;
    for (int c = 0; c < inC; c++) {
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          int shift = j * dW - pW;                       // iw = ow·sW + shift
          int lo = validLo(shift, sW, ow);
          int hi = validHi(shift, sW, wd, ow, lo);
          for (int r = 0; r < oh; r++, row += ow) {
            int ih = r * sH - pH + i * dH;
            if (ih < 0 || ih >= h) {
              Arrays.fill(col, row, row + ow, 0f);
              continue;
            }
            int xRow = xOff + (c * h + ih) * wd + shift;
            Arrays.fill(col, row, row + lo, 0f);
            if (sW == 1) {
              if (hi > lo) { // a tap that never lands inside the row has lo == hi, and xRow + lo may be < 0
                System.arraycopy(x, xRow + lo, col, row + lo, hi - lo);
              }
            } else {
              for (int q = lo; q < hi; q++) {
                col[row + q] = x[xRow + q * sW];
              }
            }
            Arrays.fill(col, row + hi, row + ow, 0f);
          }
        }
      }
    }
  }

  /** The adjoint of im2col: dx[C, H, W] = Σ over the col entries that read each position (dx overwritten). */
  static void col2im(ConvShape s, float[] col, int colOff, float[] dx, int dxOff) {
    int inC = s.inChannels(), h = s.height(), wd = s.width();
    int kh = s.kernelH(), kw = s.kernelW();
    int oh = s.outHeight(), ow = s.outWidth();
    int sH = s.strideH(), sW = s.strideW(), pH = s.padH(), pW = s.padW(), dH = s.dilationH(), dW = s.dilationW();
    Arrays.fill(dx, dxOff, dxOff + s.inputSize(), 0f);
    int row = colOff;
    for (int c = 0; c < inC; c++) {
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          int shift = j * dW - pW;
          int lo = validLo(shift, sW, ow);
          int hi = validHi(shift, sW, wd, ow, lo);
          for (int r = 0; r < oh; r++, row += ow) {
            int ih = r * sH - pH + i * dH;
            if (ih < 0 || ih >= h) {
              continue;
            }
            int xRow = dxOff + (c * h + ih) * wd + shift;
            for (int q = lo; q < hi; q++) {
              dx[xRow + q * sW] += col[row + q];
            }
          }
        }
      }
    }
  }

  /** First output position ow whose input ow·stride + shift is ≥ 0. */
  static int validLo(int shift, int stride, int outLen) {
    return Math.min(outLen, Math.max(0, Math.ceilDiv(-shift, stride)));
  }

  /** One past the last output position ow whose input ow·stride + shift is < inLen (at least lo). */
  static int validHi(int shift, int stride, int inLen, int outLen, int lo) {
    return Math.max(lo, Math.min(outLen, Math.floorDiv(inLen - 1 - shift, stride) + 1));
  }
}
