package drsn.tensor.scalar;

import drsn.tensor.SoftThreshold;
import drsn.tensor.internal.Checks;

/**
 * Scalar soft thresholding; the reference for the SIMD kernel, which performs the same IEEE
 * operations so that the two agree bit for bit.
 */
public final class DefaultSoftThreshold implements SoftThreshold {

  @Override
  public void forward(float[] x, int xOff, float[] y, int yOff, int len, float tau) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    Checks.threshold(tau);
    if (tau == Float.POSITIVE_INFINITY) {
      // x − clamp(x, −∞, ∞) would give ∞ − ∞ = NaN for infinite x; every non-NaN x maps to 0.
      for (int i = 0; i < len; i++) {
        float v = x[xOff + i];
        y[yOff + i] = v != v ? v : 0f;
      }
      return;
    }
    float negTau = -tau;
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      // x − clamp(x, −τ, τ): 0 (exactly +0) where |x| ≤ τ, x − τ above, x + τ below, NaN for NaN.
      y[yOff + i] = v - Math.min(Math.max(v, negTau), tau);
    }
  }

  @Override
  public float backward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len, float tau) {
    Checks.span("x", x, xOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    Checks.threshold(tau);
    double dtau = 0;
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      float g = dy[dyOff + i];
      if (Math.abs(v) > tau) {
        dx[dxOff + i] = g;
        dtau -= v > 0f ? g : -g;
      } else {
        dx[dxOff + i] = 0f;
      }
    }
    return (float) dtau;
  }
}
