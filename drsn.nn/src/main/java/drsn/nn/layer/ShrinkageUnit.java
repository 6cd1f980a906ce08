package drsn.nn.layer;

import drsn.tensor.KernelProvider;
import drsn.tensor.SoftThreshold;
import java.util.Arrays;

/**
 * Residual shrinkage building unit, RSBU-CW (channel-wise thresholds) or RSBU-CS (channel-shared).
 * With the branch output x [N, C, S]:
 * <pre>
 *   g = GAP(|x|)                                   [N, C]
 *   z = FC2(ReLU(BN(FC1(g))))                      FC1: C → C; FC2: C → C (CW) or C → 1 (CS)
 *   α = Sigmoid(z)
 *   CW: τ[n, c] = α[n, c]·g[n, c]                  CS: τ[n] = α[n]·mean_c g[n, c]
 *   y = softThreshold(x, τ) + shortcut(input)      (no ReLU after the addition)
 * </pre>
 * Since 0 &lt; α ≤ 1 (α is clamped below at {@link #MIN_ALPHA}), every threshold is positive and at
 * most the mean |x| it scales (for a non-zero x), so the unit never zeroes a whole channel.
 */
public final class ShrinkageUnit extends Unit {

  /**
   * Lower bound on α. A float sigmoid rounds to 0 below z ≈ −88.7 (reachable with large inputs in
   * evaluation mode), which would switch the unit's shrinkage off entirely (τ = 0); clamping at
   * 2^−24 keeps τ > 0 for any non-zero channel and changes τ by at most 2^−24·mean|x|, below the
   * float resolution of the values it thresholds. (PyTorch's float sigmoid has the same underflow.)
   */
  public static final float MIN_ALPHA = 0x1p-24f;

  private final boolean channelWise;
  private final int tauCount;
  private final Linear fc1;
  private final BatchNorm bnf;
  private final Linear fc2;
  private final SoftThreshold soft;
  private float[] g;
  private float[] h1;
  private float[] r;
  private float[] alpha;
  private float[] gMean;
  private float[] tau;
  private float[] out;
  private float[] dTau;
  private float[] dAlpha;
  private float[] dr;
  private float[] dg;
  private float[] fromTau;
  private int lastN;

  /** RSBU-CW (channelWise: fc2 has one output per channel) or RSBU-CS (fc2 has one output). */
  public ShrinkageUnit(Branch branch, Shortcut shortcut, Linear fc1, BatchNorm bnf, Linear fc2, boolean channelWise,
                       KernelProvider kernels) {
    super(branch, shortcut, kernels);
    this.channelWise = channelWise;
    this.tauCount = channelWise ? outC : 1;
    if (fc2.out() != tauCount) {
      throw new IllegalArgumentException("fc2 of an RSBU-" + (channelWise ? "CW" : "CS") + " must have " + tauCount
          + " outputs, got " + fc2.out());
    }
    this.fc1 = fc1;
    this.bnf = bnf;
    this.fc2 = fc2;
    this.soft = kernels.softThreshold();
  }

  /** True for RSBU-CW, false for RSBU-CS. */
  public boolean channelWise() {
    return channelWise;
  }

  @Override
  protected void prepareHead(int capacity) {
    g = new float[capacity * outC];
    h1 = new float[capacity * outC];
    r = new float[capacity * outC];
    alpha = new float[capacity * tauCount];
    gMean = new float[capacity];
    tau = new float[capacity * tauCount];
    out = new float[capacity * outSize()];
    dTau = new float[capacity * tauCount];
    dAlpha = new float[capacity * tauCount];
    dr = new float[capacity * outC];
    dg = new float[capacity * outC];
    fromTau = new float[capacity * outC];
    bnf.prepare(capacity);
  }

  @Override
  protected float[] head(int n, float[] x, boolean training, float[] workspace) {
    lastN = n;
    red.spatialMeanAbs(1, n * outC, outSpatial, c2, 0, g, 0);
    fc1.forward(n, g, h1);
    bnf.forwardRelu(n, h1, r, training);
    fc2.forward(n, r, alpha);
    ew.sigmoid(alpha, 0, alpha, 0, n * tauCount);
    for (int i = 0; i < n * tauCount; i++) {
      alpha[i] = Math.max(alpha[i], MIN_ALPHA);
    }
    if (channelWise) {
      ew.multiply(alpha, 0, g, 0, tau, 0, n * outC);
    } else {
      red.spatialMean(1, n, outC, g, 0, gMean, 0);
      ew.multiply(alpha, 0, gMean, 0, tau, 0, n);
    }
    if (shortcut != null && shortcut.addsPlaneWise()) {
      thresholdAndAddShortcut(n, x);
      return out;
    }
    if (channelWise) {
      soft.forwardPerChannel(n, outC, outSpatial, c2, 0, tau, 0, out, 0);
    } else {
      soft.forwardPerSample(n, outC, outSpatial, c2, 0, tau, 0, out, 0);
    }
    shortcutForward(n, x, out, workspace);
    return out;
  }

