package drsn.tensor.internal;

/**
 * The two fused span kernels batch norm's training passes are built from ({@link BatchNormTraining}),
 * implemented by the scalar and the SIMD elementwise kernels. Internal: callers use
 * {@link drsn.tensor.Elementwise#batchNormForward} and {@link drsn.tensor.Elementwise#batchNormBackward}.
 * Same rules as {@link drsn.tensor.Elementwise}'s spans (outputs may alias an input exactly, NaN
 * propagates, bad spans are an {@link IllegalArgumentException}); scalar and SIMD agree bit for bit.
 */
public interface BatchNormSpans {

  /**
   * The two steps of batch norm's training forward fused into one pass over a span:
   * xhat[i] = (x[i] − shift)·scale, then y[i] = fma(xhat[i], s, t); bit for bit the same as
   * shiftScale followed by affine. y may alias x; xhat must not. NaN propagates.
   */
  void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                       float[] xhat, int xhatOff, float[] y, int yOff, int len);

  /**
   * {@link #normalizeAffine} without writing x̂: y[i] = fma((x[i] − shift)·scale, s, t), then
   * max(·, 0) when {@code relu} (bit for bit normalizeAffine followed by relu). y may alias x.
   */
  void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                       float[] y, int yOff, int len, boolean relu);

  /**
   * dx[i] = a·dy[i] + b·xhat[i] + c, computed as fma(a, dy, fma(b, xhat, c)): the combination of
   * batch norm's training backward. NaN in any input gives NaN.
   */
  void combine(float a, float[] dy, int dyOff, float b, float[] xhat, int xhatOff, float c,
               float[] dx, int dxOff, int len);

  /**
   * Σdy and Σdy·x̂ over one span in one pass, x̂[i] = (x[i] − shift)·scale recomputed from the
   * forward input, as a {@link FloatPair} (Σdy first): each bit for bit the implementation's
   * {@code sum(dy)} and {@code dot(dy, x̂)} over a stored x̂ (the same accumulators in the same
   * order).
   */
  long sumAndDotNormalized(float[] dy, int dyOff, float[] x, int xOff, float shift, float scale, int len);

  /**
   * {@link #combine} with x̂[i] = (x[i] − shift)·scale recomputed from the forward input: bit for
   * bit the same dx. dx may alias dy, not x.
   */
  void combineNormalized(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift, float scale,
                         float c, float[] dx, int dxOff, int len);

  /**
   * {@link #sumAndDotNormalized} of ReLU's backward of dy: dy[i] where the forward output
   * fma(x̂[i], s, t) > 0, else 0 (x̂ and that output recomputed from x as the forward computed
   * them); bit for bit reluBackward into a buffer, then sumAndDotNormalized over it.
   */
  long sumAndDotNormalizedRelu(float[] dy, int dyOff, float[] x, int xOff, float shift, float scale,
                               float s, float t, int len);

  /**
   * {@link #combineNormalized} of ReLU's backward of dy as in {@link #sumAndDotNormalizedRelu};
   * when {@code accumulate}, dx[i] = result + dx[i] (as {@code add(result, dx)}), else dx[i] =
   * result. dx may alias dy when not accumulating, never x.
   */
  void combineNormalizedRelu(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift, float scale,
                             float s, float t, float c, float[] dx, int dxOff, int len, boolean accumulate);

  /**
   * Batch norm's training backward with the ReLU ({@link BatchNormTraining#backwardReluFromInput})
   * over one channel {@code ch} of [n, c, l] dy, x and dx, its arguments already checked: Σdy and
   * Σdy·x̂ of each row as {@link #sumAndDotNormalizedRelu}, added in double in row order, into
   * dbeta[dbetaAt] and dgamma[dgammaAt], then each row of dx as {@link #combineNormalizedRelu}. An
   * implementation may walk the rows in one method (the row kernels' loops compiled once for every
   * row length are slow on short rows) but must give these bits.
   */
  default void backwardReluChannel(int n, int c, int l, int ch, float[] dy, int dyOff, float[] x, int xOff,
                                   float shift, float scale, float s, float t, float[] dx, int dxOff,
                                   boolean accumulate, float[] dgamma, int dgammaAt, float[] dbeta, int dbetaAt) {
    BatchNormTraining.backwardReluChannel(this, n, c, l, ch, dy, dyOff, x, xOff, shift, scale, s, t, dx, dxOff,
        accumulate, dgamma, dgammaAt, dbeta, dbetaAt);
  }
}
