package drsn.nn.layer;

import drsn.tensor.KernelProvider;

/** RBU, the ResNet baseline's unit: branch + shortcut(input), no ReLU after the addition. */
public final class ResidualBlockUnit extends Unit {

  public ResidualBlockUnit(Branch branch, Shortcut shortcut, KernelProvider kernels) {
    super(branch, shortcut, kernels);
  }

  @Override
  protected void prepareHead(int capacity) {
  }

  @Override
  protected float[] head(int n, float[] x, boolean training, float[] workspace) {
    // The addition's backward needs neither operand, so the sum is formed in the branch buffer.
    shortcutForward(n, x, c2, workspace);
    return c2;
  }

  @Override
  protected float[] headBackward(int n, float[] dOut, float[] scratch, float[] dIn, float[] workspace) {
    shortcutBackward(n, dOut, dIn, workspace);
    return dOut;
  }
}
