package drsn.tensor.scalar;

import drsn.tensor.Elementwise;
import drsn.tensor.Reductions;
import drsn.tensor.internal.BatchNormSpans;
import drsn.tensor.internal.BatchNormTraining;
import drsn.tensor.internal.Checks;
import drsn.tensor.internal.SpreadChecks;

/**
 * Scalar elementwise kernels: the reference twin of the SIMD ones. Fused multiply-adds use
 * {@link Math#fma}, exactly as the SIMD kernels use lanewise FMA, so results agree bit for bit
 * except where exp is involved.
 */
public final class DefaultElementwise implements Elementwise, BatchNormSpans {

  private final Reductions reductions = new DefaultReductions();

  @Override
  public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len) {
    Checks.span("a", a, aOff, len);
    Checks.span("b", b, bOff, len);
    Checks.span("out", out, outOff, len);
    for (int i = 0; i < len; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void multiply(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len) {
    Checks.span("a", a, aOff, len);
    Checks.span("b", b, bOff, len);
    Checks.span("out", out, outOff, len);
    for (int i = 0; i < len; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = alpha * x[xOff + i];
    }
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  @Override
  public void affine(float[] x, int xOff, float s, float t, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = Math.fma(x[xOff + i], s, t);
    }
  }

  @Override
  public void affineRelu(float[] x, int xOff, float s, float t, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = Math.max(Math.fma(x[xOff + i], s, t), 0f);
    }
  }

  @Override
  public void affinePerElement(float[] x, int xOff, float[] s, int sOff, float[] t, int tOff,
                               float[] y, int yOff, int len, boolean relu) {
    Checks.span("x", x, xOff, len);
    Checks.span("s", s, sOff, len);
    Checks.span("t", t, tOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      float v = Math.fma(x[xOff + i], s[sOff + i], t[tOff + i]);
      y[yOff + i] = relu ? Math.max(v, 0f) : v;
    }
  }

  @Override
  public void shiftScale(float[] x, int xOff, float shift, float scale, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = (x[xOff + i] - shift) * scale;
    }
  }

  @Override
  public void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                              float[] xhat, int xhatOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("xhat", xhat, xhatOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      float h = (x[xOff + i] - shift) * scale;
      xhat[xhatOff + i] = h;
      y[yOff + i] = Math.fma(h, s, t);
    }
  }

  @Override
  public void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                              float[] y, int yOff, int len, boolean relu) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      float v = Math.fma((x[xOff + i] - shift) * scale, s, t);
      y[yOff + i] = relu ? Math.max(v, 0f) : v;
    }
  }

  @Override
  public void combine(float a, float[] dy, int dyOff, float b, float[] xhat, int xhatOff, float c,
                      float[] dx, int dxOff, int len) {
    Checks.span("dy", dy, dyOff, len);
    Checks.span("xhat", xhat, xhatOff, len);
    Checks.span("dx", dx, dxOff, len);
    for (int i = 0; i < len; i++) {
      dx[dxOff + i] = Math.fma(a, dy[dyOff + i], Math.fma(b, xhat[xhatOff + i], c));
    }
  }

  @Override
  public void abs(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = Math.abs(x[xOff + i]);
    }
  }

  @Override
  public void absBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      float g = dy[dyOff + i];
      // sign(x)·dy without a multiply, so that 0·NaN does not arise where x = 0.
      dx[dxOff + i] = v > 0f ? g : v < 0f ? -g : v == 0f ? 0f : v;
    }
  }

  @Override
  public void addSignTimes(float[] x, int xOff, float c, float[] dst, int dstOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("dst", dst, dstOff, len);
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      dst[dstOff + i] = (v > 0f ? c : v < 0f ? -c : v == 0f ? 0f : v) + dst[dstOff + i];
    }
  }

  @Override
  public void spread(float[] src, int srcOff, int len, int stride, float[] dst, int dstOff, int dstLen) {
    SpreadChecks.check(src, srcOff, len, stride, dst, dstOff, dstLen);
    java.util.Arrays.fill(dst, dstOff, dstOff + dstLen, 0f);
    for (int j = 0; j < len; j++) {
      dst[dstOff + j * stride] = src[srcOff + j];
    }
  }

  @Override
  public void relu(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = Math.max(x[xOff + i], 0f);
    }
  }

  @Override
  public void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    for (int i = 0; i < len; i++) {
      dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
  }

  @Override
  public void sigmoid(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    for (int i = 0; i < len; i++) {
      y[yOff + i] = 1f / (1f + (float) Math.exp(-x[xOff + i]));
    }
  }

  @Override
  public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    Checks.span("y", y, yOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    for (int i = 0; i < len; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * (s * (1f - s));
    }
  }

  @Override
  public double softmax(float[] x, int xOff, float[] p, int pOff, int len) {
    Checks.positive("len (softmax of an empty row is undefined)", len);
    Checks.span("x", x, xOff, len);
    Checks.span("p", p, pOff, len);
    float m = reductions.max(x, xOff, len);
    double s = 0;
    for (int i = 0; i < len; i++) {
      float e = (float) Math.exp(x[xOff + i] - m);
      p[pOff + i] = e;
      s += e;
    }
    float inv = (float) (1.0 / s);
    for (int i = 0; i < len; i++) {
      p[pOff + i] *= inv;
    }
    return m + Math.log(s);
  }

  @Override
  public void batchNormForward(int n, int c, int l, float[] x, int xOff, float[] mean, int meanOff,
                               float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                               float[] xhat, int xhatOff, float[] y, int yOff) {
    BatchNormTraining.forward(this, n, c, l, x, xOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff,
        xhat, xhatOff, y, yOff);
  }

  @Override
  public void batchNormForward(int n, int c, int l, float[] x, int xOff, float[] mean, int meanOff,
                               float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                               float[] y, int yOff, boolean relu) {
    BatchNormTraining.forward(this, n, c, l, x, xOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff,
        y, yOff, relu);
  }

  @Override
  public void batchNormReluBackwardFromInput(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                             float[] mean, int meanOff, float[] gamma, int gammaOff,
                                             float[] beta, int betaOff, float[] invStd, int invStdOff,
                                             float[] dx, int dxOff, boolean accumulate,
                                             float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backwardReluFromInput(this, n, c, l, dy, dyOff, x, xOff, mean, meanOff, gamma, gammaOff, beta,
        betaOff, invStd, invStdOff, accumulate ? dx : null, dxOff, dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }

  @Override
  public void batchNormReluBackwardFromInputPlus(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                                 float[] mean, int meanOff, float[] gamma, int gammaOff,
                                                 float[] beta, int betaOff, float[] invStd, int invStdOff,
                                                 float[] addend, int addendOff, float[] dx, int dxOff,
                                                 float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backwardReluFromInputPlus(this, n, c, l, dy, dyOff, x, xOff, mean, meanOff, gamma, gammaOff,
        beta, betaOff, invStd, invStdOff, addend, addendOff, dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }

  @Override
  public void batchNormBackward(int n, int c, int l, float[] dy, int dyOff, float[] xhat, int xhatOff,
                                float[] gamma, int gammaOff, float[] invStd, int invStdOff,
                                float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backward(this, n, c, l, dy, dyOff, xhat, xhatOff, gamma, gammaOff, invStd, invStdOff,
        dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }
  @Override
  public void batchNormBackwardFromInput(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                         float[] mean, int meanOff, float[] gamma, int gammaOff,
                                         float[] invStd, int invStdOff, float[] dx, int dxOff,
                                         float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backwardFromInput(this, n, c, l, dy, dyOff, x, xOff, mean, meanOff, gamma, gammaOff, invStd,
        invStdOff, dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }

  /**
   * Each channel's Σdy and Σdy·x̂: each row's in double accumulators rounded to float (as
   * {@link DefaultReductions#sum} and {@link DefaultReductions#dot} round), the rows' added in
   * double.
   */
  @Override
  public void sumsAndDots(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff, float[] shift,
                          int shiftOff, float[] scale, int scaleOff, boolean relu, float[] gamma, int gammaOff,
                          float[] beta, int betaOff, double[] sums, float[] work) {
    for (int ch = 0; ch < c; ch++) {
      float sh = shift == null ? 0f : shift[shiftOff + ch];
      float sc = scale == null ? 1f : scale[scaleOff + ch];
      float s = relu ? gamma[gammaOff + ch] : 0f;
      float t = relu ? beta[betaOff + ch] : 0f;
      double sum = 0;
      double dot = 0;
      for (int row = 0; row < n; row++) {
        int xAt = xOff + (row * c + ch) * l;
        int dyAt = dyOff + (row * c + ch) * l;
        double rowSum = 0;
        double rowDot = 0;
        for (int i = 0; i < l; i++) {
          float h = (x[xAt + i] - sh) * sc;
          float g = !relu || Math.fma(h, s, t) > 0f ? dy[dyAt + i] : 0f;
          rowSum += g;
          rowDot += (double) g * h;
        }
        sum += (float) rowSum;
        dot += (float) rowDot;
      }
      sums[2 * ch] = sum;
      sums[2 * ch + 1] = dot;
    }
  }

  @Override
  public int sumsWorkSize(int c) {
    return 0;
  }

  @Override
  public void combineNormalized(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift,
                                float scale, float c, float[] dx, int dxOff, int len) {
    Checks.span("dy", dy, dyOff, len);
    Checks.span("x", x, xOff, len);
    Checks.span("dx", dx, dxOff, len);
    for (int i = 0; i < len; i++) {
      dx[dxOff + i] = Math.fma(a, dy[dyOff + i], Math.fma(b, (x[xOff + i] - shift) * scale, c));
    }
  }

  @Override
  public void combineNormalizedRelu(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift,
                                    float scale, float s, float t, float c, float[] addend, int addendOff,
                                    float[] dx, int dxOff, int len) {
    Checks.span("dy", dy, dyOff, len);
    Checks.span("x", x, xOff, len);
    Checks.span("dx", dx, dxOff, len);
    if (addend != null) {
      Checks.span("addend", addend, addendOff, len);
    }
    for (int i = 0; i < len; i++) {
      float h = (x[xOff + i] - shift) * scale;
      float g = Math.fma(h, s, t) > 0f ? dy[dyOff + i] : 0f;
      float r = Math.fma(a, g, Math.fma(b, h, c));
      dx[dxOff + i] = addend != null ? r + addend[addendOff + i] : r;
    }
  }
}
