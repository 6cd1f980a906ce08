package drsn.tensor;

import drsn.tensor.internal.Checks;
import drsn.tensor.internal.DeviationSpans;
import drsn.tensor.internal.FloatPair;

/**
 * Reductions: sums, mean of |x|, dot products, max and argmax, and the per-channel statistics of
 * batch normalisation.
 *
 * <p>The primitives reduce one contiguous span {@code x[off, off + len)}; the batched forms
 * (default methods) apply them per (sample, channel) of x [N, C, L] (L may be H·W).
 *
 * <p>Precision: sums are returned as float. The scalar kernels accumulate in double; the SIMD
 * kernels accumulate in float in several vector accumulators, so the two differ by rounding only
 * (bounded by about {@code len · 2^-24 · Σ|x|}, usually far less). {@link #max} and
 * {@link #argmax} are exact and agree bit for bit between implementations.
 *
 * <p>NaN: a NaN anywhere in a span makes its sum, sumAbs, deviations, dot and max NaN (as IEEE
 * arithmetic and {@link Math#max} do); argmax returns the index of the first NaN. Infinities
 * follow IEEE arithmetic (for example +∞ and −∞ in one span sum to NaN).
 *
 * <p>Bad input (null arrays, spans outside their array, negative sizes, empty spans where a mean
 * or max needs an element) gives an {@link IllegalArgumentException} naming what was expected and
 * what was given. Implementations are stateless and thread-safe, and allocate nothing per call.
 */
public interface Reductions {

  /** Σ x[i] over the span; 0 for an empty span. */
  float sum(float[] x, int off, int len);

  /** Σ |x[i]| over the span; mean |x| = sumAbs / len. 0 for an empty span. */
  float sumAbs(float[] x, int off, int len);

  /**
   * Σ (x[i] − mean) over the span, for a given (approximate) mean. Used to correct a mean that was
   * computed in float: the deviations are small, so their sum keeps the digits a plain sum loses.
   */
  float sumDeviations(float[] x, int off, int len, float mean);

  /** Σ (x[i] − mean)² over the span, for a given mean (the second pass of a two-pass variance). */
  float sumSquaredDeviations(float[] x, int off, int len, float mean);

  /** Σ x[i]·y[i] over two spans of equal length. */
  float dot(float[] x, int xOff, float[] y, int yOff, int len);

  /**
   * The largest element of a non-empty span ({@link Math#max} semantics: NaN if any element is
   * NaN; +0 is larger than −0).
   */
  float max(float[] x, int off, int len);

  /**
   * The index, relative to {@code off}, of the first element equal to {@link #max} of a non-empty
   * span; when the span holds a NaN, the index of the first NaN. −0 and +0 compare equal here, so
   * with max +0 the first zero of either sign is returned.
   */
  int argmax(float[] x, int off, int len);

  /**
   * Row-wise argmax, for predictions: out[r] = {@link #argmax} of x[r, 0..k). x: [n, k]; out: [n]
   * (int); k ≥ 1.
   */
  default void argmaxRows(int n, int k, float[] x, int xOff, int[] out, int outOff) {
    Checks.nonNegative("n", n);
    Checks.positive("k", k);
    Checks.span("x [n, k]", x, xOff, (long) n * k);
    if (out == null) {
      throw new IllegalArgumentException("out must not be null");
    }
    if (outOff < 0 || (long) outOff + n > out.length) {
      throw new IllegalArgumentException("out [n]: expected " + n + " elements from offset " + outOff
          + ", but the array has length " + out.length);
    }
    for (int r = 0; r < n; r++) {
      out[outOff + r] = argmax(x, xOff + r * k, k);
    }
  }

  /** out[n, c] = mean over l of x[n, c, l]. x: [n, c, l], out: [n, c]; l ≥ 1. */
  default void spatialMean(int n, int c, int l, float[] x, int xOff, float[] out, int outOff) {
    checkSpatial(n, c, l, x, xOff, out, outOff);
    for (int s = 0; s < n * c; s++) {
      out[outOff + s] = sum(x, xOff + s * l, l) / l;
    }
  }

  /** out[n, c] = mean over l of |x[n, c, l]|. x: [n, c, l], out: [n, c]; l ≥ 1. */
  default void spatialMeanAbs(int n, int c, int l, float[] x, int xOff, float[] out, int outOff) {
    checkSpatial(n, c, l, x, xOff, out, outOff);
    for (int s = 0; s < n * c; s++) {
      out[outOff + s] = sumAbs(x, xOff + s * l, l) / l;
    }
  }

  /**
   * Per-channel mean and biased (population) variance over (N, L), for batch normalisation.
   * x: [n, c, l]; mean: [c]; variance: [c]; both overwritten. n·l ≥ 1.
   *
   * <pre>
   *   mean[c]     = (1 / (n·l)) Σ_{n,l} x[n, c, l]
   *   variance[c] = (1 / (n·l)) Σ_{n,l} (x[n, c, l] − mean[c])²
   * </pre>
   *
   * Numerically stable for data with a large mean and a small spread: a first pass gives a mean
   * m₀; a second pass sums the deviations d = Σ(x − m₀) and q = Σ(x − m₀)² (span partials
   * accumulated in double), and the result is mean = m₀ + d/M, variance = q/M − (d/M)² (the
   * corrected two-pass algorithm), never below 0. NaN in a channel makes its mean and variance NaN.
   */
  default void channelMeanVariance(int n, int c, int l, float[] x, int xOff, float[] mean, int meanOff,
                                   float[] variance, int varianceOff) {
    double m = (double) Checks.channelMoments(n, c, l, x, xOff, mean, meanOff, variance, varianceOff);
    // drsn's implementations take both deviation sums in one pass, bit for bit the two calls.
    DeviationSpans fused = this instanceof DeviationSpans f ? f : null;
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += sum(x, xOff + (i * c + ch) * l, l);
      }
      float m0 = (float) (s / m);
      double d = 0;
      double q = 0;
      for (int i = 0; i < n; i++) {
        int at = xOff + (i * c + ch) * l;
        if (fused != null) {
          long both = fused.sumDeviationsAndSquares(x, at, l, m0);
          d += FloatPair.first(both);
          q += FloatPair.second(both);
        } else {
          d += sumDeviations(x, at, l, m0);
          q += sumSquaredDeviations(x, at, l, m0);
        }
      }
      double dm = d / m;
      double var = q / m - dm * dm;
      mean[meanOff + ch] = (float) (m0 + dm);
      // max(0, NaN) would hide a NaN; keep NaN visible.
      variance[varianceOff + ch] = var < 0 ? 0f : (float) var;
    }
  }

  private static void checkSpatial(int n, int c, int l, float[] x, int xOff, float[] out, int outOff) {
    Checks.nonNegative("n", n);
    Checks.nonNegative("c", c);
    Checks.positive("l", l);
    Checks.span("x [n, c, l]", x, xOff, (long) n * c * l);
    Checks.span("out [n, c]", out, outOff, (long) n * c);
  }
}
