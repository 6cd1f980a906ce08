package drsn.nn.layer;

import drsn.tensor.KernelProvider;
import java.util.Arrays;

/** CBU, the ConvNet baseline's unit: the residual branch alone, no shortcut. */
public final class PlainUnit extends Unit {

  public PlainUnit(Branch branch, KernelProvider kernels) {
    super(branch, null, kernels);
  }

  @Override
  protected void prepareHead(int capacity) {
  }

  @Override
  protected float[] head(int n, float[] x, boolean training, float[] workspace) {
    return c2;
  }

  @Override
  protected float[] headBackward(int n, float[] dOut, float[] scratch, float[] dIn, float[] workspace) {
    Arrays.fill(dIn, 0, n * inSize(), 0f);
    return dOut;
  }
}
