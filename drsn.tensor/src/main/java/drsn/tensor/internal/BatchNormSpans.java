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

  /**
   * Σdy and Σdy·x̂ over one span in one pass, x̂[i] = (x[i] − shift)·scale recomputed from the
   * forward input, packed by {@link #pack}: each bit for bit the implementation's
   * {@code sum(dy)} and {@code dot(dy, x̂)} over a stored x̂ (the same accumulators in the same
   * order). Packed in a long because kernels are shared across threads and a call allocates nothing.
   */
  long sumAndDotNormalized(float[] dy, int dyOff, float[] x, int xOff, float shift, float scale, int len);

  /**
   * {@link #combine} with x̂[i] = (x[i] − shift)·scale recomputed from the forward input: bit for
   * bit the same dx. dx may alias dy, not x.
   */
  void combineNormalized(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift, float scale,
                         float c, float[] dx, int dxOff, int len);

  /** The raw bits of a span's Σdy (high half) and Σdy·x̂ (low half). */
  static long pack(float sum, float dot) {
    return ((long) Float.floatToRawIntBits(sum) << 32) | (Float.floatToRawIntBits(dot) & 0xFFFF_FFFFL);
  }

  static float sumOf(long packed) {
    return Float.intBitsToFloat((int) (packed >>> 32));
  }

  static float dotOf(long packed) {
    return Float.intBitsToFloat((int) packed);
  }
}