  /**
   * out = softThreshold(c2, τ) + shortcut(x) in one pass per channel plane (the soft threshold's
   * own pass, reading the shortcut's run of x as it goes) instead of a second pass for the add; the
   * same operations, so the same bits as {@code forwardPerChannel} then {@link Shortcut#forwardAdd}.
   */
  private void thresholdAndAddShortcut(int n, float[] x) {
    int stride = shortcut.sourceStride();
    int planeStride = shortcut.sourcePlaneStride();
    for (int s = 0; s < n; s++) {
      int c = 0;
      while (c < outC) {
        int plane = (s * outC + c) * outSpatial;
        int tauAt = channelWise ? s * outC + c : s;
        int from = shortcut.sourceOffset(s, c);
        if (from < 0) { // a zero channel of the shortcut: the threshold alone
          soft.forward(c2, plane, out, plane, outSpatial, tau[tauAt]);
          c++;
          continue;
        }
        // the run of channels that have a source plane, in one call (checked once)
        int end = c + 1;
        while (end < outC && shortcut.sourceOffset(s, end) >= 0) {
          end++;
        }
        soft.forwardAddRows(end - c, outSpatial, c2, plane, tau, tauAt, channelWise ? 1 : 0, x, from, stride,
            planeStride, out, plane);
        c = end;
      }
    }
  }

  @Override
  protected float[] headBackward(int n, float[] dOut, float[] scratch, float[] dIn, float[] workspace) {
    int rows = n * outC;
    // dg collects ∂L/∂g from τ (directly) and through the threshold subnetwork.
    if (channelWise) {
      soft.backwardPerChannel(n, outC, outSpatial, c2, 0, tau, 0, dOut, 0, scratch, 0, dTau, 0);
      ew.multiply(dTau, 0, g, 0, dAlpha, 0, rows);
      ew.multiply(dTau, 0, alpha, 0, fromTau, 0, rows);
    } else {
      soft.backwardPerSample(n, outC, outSpatial, c2, 0, tau, 0, dOut, 0, scratch, 0, dTau, 0);
      ew.multiply(dTau, 0, gMean, 0, dAlpha, 0, n);
      for (int s = 0; s < n; s++) {
        Arrays.fill(fromTau, s * outC, (s + 1) * outC, dTau[s] * alpha[s] / outC);
      }
    }
    ew.sigmoidBackward(alpha, 0, dAlpha, 0, dAlpha, 0, n * tauCount);
    fc2.backward(n, r, dAlpha, dr);
    bnf.backwardRelu(n, h1, r, dr, dr, false);
    fc1.backward(n, g, dr, dg);
    ew.add(dg, 0, fromTau, 0, dg, 0, rows);
    ew.scale(1f / outSpatial, dg, 0, dg, 0, rows);
    Rows.addSign(ew, c2, dg, rows, outSpatial, scratch);
    shortcutBackward(n, dOut, dIn, workspace);
    return scratch;
  }

  @Override
  public boolean hasThresholds() {
    return true;
  }

  /** The number of samples of the last forward pass (0 before the first). */
  public int lastBatch() {
    return lastN;
  }

  @Override
  public void thresholds(int n, float[] outArr, int outOff) {
    perSampleAndChannel(n, tau, outArr, outOff);
  }

  @Override
  public void thresholdScales(int n, float[] outArr, int outOff) {
    perSampleAndChannel(n, alpha, outArr, outOff);
  }

  @Override
  public double zeroedFraction(int n) {
    requireSamples(n);
    if (n == 0) {
      return 0;
    }
    long zeroed = 0;
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < outC; c++) {
        float t = channelWise ? tau[s * outC + c] : tau[s];
        int row = (s * outC + c) * outSpatial;
        for (int i = 0; i < outSpatial; i++) {
          // The soft-threshold kernels' rule: |x| <= τ gives exactly 0.
          zeroed += Math.abs(c2[row + i]) <= t ? 1 : 0;
        }
      }
    }
    return (double) zeroed / ((long) n * outC * outSpatial);
  }

  /** Expands a per-sample (CS) or per-sample-and-channel (CW) vector to out[s·C + c]. */
  private void perSampleAndChannel(int n, float[] values, float[] outArr, int outOff) {
    requireSamples(n);
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < outC; c++) {
        outArr[outOff + s * outC + c] = channelWise ? values[s * outC + c] : values[s];
      }
    }
  }

  private void requireSamples(int n) {
    if (n < 0 || n > lastN) {
      throw new IllegalArgumentException("the last forward pass had " + lastN + " samples, asked for " + n);
    }
  }
}
