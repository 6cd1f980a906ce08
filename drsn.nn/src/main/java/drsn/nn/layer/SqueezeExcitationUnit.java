package drsn.nn.layer;


/**
 * SE unit (SENet): channel weights from the branch output x [N, C, S],
 * <pre>
 *   g = GAP(x) [N, C] → FC(C → h) → ReLU → FC(h → C) → Sigmoid = s [N, C]
 *   y = s·x + shortcut(input)
 * </pre>
 * Parameters {@code <prefix>.fc1.*} [h, C] and {@code <prefix>.fc2.*} [C, h] besides the branch.
 */
public final class SqueezeExcitationUnit extends Unit {

  private final Linear fc1;
  private final Linear fc2;
  private final int hidden;
  private float[] g;
  private float[] h;
  private float[] s;
  private float[] out;
  private float[] ds;
  private float[] dh;
  private float[] dg;

  public SqueezeExcitationUnit(ParamBinding binding, String prefix, int inC, int outC, int inH, int inW, int stride,
                               int kernel, boolean twoD, boolean projection, int hidden, Kernels kernels) {
    super(binding, prefix, inC, outC, inH, inW, stride, kernel, twoD, true, projection, kernels);
    this.hidden = hidden;
    this.fc1 = new Linear(binding, prefix + ".fc1", outC, hidden, kernels);
    this.fc2 = new Linear(binding, prefix + ".fc2", hidden, outC, kernels);
  }

  @Override
  protected void prepareHead(int capacity) {
    g = new float[capacity * outC];
    h = new float[capacity * hidden];
    s = new float[capacity * outC];
    out = new float[capacity * outSize()];
    ds = new float[capacity * outC];
    dh = new float[capacity * hidden];
    dg = new float[capacity * outC];
  }

  @Override
  protected float[] head(int n, float[] x, boolean training, float[] workspace) {
    ops.meanRows(c2, n * outC, outSpatial, g);
    fc1.forward(n, g, h);
    ops.relu(h, h, n * hidden);
    fc2.forward(n, h, s);
    ops.sigmoid(s, s, n * outC);
    ops.scaleRows(c2, s, n * outC, outSpatial, out);
    shortcutForward(n, x, out, workspace);
    return out;
  }

  @Override
  protected float[] headBackward(int n, float[] dOut, float[] scratch, float[] dIn, float[] workspace) {
    int rows = n * outC;
    ops.scaleRows(dOut, s, rows, outSpatial, scratch);
    ops.dotRows(dOut, c2, rows, outSpatial, ds);
    ops.sigmoidBackward(s, ds, ds, rows);
    fc2.backward(n, h, ds, dh);
    ops.reluBackward(h, dh, dh, n * hidden);
    fc1.backward(n, g, dh, dg);
    ops.elementwise().scale(1f / outSpatial, dg, 0, dg, 0, rows);
    ops.addRows(dg, rows, outSpatial, scratch);
    shortcutBackward(n, dOut, dIn, workspace);
    return scratch;
  }
}
