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
   * dx[i] = a·dy[i] + b·xhat[i] + c, computed as fma(a, dy, fma(b, xhat, c)): the combination of
   * batch norm's training backward. NaN in any input gives NaN.
   */
  void combine(float a, float[] dy, int dyOff, float b, float[] xhat, int xhatOff, float c,
               float[] dx, int dxOff, int len);
}
