package drsn.tensor;

/**
 * Elementwise kernels and their backwards. (Filled in by the elementwise work; see issue 2.)
 */
public interface Elementwise {
}
