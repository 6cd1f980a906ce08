package drsn.nn.layer;

import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import java.util.List;

/**
 * What a layer reads its parameters from and accumulates its gradients into: a
 * {@link ParameterSet} and a gradient array with the layout of its {@link ParameterSet#values()}.
 * Several networks may share one parameter set (for example per-thread inference networks), each
 * with its own gradients.
 */
public record ParamBinding(ParameterSet params, float[] grads) {

  public ParamBinding {
    if (params == null || grads == null || grads.length != params.values().length) {
      throw new IllegalArgumentException("gradients must match the parameter values: expected "
          + (params == null ? "?" : params.values().length) + " floats, got "
          + (grads == null ? "null" : grads.length));
    }
  }

  /** The offset of a named tensor, checking that its shape is the one the layer expects. */
  int offset(String name, List<Integer> expectedShape) {
    ParameterSet.Slot slot = params.slot(name);
    if (!slot.spec().shape().equals(expectedShape)) {
      throw new IllegalArgumentException("tensor " + name + " has shape " + slot.spec().shape() + ", expected "
          + expectedShape);
    }
    return slot.offset();
  }

  boolean trainable(String name) {
    return params.slot(name).spec().kind() == TensorSpec.Kind.TRAINABLE;
  }
}
