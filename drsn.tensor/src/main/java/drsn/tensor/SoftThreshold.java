package drsn.tensor;

import drsn.tensor.internal.Checks;

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
 * <p>The forward is computed as {@code x − clamp(x, −τ, τ)}, which equals the definition exactly
 * (x − τ and −(|x| − τ) round the same way) and gives +0 where |x| ≤ τ; both implementations
 * perform these same operations, so scalar and SIMD agree bit for bit. The backward's ∂L/∂τ is a
 * sum, whose rounding depends on the order of summation (the scalar kernel sums in double).
 *
 * <p>NaN: a NaN in x gives NaN in y at that position; its ∂y/∂x is 0 and it adds nothing to ∂L/∂τ
 * (|NaN| > τ is false). A NaN in dy passes to dx and to ∂L/∂τ where |x| > τ. τ = +∞ maps every
 * non-NaN x, infinite ones included, to 0. A NaN τ makes its whole span NaN in the forward and
 * zero in the backward (∂y/∂x = 0, ∂L/∂τ = 0): a diverging network then shows up as a NaN loss,
 * where the trainer reports it. A negative τ is rejected with an {@link IllegalArgumentException}:
 * thresholds come from a sigmoid times a mean of |x|, so it means the caller has a bug upstream.
 */
public interface SoftThreshold {

  /** y[i] = softThreshold(x[i], tau) for i in [0, len). x and y may be the same span. */
  void forward(float[] x, int xOff, float[] y, int yOff, int len, float tau);

  /**
   * y[i] = softThreshold(x[i], tau) + a[aOff + i·aStride] for i in [0, len): {@link #forward}
   * followed by the residual add of a shortcut (subsampled by {@code aStride} ≥ 1) in one pass over
   * memory, bit for bit the two steps (the same operations, the sum rounded once). y may alias x;
   * a must not overlap y.
   */
  void forwardAdd(float[] x, int xOff, float[] a, int aOff, int aStride, float[] y, int yOff, int len, float tau);

  /**
   * {@link #forwardAdd} over {@code rows} rows of {@code len}, bit for bit one call per row: row r
   * reads x and writes y at r·len from their offsets, takes τ = tau[tauOff + r·tauStride] (1: a
   * threshold per row, as RSBU-CW's channels; 0: one for all rows, as RSBU-CS's sample) and adds
   * a[aOff + r·aRowStride + i·aStride]. The arguments are checked once for all rows, which at batch
   * 1 (rows of a few vectors) is a measurable part of the rows' cost. y may alias x; a must not
   * overlap y.
   */
  default void forwardAddRows(int rows, int len, float[] x, int xOff, float[] tau, int tauOff, int tauStride,
                              float[] a, int aOff, int aStride, int aRowStride, float[] y, int yOff) {
    Checks.softThresholdRows(rows, len, x, xOff, tau, tauOff, tauStride, a, aOff, aStride, aRowStride, y, yOff);
    for (int r = 0; r < rows; r++) {
      forwardAdd(x, xOff + r * len, a, aOff + r * aRowStride, aStride, y, yOff + r * len, len,
          tau[tauOff + r * tauStride]);
    }
  }

  /**
   * dx[i] = dy[i] where |x[i]| > tau, else 0; returns ∂L/∂τ = Σ −sign(x[i])·dy[i] over those
   * positions. dx may alias dy.
   */
  float backward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len, float tau);

  /** RSBU-CW: x, y [n, c, l]; tau [n, c]. */
  default void forwardPerChannel(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                 float[] y, int yOff) {
    checkBatch(n, c, l, x, xOff, "tau [n, c]", tau, tauOff, (long) n * c, y, yOff, "y [n, c, l]");
    for (int s = 0; s < n * c; s++) {
      forward(x, xOff + s * l, y, yOff + s * l, l, tau[tauOff + s]);
    }
  }

  /** RSBU-CW backward: dx [n, c, l] overwritten; dtau [n, c] overwritten. */
  default void backwardPerChannel(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                  float[] dy, int dyOff, float[] dx, int dxOff, float[] dtau, int dtauOff) {
    checkBatch(n, c, l, x, xOff, "tau [n, c]", tau, tauOff, (long) n * c, dy, dyOff, "dy [n, c, l]");
    Checks.span("dx [n, c, l]", dx, dxOff, (long) n * c * l);
    Checks.span("dtau [n, c]", dtau, dtauOff, (long) n * c);
    for (int s = 0; s < n * c; s++) {
      dtau[dtauOff + s] = backward(x, xOff + s * l, dy, dyOff + s * l, dx, dxOff + s * l, l, tau[tauOff + s]);
    }
  }

  /** RSBU-CS: x, y [n, c, l]; tau [n]. */
  default void forwardPerSample(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                float[] y, int yOff) {
    checkBatch(n, c, l, x, xOff, "tau [n]", tau, tauOff, n, y, yOff, "y [n, c, l]");
    int span = c * l;
    for (int s = 0; s < n; s++) {
      forward(x, xOff + s * span, y, yOff + s * span, span, tau[tauOff + s]);
    }
  }

  /** RSBU-CS backward: dx [n, c, l] overwritten; dtau [n] overwritten. */
  default void backwardPerSample(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff,
                                 float[] dy, int dyOff, float[] dx, int dxOff, float[] dtau, int dtauOff) {
    checkBatch(n, c, l, x, xOff, "tau [n]", tau, tauOff, n, dy, dyOff, "dy [n, c, l]");
    Checks.span("dx [n, c, l]", dx, dxOff, (long) n * c * l);
    Checks.span("dtau [n]", dtau, dtauOff, n);
    int span = c * l;
    for (int s = 0; s < n; s++) {
      dtau[dtauOff + s] = backward(x, xOff + s * span, dy, dyOff + s * span, dx, dxOff + s * span, span,
          tau[tauOff + s]);
    }
  }

  private static void checkBatch(int n, int c, int l, float[] x, int xOff, String tauName, float[] tau,
                                 int tauOff, long tauLen,
                                 float[] other, int otherOff, String otherLabel) {
    // Labels are constants: these checks run on every call of a hot kernel, which must not allocate.
    Checks.nonNegative("n", n);
    Checks.nonNegative("c", c);
    Checks.nonNegative("l", l);
    long size = (long) n * c * l;
    Checks.span("x [n, c, l]", x, xOff, size);
    Checks.span(otherLabel, other, otherOff, size);
    Checks.span(tauName, tau, tauOff, tauLen);
  }
}
