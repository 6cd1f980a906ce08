package drsn.nn;

import java.util.List;

/**
 * One named tensor of a network's parameter layout, as it appears in a checkpoint: a PyTorch-style
 * name such as {@code units.3.conv1.weight}, its shape, and whether it is trained or a running
 * statistic of batch normalisation.
 */
public record TensorSpec(String name, List<Integer> shape, Kind kind) {

  /** Trainable parameters get gradients; statistics are updated by forward passes in training mode. */
  public enum Kind { TRAINABLE, STATISTIC }

  public TensorSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must be non-empty, got " + name);
    }
    shape = List.copyOf(shape);
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException("tensor " + name + ": dimensions must be > 0, got " + shape);
      }
    }
    if (kind == null) {
      throw new IllegalArgumentException("tensor " + name + ": kind must not be null");
    }
  }

  /** Number of elements (product of the shape), as a long so that hostile shapes cannot overflow. */
  public long elementCount() {
    long n = 1;
    for (int d : shape) {
      n *= d;
      if (n > Integer.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
    }
    return n;
  }

  // equals and hashCode written out (the same as a record's): a record's generated ones bootstrap
  // through invokedynamic, and Model compares layouts on every model load, so every program that
  // loads a model would pay that bootstrap (~20 ms in a runtime image without a class-data cache).
  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && name.equals(t.name) && shape.equals(t.shape) && kind == t.kind;
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + shape.hashCode()) * 31 + kind.hashCode();
  }
}
