package drsn.tensor.internal;

import drsn.tensor.Elementwise;

/**
 * Batch norm's training forward and backward (see {@link Elementwise#batchNormForward} and
 * {@link Elementwise#batchNormBackward}) written once over the fused span kernels of
 * {@link BatchNormSpans}, so that the scalar and the SIMD implementations each run them on their
 * own kernels.
 */
public final class BatchNormTraining {

  /** The names in messages of each pass's three [n, c, l] and four [c] arrays, in {@link #check}'s order. */
  private static final String[] FORWARD = {"x [n, c, l]", "xhat [n, c, l]", "y [n, c, l]", "mean [c]", "invStd [c]",
      "gamma [c]", "beta [c]"};
  private static final String[] BACKWARD = {"dy [n, c, l]", "xhat [n, c, l]", "dx [n, c, l]", "gamma [c]",
      "invStd [c]", "dgamma [c]", "dbeta [c]"};

  private static final String[] FORWARD_NO_XHAT = {"x [n, c, l]", "y [n, c, l]", "y [n, c, l]", "mean [c]",
      "invStd [c]", "gamma [c]", "beta [c]"};

  private static final String[] BACKWARD_FROM_INPUT = {"dy [n, c, l]", "x [n, c, l]", "dx [n, c, l]", "gamma [c]",
      "invStd [c]", "dgamma [c]", "dbeta [c]"};

  private BatchNormTraining() {
  }

  /**
   * Per-thread output and scratch of {@link BatchNormSpans#sumsAndDots} (the channels' sums; their
   * accumulators); grown, never shrunk, so a training step allocates nothing after its first.
   */
  private static final ThreadLocal<double[]> SUMS = ThreadLocal.withInitial(() -> new double[0]);
  private static final ThreadLocal<float[]> WORK = ThreadLocal.withInitial(() -> new float[0]);

  private static double[] sums(int c) {
    double[] sums = SUMS.get();
    if (sums.length < 2 * c) {
      sums = new double[2 * c];
      SUMS.set(sums);
    }
    return sums;
  }

  private static float[] work(BatchNormSpans spans, int c) {
    float[] work = WORK.get();
    int size = Math.max(spans.sumsWorkSize(c), 7 * c);
    if (work.length < size) {
      work = new float[size];
      WORK.set(work);
    }
    return work;
  }

  /** Checks the sizes and the spans of three [n, c, l] arrays and four [c] arrays (allocates nothing). */
  private static void check(String[] names, int n, int c, int l, float[] t0, int t0Off, float[] t1, int t1Off,
                            float[] t2, int t2Off, float[] v0, int v0Off, float[] v1, int v1Off, float[] v2, int v2Off,
                            float[] v3, int v3Off) {
    Checks.nonNegative("n", n);
    Checks.nonNegative("c", c);
    Checks.nonNegative("l", l);
    long size = (long) n * c * l;
    Checks.span(names[0], t0, t0Off, size);
    Checks.span(names[1], t1, t1Off, size);
    Checks.span(names[2], t2, t2Off, size);
    Checks.span(names[3], v0, v0Off, c);
    Checks.span(names[4], v1, v1Off, c);
    Checks.span(names[5], v2, v2Off, c);
    Checks.span(names[6], v3, v3Off, c);
  }

