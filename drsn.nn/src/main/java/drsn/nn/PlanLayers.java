package drsn.nn;

import drsn.nn.layer.BatchNorm;
import drsn.nn.layer.Branch;
import drsn.nn.layer.Conv;
import drsn.nn.layer.Linear;
import drsn.nn.layer.ParamBinding;
import drsn.nn.layer.PlainUnit;
import drsn.nn.layer.ResidualBlockUnit;
import drsn.nn.layer.Shortcut;
import drsn.nn.layer.ShrinkageUnit;
import drsn.nn.layer.SqueezeExcitationUnit;
import drsn.nn.layer.Unit;
import drsn.tensor.KernelProvider;
import java.util.List;

/**
 * Builds the computing layers of drsn.nn.layer from the layers of a {@link NetworkPlan}: the one
 * place that turns the description into code, so that the layer package needs nothing of drsn.nn.
 */
final class PlanLayers {

  private PlanLayers() {
  }

  /**
   * Layers reading params (shared) and accumulating into grads (laid out like its values); fixed
   * when params never change while the layers live (see {@link ParamBinding#fixed()}).
   */
  static ParamBinding binding(ParameterSet params, float[] grads, boolean fixed) {
    // A class, not params::offset: the first lambda a JVM links costs it ~30 ms of generated
    // classes, and this runs before a program's first prediction.
    ParamBinding.Offsets offsets = new ParamBinding.Offsets() {
      @Override
      public int offset(String name, List<Integer> expectedShape) {
        return params.offset(name, expectedShape);
      }
    };
    return new ParamBinding(params.values(), params.statistics(), grads, offsets, fixed);
  }

  static Conv conv(ParamBinding b, NetworkPlan.ConvLayer layer, KernelProvider kernels) {
    return new Conv(b, layer.name(), layer.shape(), kernels);
  }

  static BatchNorm norm(ParamBinding b, NetworkPlan.NormLayer layer, KernelProvider kernels) {
    return new BatchNorm(b, layer.name(), layer.channels(), layer.spatial(), kernels);
  }

  static Linear dense(ParamBinding b, NetworkPlan.DenseLayer layer, KernelProvider kernels) {
    return new Linear(b, layer.name(), layer.in(), layer.out(), kernels);
  }

  /** The layers of one unit of the plan, composed into the unit its kind names. */
  static Unit unit(ParamBinding b, NetworkPlan.UnitPlan u, KernelProvider kernels) {
    Branch branch = new Branch(norm(b, u.bn1(), kernels), conv(b, u.conv1(), kernels), norm(b, u.bn2(), kernels),
        conv(b, u.conv2(), kernels));
    Shortcut shortcut = u.shortcut() == NetworkPlan.Shortcut.NONE ? null
        : new Shortcut(u.inChannels(), u.outChannels(), u.shortcutPadBefore(), u.inHeight(), u.inWidth(), u.stride(),
            u.conv1().twoD(), u.projection() == null ? null : conv(b, u.projection(), kernels), kernels);
    return switch (u.kind()) {
      case PLAIN -> new PlainUnit(branch, kernels);
      case RESIDUAL -> new ResidualBlockUnit(branch, shortcut, kernels);
      case SQUEEZE_EXCITATION -> new SqueezeExcitationUnit(branch, shortcut, dense(b, u.fc1(), kernels),
          dense(b, u.fc2(), kernels), kernels);
      case SHRINKAGE_CHANNEL_SHARED, SHRINKAGE_CHANNEL_WISE -> new ShrinkageUnit(branch, shortcut,
          dense(b, u.fc1(), kernels), norm(b, u.bnf(), kernels), dense(b, u.fc2(), kernels),
          u.kind() == NetworkPlan.UnitKind.SHRINKAGE_CHANNEL_WISE, kernels);
    };
  }
}
