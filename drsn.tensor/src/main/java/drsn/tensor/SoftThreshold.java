package drsn.tensor;

/**
 * Soft thresholding, the shrinkage function of a residual shrinkage unit:
 * {@code y = sign(x)·max(|x| − τ, 0)}.
 *
 * <p>The primitives work on one contiguous span that shares one threshold τ ≥ 0; the batched
 * forms apply them per (sample, channel) — RSBU-CW, τ of shape [N, C] — or per sample —
 * RSBU-CS, τ of shape [N] — over x of shape [N, C, L] (L may be H·W).
 *
 * <p>Derivatives: ∂y/∂x = 1 where |x| > τ, else 0; ∂y/∂τ = −sign(x) where |x| > τ, else 0.
 *
 * <p>NaN: a NaN in x gives NaN in y at that position (|NaN| > τ is false, yet the result is
 * computed as x − τ·sign(x), which is NaN); its ∂y/∂x is 0. A NaN or negative τ is rejected with an
 * {@link IllegalArgumentException}: thresholds come from a sigmoid times a mean of |x|, so either
 * means the caller has a bug upstream.
 */
public interface SoftThreshold {

  /** y[i] = softThreshold(x[i], tau) for i in [0, len). x and y may be the same span. */
  void forward(float[] x, int xOff, float[] y, int yOff, int len, float tau);

  /**
   * dx[i] = dy[i] where |x[i]| > tau, else 0; returns ∂L/∂τ = Σ −sign(x[i])·dy[i] over those
   * positions. dx may alias dy.
   */
  float backward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len, float tau);

  /** RSBU-CW: x, y [n, c, l]; tau [n, c]. */
  default void forwardPerChannel(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                 float[] y, int yOff) {
    for (int s = 0; s < n * c; s++) {
      forward(x, xOff + s * l, y, yOff + s * l, l, tau[tauOff + s]);
    }
  }

  /** RSBU-CW backward: dx [n, c, l] overwritten; dtau [n, c] overwritten. */
  default void backwardPerChannel(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                  float[] dy, int dyOff, float[] dx, int dxOff, float[] dtau, int dtauOff) {
    for (int s = 0; s < n * c; s++) {
      dtau[dtauOff + s] = backward(x, xOff + s * l, dy, dyOff + s * l, dx, dxOff + s * l, l, tau[tauOff + s]);
    }
  }

  /** RSBU-CS: x, y [n, c, l]; tau [n]. */
  default void forwardPerSample(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                float[] y, int yOff) {
    int span = c * l;
    for (int s = 0; s < n; s++) {
      forward(x, xOff + s * span, y, yOff + s * span, span, tau[tauOff + s]);
    }
  }

  /** RSBU-CS backward: dx [n, c, l] overwritten; dtau [n] overwritten. */
  default void backwardPerSample(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                 float[] dy, int dyOff, float[] dx, int dxOff, float[] dtau, int dtauOff) {
    int span = c * l;
    for (int s = 0; s < n; s++) {
      dtau[dtauOff + s] = backward(x, xOff + s * span, dy, dyOff + s * span, dx, dxOff + s * span, span,
          tau[tauOff + s]);
    }
  }
}
