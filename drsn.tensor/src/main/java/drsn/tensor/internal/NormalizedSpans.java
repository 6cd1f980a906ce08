package drsn.tensor.internal;

/**
 * The span primitives of batch norm's backward with x̂ = (x − shift)·scale recomputed from the
 * forward input where it is used, never stored (see {@link BatchNormBackward#runFromInput}). Each
 * implementation gives the bits of its own sum, dot and combine over a stored x̂.
 */
public interface NormalizedSpans {

  /**
   * sum(dy) and dot(dy, x̂) over one span, in one pass, packed as {@link #pack}; each bit for bit
   * the implementation's {@code sum(dy)} and {@code dot(dy, x̂)} over a stored x̂. (Packed in a long
   * because kernels are shared across threads and a call must allocate nothing.)
   */
  long sumAndDotNormalized(float[] dy, int dyOff, float[] x, int xOff, float shift, float scale, int len);

  /** The raw bits of sum (high half) and dot (low half). */
  static long pack(float sum, float dot) {
    return ((long) Float.floatToRawIntBits(sum) << 32) | (Float.floatToRawIntBits(dot) & 0xFFFF_FFFFL);
  }

  static float sumOf(long packed) {
    return Float.intBitsToFloat((int) (packed >>> 32));
  }

  static float dotOf(long packed) {
    return Float.intBitsToFloat((int) packed);
  }

  /** dx[i] = fma(a, dy[i], fma(b, x̂[i], c)) with x̂[i] = (x[i] − shift)·scale; dx may alias dy. */
  void combineNormalized(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift, float scale,
                         float c, float[] dx, int dxOff, int len);
}
