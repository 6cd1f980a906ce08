package drsn.tensor.internal;

import drsn.tensor.Elementwise;
import drsn.tensor.Reductions;

/**
 * Batch norm's training forward and backward (see {@link Elementwise#batchNormForward} and
 * {@link Elementwise#batchNormBackward}) written once over the fused span kernels of
 * {@link BatchNormSpans}, so that the scalar and the SIMD implementations each run them on their
 * own kernels.
 */
public final class BatchNormTraining {

  private BatchNormTraining() {
  }

  /** x, xhat, y: [n, c, l]; mean, invStd, gamma, beta: [c]. */
  public static void forward(BatchNormSpans spans, int n, int c, int l, float[] x, int xOff,
                             float[] mean, int meanOff, float[] invStd, int invStdOff,
                             float[] gamma, int gammaOff, float[] beta, int betaOff,
                             float[] xhat, int xhatOff, float[] y, int yOff) {
    Checks.nonNegative("n", n);
    Checks.nonNegative("c", c);
    Checks.nonNegative("l", l);
    long size = (long) n * c * l;
    Checks.span("x [n, c, l]", x, xOff, size);
    Checks.span("xhat [n, c, l]", xhat, xhatOff, size);
    Checks.span("y [n, c, l]", y, yOff, size);
    Checks.span("mean [c]", mean, meanOff, c);
    Checks.span("invStd [c]", invStd, invStdOff, c);
    Checks.span("gamma [c]", gamma, gammaOff, c);
    Checks.span("beta [c]", beta, betaOff, c);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int at = (i * c + ch) * l;
        spans.normalizeAffine(x, xOff + at, mean[meanOff + ch], invStd[invStdOff + ch], gamma[gammaOff + ch],
            beta[betaOff + ch], xhat, xhatOff + at, y, yOff + at, l);
      }
    }
  }

  /** dy, xhat, dx: [n, c, l]; gamma, invStd, dgamma, dbeta: [c]. */
  public static void backward(Reductions red, BatchNormSpans spans, int n, int c, int l,
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
        spans.combine(fa, dy, dyOff + at, fb, xhat, xhatOff + at, fc, dx, dxOff + at, l);
      }
    }
  }
}
