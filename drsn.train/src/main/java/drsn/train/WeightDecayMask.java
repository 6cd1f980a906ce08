package drsn.train;

import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import java.util.Arrays;

/**
 * Which trainable scalars receive weight decay: the weights of convolutions and fully connected
 * layers, not biases and not batch-norm parameters (whose tensors sit beside a
 * {@code running_mean}), as in the paper and the usual PyTorch recipe.
 */
public final class WeightDecayMask {

  private WeightDecayMask() {
  }

  /** One flag per scalar of {@code params.values()}. */
  public static boolean[] of(ParameterSet params) {
    if (params == null) {
      throw new IllegalArgumentException("parameters must not be null");
    }
    boolean[] mask = new boolean[params.values().length];
    for (TensorSpec spec : params.specs()) {
      if (decays(params, spec)) {
        ParameterSet.Slot slot = params.slot(spec.name());
        Arrays.fill(mask, slot.offset(), slot.offset() + slot.size(), true);
      }
    }
    return mask;
  }

  /** True for a convolution or fully connected weight. */
  private static boolean decays(ParameterSet params, TensorSpec spec) {
    String name = spec.name();
    if (spec.kind() != TensorSpec.Kind.TRAINABLE || !name.endsWith(".weight")) {
      return false;
    }
    String owner = name.substring(0, name.length() - ".weight".length());
    return !params.contains(owner + ".running_mean");
  }
}
