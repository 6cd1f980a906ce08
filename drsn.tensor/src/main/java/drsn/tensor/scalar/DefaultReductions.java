package drsn.tensor.scalar;

import drsn.tensor.Reductions;
import drsn.tensor.internal.Checks;
import drsn.tensor.internal.DeviationSpans;
import drsn.tensor.internal.FloatPair;

/**
 * Scalar reductions: the reference twin of the SIMD kernels. Sums accumulate in double, so they
 * are as accurate as a float result can be for all but extreme spans.
 */
public final class DefaultReductions implements Reductions, DeviationSpans {

  @Override
  public float sum(float[] x, int off, int len) {
    Checks.span("x", x, off, len);
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += x[off + i];
    }
    return (float) s;
  }

  @Override
  public float sumAbs(float[] x, int off, int len) {
    Checks.span("x", x, off, len);
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += Math.abs(x[off + i]);
    }
    return (float) s;
  }

  @Override
  public float sumDeviations(float[] x, int off, int len, float mean) {
    Checks.span("x", x, off, len);
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += x[off + i] - mean;
    }
    return (float) s;
  }

  @Override
  public float sumSquaredDeviations(float[] x, int off, int len, float mean) {
    Checks.span("x", x, off, len);
    double s = 0;
    for (int i = 0; i < len; i++) {
      // The deviation is rounded to float first, as the SIMD kernel does, then squared in double.
      double d = x[off + i] - mean;
      s += d * d;
    }
    return (float) s;
  }

  @Override
  public float dot(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += (double) x[xOff + i] * y[yOff + i];
    }
    return (float) s;
  }

  @Override
  public float max(float[] x, int off, int len) {
    Checks.positive("len (max of an empty span is undefined)", len);
    Checks.span("x", x, off, len);
    float m = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < len; i++) {
      m = Math.max(m, x[off + i]);
    }
    return m;
  }

  @Override
  public int argmax(float[] x, int off, int len) {
    Checks.positive("len (argmax of an empty span is undefined)", len);
    Checks.span("x", x, off, len);
    int best = 0;
    float m = x[off];
    if (m != m) {
      return 0;
    }
    for (int i = 1; i < len; i++) {
      float v = x[off + i];
      if (v != v) {
        return i;
      }
      if (v > m) {
        m = v;
        best = i;
      }
    }
    return best;
  }

  /** {@link #sumDeviations} and {@link #sumSquaredDeviations} in one pass. */
  @Override
  public long sumDeviationsAndSquares(float[] x, int off, int len, float mean) {
    Checks.span("x", x, off, len);
    double s = 0;
    double q = 0;
    for (int i = 0; i < len; i++) {
      float dev = x[off + i] - mean;
      s += dev;
      double d = dev;
      q += d * d;
    }
    return FloatPair.of((float) s, (float) q);
  }
}
