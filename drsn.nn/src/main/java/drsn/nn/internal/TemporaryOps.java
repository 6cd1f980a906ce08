package drsn.nn.internal;

/**
 * TEMPORARY scalar loops for the elementwise and reduction operations drsn.nn needs, written while
 * drsn.tensor's {@code Elementwise} and {@code Reductions} interfaces were still empty. Every
 * numeric loop of the layers that has no kernel yet lives here, so that switching to the kernels
 * is a change in one file.
 */
public final class TemporaryOps {

  private TemporaryOps() {
  }

  /** y = max(x, 0); y may alias x. */
  public static void relu(float[] x, int xOff, float[] y, int yOff, int len) {
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v > 0f ? v : 0f;
    }
  }

  /** dx = dy where y > 0 else 0, given the ReLU's output y; dx may alias dy. */
  public static void reluBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    for (int i = 0; i < len; i++) {
      dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
  }

  /** y = 1 / (1 + e^−x); y may alias x. */
  public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int len) {
    for (int i = 0; i < len; i++) {
      y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-x[xOff + i])));
    }
  }

  /** dx = dy·y·(1 − y), given the sigmoid's output y; dx may alias dy. */
  public static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    for (int i = 0; i < len; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
    }
  }

  /** dst += src. */
  public static void addInto(float[] src, int srcOff, float[] dst, int dstOff, int len) {
    for (int i = 0; i < len; i++) {
      dst[dstOff + i] += src[srcOff + i];
    }
  }

  /** out[r] = mean of x[r·len … r·len + len) (rows of a row-major [rows, len] array). */
  public static void meanRows(float[] x, int xOff, int rows, int len, float[] out, int outOff) {
    for (int r = 0; r < rows; r++) {
      float s = 0f;
      int b = xOff + r * len;
      for (int i = 0; i < len; i++) {
        s += x[b + i];
      }
      out[outOff + r] = s / len;
    }
  }

  /** out[r] = mean of |x| over row r. */
  public static void meanAbsRows(float[] x, int xOff, int rows, int len, float[] out, int outOff) {
    for (int r = 0; r < rows; r++) {
      float s = 0f;
      int b = xOff + r * len;
      for (int i = 0; i < len; i++) {
        s += Math.abs(x[b + i]);
      }
      out[outOff + r] = s / len;
    }
  }

  /** y[r, i] = x[r, i]·scale[r] for rows r of length len; y may alias x. */
  public static void scaleRows(float[] x, int xOff, float[] scale, int scaleOff, int rows, int len, float[] y,
                               int yOff) {
    for (int r = 0; r < rows; r++) {
      float s = scale[scaleOff + r];
      int b = r * len;
      for (int i = 0; i < len; i++) {
        y[yOff + b + i] = x[xOff + b + i] * s;
      }
    }
  }

  /** out[r] = Σ_i a[r, i]·b[r, i]. */
  public static void dotRows(float[] a, int aOff, float[] b, int bOff, int rows, int len, float[] out, int outOff) {
    for (int r = 0; r < rows; r++) {
      float s = 0f;
      int base = r * len;
      for (int i = 0; i < len; i++) {
        s += a[aOff + base + i] * b[bOff + base + i];
      }
      out[outOff + r] = s;
    }
  }

  /**
   * Batch-norm statistics over x [n, c, len]: mean[c] and biased variance var[c] over the n·len
   * values of channel c, accumulated in double (two passes, so the variance is never negative).
   */
  public static void channelMeanVar(float[] x, int n, int c, int len, double[] mean, double[] var) {
    double m = (double) n * len;
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      for (int s0 = 0; s0 < n; s0++) {
        int b = (s0 * c + ch) * len;
        for (int i = 0; i < len; i++) {
          s += x[b + i];
        }
      }
      double mu = s / m;
      double q = 0;
      for (int s0 = 0; s0 < n; s0++) {
        int b = (s0 * c + ch) * len;
        for (int i = 0; i < len; i++) {
          double d = x[b + i] - mu;
          q += d * d;
        }
      }
      mean[ch] = mu;
      var[ch] = q / m;
    }
  }

  /** y[n, c, :] = x[n, c, :]·a[c] + b[c]; y may alias x. */
  public static void channelAffine(float[] x, float[] y, int n, int c, int len, float[] a, float[] b) {
    for (int s0 = 0; s0 < n; s0++) {
      for (int ch = 0; ch < c; ch++) {
        int base = (s0 * c + ch) * len;
        float av = a[ch];
        float bv = b[ch];
        for (int i = 0; i < len; i++) {
          y[base + i] = x[base + i] * av + bv;
        }
      }
    }
  }

  /** dst[r, i] += coef[r] for rows r of length len. */
  public static void addRows(float[] coef, int rows, int len, float[] dst) {
    for (int r = 0; r < rows; r++) {
      float v = coef[r];
      int b = r * len;
      for (int i = 0; i < len; i++) {
        dst[b + i] += v;
      }
    }
  }

  /** dst[r, i] += sign(x[r, i])·coef[r] (sign(0) = 0), the backward of a row mean of |x|. */
  public static void addSignRows(float[] x, float[] coef, int rows, int len, float[] dst) {
    for (int r = 0; r < rows; r++) {
      float v = coef[r];
      int b = r * len;
      for (int i = 0; i < len; i++) {
        dst[b + i] += Math.signum(x[b + i]) * v;
      }
    }
  }
}
