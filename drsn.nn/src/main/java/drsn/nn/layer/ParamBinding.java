package drsn.nn.layer;

import java.util.List;

/**
 * What a layer reads its parameters from and accumulates its gradients into: the flat trainable
 * values, the flat running statistics, a gradient array laid out like the values, and where each
 * named tensor lives. Several networks may share one set of values and statistics (for example
 * per-thread inference networks), each with its own gradients.
 *
 * @param values     trainable parameters (live array)
 * @param statistics batch-norm running statistics (live array)
 * @param grads      gradients, laid out like values
 * @param offsets    the offset of a named tensor in values or statistics
 */
public record ParamBinding(float[] values, float[] statistics, float[] grads, Offsets offsets) {

  /** Where a named tensor of a given shape starts in its array. */
  @FunctionalInterface
  public interface Offsets {

    /** @throws IllegalArgumentException if there is no such tensor or its shape differs */
    int offset(String name, List<Integer> expectedShape);
  }

  public ParamBinding {
    if (values == null || statistics == null || offsets == null || grads == null || grads.length != values.length) {
      throw new IllegalArgumentException("gradients must match the parameter values: expected "
          + (values == null ? "?" : values.length) + " floats, got " + (grads == null ? "null" : grads.length));
    }
  }

  /** The offset of a named tensor, checking that its shape is the one the layer expects. */
  int offset(String name, List<Integer> expectedShape) {
    return offsets.offset(name, expectedShape);
  }
}