  /** x, xhat, y: [n, c, l]; mean, invStd, gamma, beta: [c]. */
  public static void forward(BatchNormSpans spans, int n, int c, int l, float[] x, int xOff,
                             float[] mean, int meanOff, float[] invStd, int invStdOff,
                             float[] gamma, int gammaOff, float[] beta, int betaOff,
                             float[] xhat, int xhatOff, float[] y, int yOff) {
    check(FORWARD, n, c, l, x, xOff, xhat, xhatOff, y, yOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff,
        beta, betaOff);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int at = (i * c + ch) * l;
        spans.normalizeAffine(x, xOff + at, mean[meanOff + ch], invStd[invStdOff + ch], gamma[gammaOff + ch],
            beta[betaOff + ch], xhat, xhatOff + at, y, yOff + at, l);
      }
    }
  }

  /** dy, xhat, dx: [n, c, l]; gamma, invStd, dgamma, dbeta: [c]. */
  public static void backward(BatchNormSpans spans, int n, int c, int l,
                              float[] dy, int dyOff, float[] xhat, int xhatOff,
                              float[] gamma, int gammaOff, float[] invStd, int invStdOff,
                              float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    check(BACKWARD, n, c, l, dy, dyOff, xhat, xhatOff, dx, dxOff, gamma, gammaOff, invStd, invStdOff, dgamma, dgammaOff,
        dbeta, dbetaOff);
    long count = (long) n * l;
    if (count == 0) {
      return;
    }
    double m = (double) count;
    // All sums are taken before dx is written, so dx may alias dy. No shift and scale: x̂ as it is,
    // so these are backwardFromInput's sums over x̂'s own input.
    double[] sums = sums(c);
    spans.sumsAndDots(n, c, l, dy, dyOff, xhat, xhatOff, null, 0, null, 0, false, null, 0, null, 0, sums,
        work(spans, c));
    for (int ch = 0; ch < c; ch++) {
      double sumDy = sums[2 * ch];
      double sumDyXhat = sums[2 * ch + 1];
      dbeta[dbetaOff + ch] += (float) sumDy;
      dgamma[dgammaOff + ch] += (float) sumDyXhat;
      double a = (double) gamma[gammaOff + ch] * invStd[invStdOff + ch];
      float fa = (float) a;
      float fb = (float) (-a * sumDyXhat / m);
      float fc = (float) (-a * sumDy / m);
      for (int i = 0; i < n; i++) {
        int at = (i * c + ch) * l;
        spans.combine(fa, dy, dyOff + at, fb, xhat, xhatOff + at, fc, dx, dxOff + at, l);
      }
    }
  }

  /**
   * {@link #backward} with x̂ = (x − mean)·invStd recomputed from the forward input x in each pass
   * that reads it: the same channel sums and the same combination, so the same bits, without
   * writing x̂ and reading it twice. dx may alias dy, not x.
   */
  public static void backwardFromInput(BatchNormSpans spans, int n, int c, int l,
                                       float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                                       float[] gamma, int gammaOff, float[] invStd, int invStdOff,
                                       float[] dx, int dxOff, float[] dgamma, int dgammaOff,
                                       float[] dbeta, int dbetaOff) {
    check(BACKWARD_FROM_INPUT, n, c, l, dy, dyOff, x, xOff, dx, dxOff, gamma, gammaOff, invStd, invStdOff, dgamma,
        dgammaOff, dbeta, dbetaOff);
    Checks.span("mean [c]", mean, meanOff, c);
    if (x == dx) {
      throw new IllegalArgumentException("dx must not alias x: x is read again after dx is written");
    }
    long count = (long) n * l;
    if (count == 0) {
      return;
    }
    double m = (double) count;
    double[] sums = sums(c);
    spans.sumsAndDots(n, c, l, dy, dyOff, x, xOff, mean, meanOff, invStd, invStdOff, false, null, 0, null, 0, sums,
        work(spans, c));
    for (int ch = 0; ch < c; ch++) {
      float shift = mean[meanOff + ch];
      float scale = invStd[invStdOff + ch];
      double sumDy = sums[2 * ch];
      double sumDyXhat = sums[2 * ch + 1];
      dbeta[dbetaOff + ch] += (float) sumDy;
      dgamma[dgammaOff + ch] += (float) sumDyXhat;
      double a = (double) gamma[gammaOff + ch] * scale;
      float fa = (float) a;
      float fb = (float) (-a * sumDyXhat / m);
      float fc = (float) (-a * sumDy / m);
      for (int i = 0; i < n; i++) {
        int at = (i * c + ch) * l;
        spans.combineNormalized(fa, dy, dyOff + at, fb, x, xOff + at, shift, scale, fc, dx, dxOff + at, l);
      }
    }
  }

  /** {@link #forward} without x̂, then a ReLU when {@code relu}: x, y: [n, c, l]; mean, invStd, gamma, beta: [c]. */
  public static void forward(BatchNormSpans spans, int n, int c, int l, float[] x, int xOff,
                             float[] mean, int meanOff, float[] invStd, int invStdOff,
                             float[] gamma, int gammaOff, float[] beta, int betaOff,
                             float[] y, int yOff, boolean relu) {
    check(FORWARD_NO_XHAT, n, c, l, x, xOff, y, yOff, y, yOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff,
        beta, betaOff);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int at = (i * c + ch) * l;
        spans.normalizeAffine(x, xOff + at, mean[meanOff + ch], invStd[invStdOff + ch], gamma[gammaOff + ch],
            beta[betaOff + ch], y, yOff + at, l, relu);
      }
    }
  }

  /** {@link #backwardReluFromInput} with an addend that must not be null (Elementwise's "Plus" form). */
  public static void backwardReluFromInputPlus(BatchNormSpans spans, int n, int c, int l,
                                               float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                                               float[] gamma, int gammaOff, float[] beta, int betaOff,
                                               float[] invStd, int invStdOff, float[] addend, int addendOff,
                                               float[] dx, int dxOff,
                                               float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    if (addend == null) {
      throw new IllegalArgumentException("addend must not be null");
    }
    backwardReluFromInput(spans, n, c, l, dy, dyOff, x, xOff, mean, meanOff, gamma, gammaOff, beta, betaOff, invStd,
        invStdOff, addend, addendOff, dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }

  /**
   * {@link #backwardFromInput} of ReLU's backward of dy, the mask recomputed from x (see
   * {@link BatchNormSpans#sumsAndDots}); dx = the result + addend where addend is not null (addend
   * may be dx itself, at dxOff: an accumulation), else the result. dx may alias dy unless addend
   * does too; nothing may alias x.
   */
  public static void backwardReluFromInput(BatchNormSpans spans, int n, int c, int l,
                                           float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                                           float[] gamma, int gammaOff, float[] beta, int betaOff,
                                           float[] invStd, int invStdOff, float[] addend, int addendOff,
                                           float[] dx, int dxOff,
                                           float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    check(BACKWARD_FROM_INPUT, n, c, l, dy, dyOff, x, xOff, dx, dxOff, gamma, gammaOff, invStd, invStdOff, dgamma,
        dgammaOff, dbeta, dbetaOff);
    Checks.span("mean [c]", mean, meanOff, c);
    Checks.span("beta [c]", beta, betaOff, c);
    if (x == dx) {
      throw new IllegalArgumentException("dx must not alias x: x is read again after dx is written");
    }
    if (addend == dx && dy == dx) {
      throw new IllegalArgumentException("dx must not alias dy when accumulating: dy is read again after dx is written");
    }
    if (addend != null) {
      Checks.span("addend [n, c, l]", addend, addendOff, (long) n * c * l);
      if (addend == x || addend == dy || addend == dx && addendOff != dxOff) {
        throw new IllegalArgumentException(
            "addend must be dx itself (at dx's offset) or an array other than x, dy and dx");
      }
    }
    long count = (long) n * l;
    if (count == 0) {
      return;
    }
    double m = (double) count;
    double[] sums = sums(c);
    float[] work = work(spans, c);
    spans.sumsAndDots(n, c, l, dy, dyOff, x, xOff, mean, meanOff, invStd, invStdOff, true, gamma, gammaOff, beta,
        betaOff, sums, work);
    // work is free again: it takes each channel's seven coefficients of the combination
    for (int ch = 0; ch < c; ch++) {
      double sumDy = sums[2 * ch];
      double sumDyXhat = sums[2 * ch + 1];
      dbeta[dbetaOff + ch] += (float) sumDy;
      dgamma[dgammaOff + ch] += (float) sumDyXhat;
      float g = gamma[gammaOff + ch];
      float scale = invStd[invStdOff + ch];
      double a = (double) g * scale;
      int p = 7 * ch;
      work[p] = mean[meanOff + ch];
      work[p + 1] = scale;
      work[p + 2] = g;
      work[p + 3] = beta[betaOff + ch];
      work[p + 4] = (float) a;
      work[p + 5] = (float) (-a * sumDyXhat / m);
      work[p + 6] = (float) (-a * sumDy / m);
    }
    spans.combineRowsRelu(n, c, l, dy, dyOff, x, xOff, work, addend, addendOff, dx, dxOff);
  }
}
