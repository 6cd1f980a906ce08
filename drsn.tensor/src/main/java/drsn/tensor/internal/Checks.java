package drsn.tensor.internal;

/**
 * Argument checks shared by the scalar and SIMD kernels, so both reject the same inputs with the
 * same messages. Each names what was expected and what was given.
 */
public final class Checks {

  private Checks() {
  }

  /** Requires {@code array} non-null and {@code [off, off + len)} inside it. */
  public static void span(String name, float[] array, int off, long len) {
    if (array == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (len < 0) {
      throw new IllegalArgumentException(name + ": length must be >= 0, got " + len);
    }
    if (off < 0 || off + len > array.length) {
      throw new IllegalArgumentException(name + ": expected " + len + " elements from offset " + off
          + ", but the array has length " + array.length);
    }
  }

  /**
   * Requires {@code array} non-null, {@code stride} ≥ 1 and the {@code len} elements
   * {@code off, off + stride, …, off + (len − 1)·stride} inside it.
   */
  public static void strided(String name, float[] array, int off, int stride, long len) {
    if (stride < 1) {
      throw new IllegalArgumentException(name + ": stride must be >= 1, got " + stride);
    }
    span(name, array, off, len == 0 ? 0 : (len - 1) * stride + 1);
  }

  /** Requires a row-major matrix of {@code rows}×{@code cols} with leading dimension {@code ld} from {@code off}. */
  public static void matrix(String name, float[] array, int off, int rows, int cols, int ld) {
    if (array == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(name + ": dimensions must be >= 0, got " + rows + "x" + cols);
    }
    if (ld < Math.max(1, cols)) {
      throw new IllegalArgumentException(name + ": leading dimension must be >= " + Math.max(1, cols)
          + " for " + rows + "x" + cols + ", got " + ld);
    }
    long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    if (off < 0 || off + needed > array.length) {
      throw new IllegalArgumentException(name + ": a " + rows + "x" + cols + " matrix with leading dimension "
          + ld + " from offset " + off + " needs " + (off + needed) + " elements, but the array has length "
          + array.length);
    }
  }

  public static void nonNegative(String name, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + v);
    }
  }

  public static void positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }

  /**
   * A negative threshold is a bug upstream (thresholds are a sigmoid times a mean of |x|). NaN
   * passes: it is what a diverging network produces, and it must reach the loss to be reported
   * there, with the step and parameter, rather than surface as an argument error in a kernel.
   */
  public static void threshold(float tau) {
    if (tau < 0f) {
      throw new IllegalArgumentException("threshold tau must be >= 0, got " + tau);
    }
  }

  /**
   * The arguments of {@link drsn.tensor.SoftThreshold#forwardAddRows}: rows, len ≥ 0; x and y
   * rows·len from their offsets; the rows' thresholds (tauStride ≥ 0) in tau and each ≥ 0 (or
   * NaN); aStride ≥ 1, aRowStride ≥ 0 and a's last element read inside a.
   */
  public static void softThresholdRows(int rows, int len, float[] x, int xOff, float[] tau, int tauOff,
                                       int tauStride, float[] a, int aOff, int aStride, int aRowStride,
                                       float[] y, int yOff) {
    nonNegative("rows", rows);
    nonNegative("len", len);
    if (tauStride < 0 || aRowStride < 0) {
      throw new IllegalArgumentException("tauStride and aRowStride must be >= 0, got " + tauStride + " and "
          + aRowStride);
    }
    if (aStride < 1) {
      throw new IllegalArgumentException("a: stride must be >= 1, got " + aStride);
    }
    long size = (long) rows * len;
    span("x", x, xOff, size);
    span("y", y, yOff, size);
    span("tau", tau, tauOff, rows == 0 ? 0 : (long) (rows - 1) * tauStride + 1);
    span("a", a, aOff, rows == 0 || len == 0 ? 0 : (long) (rows - 1) * aRowStride + (long) (len - 1) * aStride + 1);
    for (int r = 0; r < rows; r++) {
      threshold(tau[tauOff + r * tauStride]);
    }
  }

  /**
   * The arguments of {@link drsn.tensor.Reductions#channelMeanVariance}: sizes, n·l ≥ 1 and the
   * spans of x [n, c, l], mean [c] and variance [c]; returns n·l.
   */
  public static long channelMoments(int n, int c, int l, float[] x, int xOff, float[] mean, int meanOff,
                                    float[] variance, int varianceOff) {
    nonNegative("n", n);
    nonNegative("c", c);
    nonNegative("l", l);
    long count = (long) n * l;
    if (count == 0) {
      throw new IllegalArgumentException("batch-norm statistics need n·l >= 1 elements per channel, got n="
          + n + ", l=" + l);
    }
    span("x [n, c, l]", x, xOff, count * c);
    span("mean [c]", mean, meanOff, c);
    span("variance [c]", variance, varianceOff, c);
    return count;
  }
}
