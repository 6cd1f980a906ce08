package drsn.nn.layer;


/** CBU, the ConvNet baseline's unit: the residual branch alone, no shortcut. */
public final class PlainUnit extends Unit {

  public PlainUnit(ParamBinding binding, String prefix, int inC, int outC, int inH, int inW, int stride, int kernel,
                   boolean twoD, Kernels kernels) {
    super(binding, prefix, inC, outC, inH, inW, stride, kernel, twoD, false, false, kernels);
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
    java.util.Arrays.fill(dIn, 0, n * inSize(), 0f);
    return dOut;
  }
}
