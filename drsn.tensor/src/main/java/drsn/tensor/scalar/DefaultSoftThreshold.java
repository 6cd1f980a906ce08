package drsn.tensor.scalar;

import drsn.tensor.SoftThreshold;
import drsn.tensor.internal.Checks;

/** Scalar soft thresholding; the reference for the SIMD kernel. */
public final class DefaultSoftThreshold implements SoftThreshold {

  @Override
  public void forward(float[] x, int xOff, float[] y, int yOff, int len, float tau) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    Checks.threshold(tau);
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      float shrunk = Math.abs(v) - tau;
      y[yOff + i] = shrunk > 0f ? Math.copySign(shrunk, v) : (v != v ? v : 0f);
    }
  }

  @Override
  public float backward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len, float tau) {
    Checks.span("x", x, xOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    Checks.threshold(tau);
    float dtau = 0f;
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      float g = dy[dyOff + i];
      if (Math.abs(v) > tau) {
        dx[dxOff + i] = g;
        dtau -= Math.copySign(g, v);
      } else {
        dx[dxOff + i] = 0f;
      }
    }
    return dtau;
  }
}
