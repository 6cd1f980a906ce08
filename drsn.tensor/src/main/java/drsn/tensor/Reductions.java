package drsn.tensor;

/**
 * Reductions: sums, means, mean of |x|, max and argmax, and the per-channel statistics of batch
 * normalisation. (Filled in by the reductions work; see issue 2.)
 */
public interface Reductions {
}
