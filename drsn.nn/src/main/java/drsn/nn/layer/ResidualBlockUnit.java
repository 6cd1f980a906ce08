package drsn.nn.layer;


/** RBU, the ResNet baseline's unit: branch + shortcut(input), no ReLU after the addition. */
public final class ResidualBlockUnit extends Unit {

  public ResidualBlockUnit(ParamBinding binding, String prefix, int inC, int outC, int inH, int inW, int stride,
                           int kernel, boolean twoD, boolean projection, Kernels kernels) {
    super(binding, prefix, inC, outC, inH, inW, stride, kernel, twoD, true, projection, kernels);
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
