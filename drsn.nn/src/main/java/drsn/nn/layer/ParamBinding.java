package drsn.nn.layer;

import java.util.List;

/**
 * What a layer reads its parameters from and accumulates its gradients into: the flat trainable
 * values, the flat running statistics, a gradient array laid out like the values, and where each
 * named tensor lives. Several networks may share one set of values and statistics (for example
 * per-thread inference networks), each with its own gradients.
 *
 * <p>{@code fixed} promises that values and statistics never change while layers are bound to
 * them (a {@code Model}'s parameters under a {@code Predictor}): layers may then derive constants
 * from them once, at construction, and refuse to train. Fixed at construction, never inferred.
 *
 * @param values     trainable parameters (live array)
 * @param statistics batch-norm running statistics (live array)
 * @param grads      gradients, laid out like values
 * @param offsets    the offset of a named tensor in values or statistics
 * @param fixed      values and statistics are immutable for the lifetime of the bound layers
 */
public record ParamBinding(float[] values, float[] statistics, float[] grads, Offsets offsets, boolean fixed) {

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

  /** A binding to parameters that may change (training): layers read them anew on every call. */
  public ParamBinding(float[] values, float[] statistics, float[] grads, Offsets offsets) {
    this(values, statistics, grads, offsets, false);
  }

  /** The offset of a named tensor, checking that its shape is the one the layer expects. */
  int offset(String name, List<Integer> expectedShape) {
    return offsets.offset(name, expectedShape);
  }
}
