package drsn.tensor.scalar;

import drsn.tensor.Elementwise;

/** Scalar elementwise kernels. */
public final class DefaultElementwise implements Elementwise {
}
