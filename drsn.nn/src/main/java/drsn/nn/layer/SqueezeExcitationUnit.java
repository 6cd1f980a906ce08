package drsn.nn.layer;

import drsn.tensor.KernelProvider;

/**
 * SE unit (SENet): channel weights from the branch output x [N, C, S],
 * <pre>
 *   g = GAP(x) [N, C] → FC(C → h) → ReLU → FC(h → C) → Sigmoid = s [N, C]
 *   y = s·x + shortcut(input)
 * </pre>
 * fc1: C → h, fc2: h → C.
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

  public SqueezeExcitationUnit(Branch branch, Shortcut shortcut, Linear fc1, Linear fc2, KernelProvider kernels) {
    super(branch, shortcut, kernels);
    this.hidden = fc1.out();
    this.fc1 = fc1;
    this.fc2 = fc2;
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
    red.spatialMean(1, n * outC, outSpatial, c2, 0, g, 0);
    fc1.forward(n, g, h);
    ew.relu(h, 0, h, 0, n * hidden);
    fc2.forward(n, h, s);
    ew.sigmoid(s, 0, s, 0, n * outC);
    Rows.scale(ew, c2, s, n * outC, outSpatial, out);
    shortcutForward(n, x, out, workspace);
    return out;
  }

  @Override
  protected float[] headBackward(int n, float[] dOut, float[] scratch, float[] dIn, float[] workspace) {
    int rows = n * outC;
    Rows.scale(ew, dOut, s, rows, outSpatial, scratch);
    Rows.dot(red, dOut, c2, rows, outSpatial, ds);
    ew.sigmoidBackward(s, 0, ds, 0, ds, 0, rows);
    fc2.backward(n, h, ds, dh);
    ew.reluBackward(h, 0, dh, 0, dh, 0, n * hidden);
    fc1.backward(n, g, dh, dg);
    ew.scale(1f / outSpatial, dg, 0, dg, 0, rows);
    Rows.add(ew, dg, rows, outSpatial, scratch);
    shortcutBackward(n, dOut, dIn, workspace);
    return scratch;
  }
}
