package drsn.tensor.internal;

/** The argument checks of {@link drsn.tensor.Elementwise#spread}, shared by its two implementations. */
public final class SpreadChecks {

  private SpreadChecks() {
  }

  /** Spans, a positive stride, and every spread element inside dst (allocates nothing unless it throws). */
  public static void check(float[] src, int srcOff, int len, int stride, float[] dst, int dstOff, int dstLen) {
    Checks.positive("stride", stride);
    Checks.span("src", src, srcOff, len);
    Checks.span("dst", dst, dstOff, dstLen);
    if (len > 0 && (long) (len - 1) * stride >= dstLen) {
      throw new IllegalArgumentException("spread: " + len + " elements at stride " + stride + " need more than "
          + (long) (len - 1) * stride + " floats of dst, got " + dstLen);
    }
  }
}
