package drsn.nn;

import drsn.nn.layer.ParamBinding;
import drsn.nn.layer.Unit;
import drsn.tensor.KernelProvider;

/** Lets the tests of drsn.nn.layer build layers the way {@link Network} does, from a plan. */
public final class TestLayers {

  private TestLayers() {
  }

  public static ParamBinding binding(ParameterSet params, float[] grads) {
    return PlanLayers.binding(params, grads, false);
  }

  public static Unit unit(ParamBinding binding, NetworkPlan.UnitPlan unit, KernelProvider kernels) {
    return PlanLayers.unit(binding, unit, kernels);
  }
}
