package drsn.tensor.internal;

import drsn.tensor.Elementwise;
import drsn.tensor.Reductions;

/**
 * Batch norm's training backward (see {@link Elementwise#batchNormBackward}) written once over the
 * span primitives, so that the scalar and the SIMD implementations each run it on their own
 * reductions and elementwise kernels.
 */
public final class BatchNormBackward {

  private BatchNormBackward() {
  }

  /** dy, xhat, dx: [n, c, l]; gamma, invStd, dgamma, dbeta: [c]. */
  public static void run(Reductions red, Elementwise ew, int n, int c, int l,
                         float[] dy, int dyOff, float[] xhat, int xhatOff,
                         float[] gamma, int gammaOff, float[] invStd, int invStdOff,
                         float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    Checks.nonNegative("n", n);
    Checks.nonNegative("c", c);
    Checks.nonNegative("l", l);
    long size = (long) n * c * l;
    Checks.span("dy [n, c, l]", dy, dyOff, size);
    Checks.span("xhat [n, c, l]", xhat, xhatOff, size);
    Checks.span("dx [n, c, l]", dx, dxOff, size);
    Checks.span("gamma [c]", gamma, gammaOff, c);
    Checks.span("invStd [c]", invStd, invStdOff, c);
    Checks.span("dgamma [c]", dgamma, dgammaOff, c);
    Checks.span("dbeta [c]", dbeta, dbetaOff, c);
    long count = (long) n * l;
    if (count == 0) {
      return;
    }
    double m = (double) count;
    for (int ch = 0; ch < c; ch++) {
      // All of this channel's sums are taken before its dx is written, so dx may alias dy.
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int i = 0; i < n; i++) {
        int at = (i * c + ch) * l;
        sumDy += red.sum(dy, dyOff + at, l);
        sumDyXhat += red.dot(dy, dyOff + at, xhat, xhatOff + at, l);
      }
      dbeta[dbetaOff + ch] += (float) sumDy;
      dgamma[dgammaOff + ch] += (float) sumDyXhat;
      double a = (double) gamma[gammaOff + ch] * invStd[invStdOff + ch];
      float fa = (float) a;
      float fb = (float) (-a * sumDyXhat / m);
      float fc = (float) (-a * sumDy / m);
      for (int i = 0; i < n; i++) {
        int at = (i * c + ch) * l;
        ew.combine(fa, dy, dyOff + at, fb, xhat, xhatOff + at, fc, dx, dxOff + at, l);
      }
    }
  }

  /**
   * {@link #run} with x̂ = (x − mean)·invStd recomputed from the forward input x in each pass that
   * reads it: the same sums (each implementation's own sum and dot, in one pass here) and the same
   * combine, so the same bits, with two passes over memory fewer than shiftScale + {@link #run}.
   */
  public static void runFromInput(NormalizedSpans spans, int n, int c, int l,
                                  float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff,
                                  float[] gamma, int gammaOff, float[] invStd, int invStdOff,
                                  float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    Checks.nonNegative("n", n);
    Checks.nonNegative("c", c);
    Checks.nonNegative("l", l);
    long size = (long) n * c * l;
    Checks.span("dy [n, c, l]", dy, dyOff, size);
    Checks.span("x [n, c, l]", x, xOff, size);
    Checks.span("dx [n, c, l]", dx, dxOff, size);
    Checks.span("mean [c]", mean, meanOff, c);
    Checks.span("gamma [c]", gamma, gammaOff, c);
    Checks.span("invStd [c]", invStd, invStdOff, c);
    Checks.span("dgamma [c]", dgamma, dgammaOff, c);
    Checks.span("dbeta [c]", dbeta, dbetaOff, c);
    if (x == dx) {
      throw new IllegalArgumentException("dx must not alias x: x is read again after dx is written");
    }
    long count = (long) n * l;
    if (count == 0) {
      return;
    }
    double m = (double) count;
    for (int ch = 0; ch < c; ch++) {
      float shift = mean[meanOff + ch];
      float scale = invStd[invStdOff + ch];
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int i = 0; i < n; i++) {
        int at = (i * c + ch) * l;
        long sums = spans.sumAndDotNormalized(dy, dyOff + at, x, xOff + at, shift, scale, l);
        sumDy += NormalizedSpans.sumOf(sums);
        sumDyXhat += NormalizedSpans.dotOf(sums);
      }
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
}
