package drsn.tensor.scalar;

import drsn.tensor.Reductions;

/** Scalar reductions. */
public final class DefaultReductions implements Reductions {
}
