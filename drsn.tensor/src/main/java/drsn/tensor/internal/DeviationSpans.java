package drsn.tensor.internal;

/**
 * The deviation sums of batch norm's statistics ({@link drsn.tensor.Reductions#channelMeanVariance})
 * in one pass over a span, implemented by the scalar and the SIMD reductions.
 */
public interface DeviationSpans {

  /**
   * Σ(x − mean) and Σ(x − mean)² over one span as a {@link FloatPair}: each bit for bit the
   * implementation's {@code sumDeviations} and {@code sumSquaredDeviations} (the same accumulators
   * in the same order), in one pass instead of two.
   */
  long sumDeviationsAndSquares(float[] x, int off, int len, float mean);
}
