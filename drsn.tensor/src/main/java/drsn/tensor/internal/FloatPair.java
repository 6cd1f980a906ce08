package drsn.tensor.internal;

/**
 * Two floats in one long (their raw bits), for span kernels that compute two sums in one pass:
 * kernels are shared across threads and a call allocates nothing, so they cannot return an array
 * or write into a field.
 */
public final class FloatPair {

  private FloatPair() {
  }

  public static long of(float first, float second) {
    return ((long) Float.floatToRawIntBits(first) << 32) | (Float.floatToRawIntBits(second) & 0xFFFF_FFFFL);
  }

  public static float first(long pair) {
    return Float.intBitsToFloat((int) (pair >>> 32));
  }

  public static float second(long pair) {
    return Float.intBitsToFloat((int) pair);
  }
}
