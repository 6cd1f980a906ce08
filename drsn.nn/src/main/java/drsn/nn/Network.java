package drsn.nn;

import drsn.nn.internal.CrossEntropy;
import drsn.nn.layer.BatchNorm;
import drsn.nn.layer.Conv;
import drsn.nn.layer.GlobalAvgPool;
import drsn.nn.layer.Linear;
import drsn.nn.layer.ParamBinding;
import drsn.nn.layer.Unit;
import drsn.tensor.Elementwise;
import drsn.tensor.KernelProvider;
import java.util.Arrays;

/**
 * A trainable network of any {@link Family}, built from an {@link Architecture} over a
 * {@link ParameterSet} (shared, not copied) with its own gradients and activation buffers.
 *
 * <pre>
 *   forward:  x [N, C_in, H, W] → logits [N, classes]
 *   backward: ∂L/∂logits → ∂L/∂x, accumulating ∂L/∂parameters into {@link #gradients()}
 * </pre>
 * Buffers are sized for a batch capacity that only grows, so calls with a batch size seen before
 * allocate nothing. Not thread-safe: use one network per thread (they may share parameters).
 * In training mode, batch norm uses batch statistics and updates the running statistics of the
 * shared parameter set; in evaluation mode it uses the running statistics, and a sample's output
 * does not depend on the rest of its batch.
 */
public final class Network {

  private final Architecture arch;
  private final ParameterSet params;
  private final float[] grads;
  private final KernelProvider kernels;
  private final Elementwise ew;
  private final Conv stem;
  private final Unit[] units;
  private final BatchNorm bn;
  private final Linear fc;
  private final int stemOut;
  private final int finalC;
  private final int finalSpatial;
  private final int maxActivation;
  private final float[] invStd;
  private final boolean fixedParameters;
  private boolean training;

  private int capacity;
  private int lastN;
  private float[] xin;
  private float[] s0;
  private float[] lastUnitOut;
  private float[] fb;
  private float[] pooled;
  private float[] logits;
  private float[] dLogits;
  private float[] dPooled;
  private float[] d0;
  private float[] d1;
  private float[] t1;
  private float[] t2;
  private float[] dx;
  private float[] workspace = new float[0];

  /** A network with fresh He-initialised parameters (seeded) on this JVM's kernels. */
  public static Network create(Architecture arch, long seed) {
    return new Network(arch, ParameterSet.initialise(arch, seed), KernelProvider.get());
  }

  /** A network over the given parameters (shared, not copied), which must follow {@code arch.layout()}. */
  public Network(Architecture arch, ParameterSet params, KernelProvider provider) {
    this(arch, params, provider, false);
  }

  /**
   * An evaluation-only network over parameters that never change while it lives (a Model's, for a
   * Predictor): its layers derive their constants once (batch norm's folded scale and shift), and
   * {@link #training(boolean) training(true)} is refused, so no stale constant can reach training.
   */
  static Network overFixedParameters(Architecture arch, ParameterSet params, KernelProvider provider) {
    return new Network(arch, params, provider, true);
  }

  private Network(Architecture arch, ParameterSet params, KernelProvider provider, boolean fixedParameters) {
    if (arch == null || params == null) {
      throw new IllegalArgumentException("architecture and parameters must not be null");
    }
    if (provider == null) {
      throw new IllegalArgumentException("kernel provider must not be null");
    }
    NetworkPlan plan = arch.plan();
    if (!params.specs().equals(plan.tensors())) {
      throw new IllegalArgumentException("parameters do not follow the architecture's layout");
    }
    this.arch = arch;
    this.params = params;
    this.grads = new float[params.values().length];
    this.kernels = provider;
    this.ew = provider.elementwise();
    this.fixedParameters = fixedParameters;
    ParamBinding b = PlanLayers.binding(params, grads, fixedParameters);
    this.stem = PlanLayers.conv(b, plan.stem(), provider);
    this.stemOut = plan.stem().shape().outputSize();
    int maxAct = Math.max(arch.inputSize(), stemOut);
    this.units = new Unit[plan.units().size()];
    for (NetworkPlan.UnitPlan u : plan.units()) {
      units[u.index()] = PlanLayers.unit(b, u, provider);
      maxAct = Math.max(maxAct, units[u.index()].outSize());
    }
    this.finalC = plan.head().channels();
    this.finalSpatial = plan.head().spatial();
    this.maxActivation = maxAct;
    this.bn = PlanLayers.norm(b, plan.head().norm(), provider);
    this.fc = PlanLayers.dense(b, plan.head().classifier(), provider);
    this.invStd = new float[arch.inputChannels()];
    for (int c = 0; c < invStd.length; c++) {
      invStd[c] = 1f / arch.inputStd().get(c);
    }
  }

  public Architecture architecture() {
    return arch;
  }

  /** The parameters this network reads and (in training mode, for running statistics) writes. */
  public ParameterSet parameters() {
    return params;
  }

  /** Gradients of the trainable parameters, laid out like {@link ParameterSet#values()} (live array). */
  public float[] gradients() {
    return grads;
  }

  public void zeroGradients() {
    Arrays.fill(grads, 0f);
  }

  public boolean isTraining() {
    return training;
  }

  /** @throws IllegalStateException if on and this network is over fixed parameters (a Predictor's) */
  public Network training(boolean on) {
    if (on && fixedParameters) {
      throw new IllegalStateException("a network over a model's fixed parameters cannot train");
    }
    this.training = on;
    return this;
  }

  /** Sizes the buffers for batches of up to n samples (done by forward as needed). */
  public void reserve(int n) {
    if (n <= capacity) {
      return;
    }
    if ((long) n * maxActivation > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batch of " + n + " is too large for this network's activations");
    }
    int in = arch.inputSize();
    xin = new float[n * in];
    s0 = new float[n * stemOut];
    for (Unit u : units) {
      u.prepare(n);
    }
    fb = new float[n * finalC * finalSpatial];
    pooled = new float[n * finalC];
    logits = new float[n * arch.classes()];
    dLogits = new float[n * arch.classes()];
    dPooled = new float[n * finalC];
    d0 = new float[n * maxActivation];
    d1 = new float[n * maxActivation];
    t1 = new float[n * maxActivation];
    t2 = new float[n * maxActivation];
    dx = new float[n * in];
    int ws = stem.workspaceSize(n);
    for (Unit u : units) {
      ws = Math.max(ws, u.workspaceSize(n));
    }
    if (ws > workspace.length) {
      workspace = new float[ws];
    }
    capacity = n;
  }

  /**
   * Forward pass over n samples of x [n, C_in, H, W] (normalised here with the architecture's
   * input statistics). Returns the logits [n, classes] in a buffer owned by the network, valid
   * until the next forward call.
   */
  public float[] forward(float[] x, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + n);
    }
    int in = arch.inputSize();
    if (x == null || x.length < (long) n * in) {
      throw new IllegalArgumentException("expected at least " + ((long) n * in) + " input floats (" + n
          + " samples of " + in + "), got " + (x == null ? "null" : x.length));
    }
    reserve(n);
    lastN = n;
    int plane = arch.inputHeight() * arch.inputWidth();
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < arch.inputChannels(); c++) {
        int base = (s * arch.inputChannels() + c) * plane;
        ew.shiftScale(x, base, arch.inputMean().get(c), invStd[c], xin, base, plane);
      }
    }
    stem.forward(n, xin, s0, workspace);
    float[] cur = s0;
    for (Unit u : units) {
      cur = u.forward(n, cur, training, workspace, t1);
    }
    lastUnitOut = cur;
    bn.forwardRelu(n, cur, fb, training, t1);
    GlobalAvgPool.forward(kernels.reductions(), n, finalC, finalSpatial, fb, pooled);
    fc.forward(n, pooled, logits);
    return logits;
  }

  /**
   * Mean cross-entropy of the last forward pass's logits (the cross-entropy training uses, with
   * the mean over this batch); also prepares {@link #backward()}.
   */
  public float loss(int[] labels) {
    requireForward();
    if (labels == null || labels.length != lastN) {
      throw new IllegalArgumentException("expected " + lastN + " labels, got "
          + (labels == null ? "null" : labels.length));
    }
    return (float) (CrossEntropy.lossAndGradient(logits, lastN, arch.classes(), labels, 0, lastN, dLogits, null)
        / lastN);
  }

  /** Backward from the gradient {@link #loss} computed; returns ∂L/∂x (owned buffer). */
  public float[] backward() {
    requireForward();
    return backwardFrom(dLogits, true);
  }

  /** Backward from a given ∂L/∂logits [n, classes] of the last forward pass; returns ∂L/∂x (owned buffer). */
  public float[] backward(float[] gradLogits) {
    requireForward();
    checkLogitGradients(gradLogits);
    System.arraycopy(gradLogits, 0, dLogits, 0, lastN * arch.classes());
    return backwardFrom(dLogits, true);
  }

  /**
   * {@link #backward(float[])} for the parameter gradients only: the same gradients, bit for bit,
   * without ∂L/∂x, which training never reads (the stem's input gradient is a whole convolution
   * backward pass over the input).
   */
  public void backwardParameters(float[] gradLogits) {
    requireForward();
    checkLogitGradients(gradLogits);
    System.arraycopy(gradLogits, 0, dLogits, 0, lastN * arch.classes());
    backwardFrom(dLogits, false);
  }

  private void checkLogitGradients(float[] gradLogits) {
    if (gradLogits == null || gradLogits.length < lastN * arch.classes()) {
      throw new IllegalArgumentException("expected " + (lastN * arch.classes()) + " logit gradients, got "
          + (gradLogits == null ? "null" : gradLogits.length));
    }
  }

  /** The backward pass; writes ∂L/∂x into dx and returns it when inputGradient, else returns null. */
  private float[] backwardFrom(float[] dz, boolean inputGradient) {
    int n = lastN;
    fc.backward(n, pooled, dz, dPooled);
    GlobalAvgPool.backward(n, finalC, finalSpatial, dPooled, d0);
    bn.backwardRelu(n, lastUnitOut, fb, d0, d0, false);
    float[] dOut = d0;
    float[] dIn = d1;
    for (int i = units.length - 1; i >= 0; i--) {
      units[i].backward(n, dOut, dIn, t1, t2, workspace);
      float[] tmp = dOut;
      dOut = dIn;
      dIn = tmp;
    }
    if (!inputGradient) {
      stem.backward(n, xin, dOut, null, workspace);
      return null;
    }
    stem.backward(n, xin, dOut, dx, workspace);
    int plane = arch.inputHeight() * arch.inputWidth();
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < arch.inputChannels(); c++) {
        int base = (s * arch.inputChannels() + c) * plane;
        ew.scale(invStd[c], dx, base, dx, base, plane);
      }
    }
    return dx;
  }

  private void requireForward() {
    if (lastN == 0) {
      throw new IllegalStateException("no forward pass yet");
    }
  }

  /** Samples in the last forward pass (0 before the first). */
  public int lastBatchSize() {
    return lastN;
  }

  // ---- thresholds of the residual shrinkage units ----

  /** Number of units (across all stages). */
  public int unitCount() {
    return units.length;
  }

  /** Output channels of a unit. */
  public int unitChannels(int unit) {
    return unit(unit).outChannels();
  }

  /** True if the unit learns thresholds (DRSN families). */
  public boolean hasThresholds(int unit) {
    return unit(unit).hasThresholds();
  }

  /**
   * The thresholds τ of a shrinkage unit in the last forward pass, per sample and channel:
   * result[s·C + c]; a channel-shared unit repeats its one threshold per sample across channels.
   */
  public float[] thresholds(int unit) {
    requireForward();
    float[] out = new float[lastN * unitChannels(unit)];
    thresholds(unit, out, 0);
    return out;
  }

  /** As {@link #thresholds(int)}, into out from offset (lastBatchSize()·unitChannels(unit) floats). */
  public void thresholds(int unit, float[] out, int offset) {
    requireShrinkage(unit, out, offset).thresholds(lastN, out, offset);
  }

  /**
   * The threshold scales α of a shrinkage unit in the last forward pass, laid out as
   * {@link #thresholds(int)}: τ = α·mean|x| (per channel for RSBU-CW, over all channels for
   * RSBU-CS), 0 &lt; α ≤ 1. Comparable across units and inputs where τ itself scales with the
   * features: α near 0 means the unit hardly shrinks, near 1 that it removes a whole mean magnitude.
   */
  public float[] thresholdScales(int unit) {
    requireForward();
    float[] out = new float[lastN * unitChannels(unit)];
    thresholdScales(unit, out, 0);
    return out;
  }

  /** As {@link #thresholdScales(int)}, into out from offset (lastBatchSize()·unitChannels(unit) floats). */
  public void thresholdScales(int unit, float[] out, int offset) {
    requireShrinkage(unit, out, offset).thresholdScales(lastN, out, offset);
  }

  /**
   * The fraction of a shrinkage unit's residual-branch features that soft thresholding set to
   * exactly zero in the last forward pass (|x| ≤ τ), over all its samples, channels and positions.
   */
  public double zeroedFraction(int unit) {
    return requireShrinkage(unit).zeroedFraction(lastN);
  }

  private Unit requireShrinkage(int unit) {
    requireForward();
    Unit u = unit(unit);
    if (!u.hasThresholds()) {
      throw new IllegalArgumentException("unit " + unit + " of a " + arch.family() + " network has no thresholds");
    }
    return u;
  }

  private Unit requireShrinkage(int unit, float[] out, int offset) {
    Unit u = requireShrinkage(unit);
    int need = lastN * u.outChannels();
    if (out == null || offset < 0 || offset + (long) need > out.length) {
      throw new IllegalArgumentException("need " + need + " floats from offset " + offset + ", got array of "
          + (out == null ? "null" : out.length));
    }
    return u;
  }

  private Unit unit(int i) {
    if (i < 0 || i >= units.length) {
      throw new IllegalArgumentException("unit index must be in [0, " + units.length + "), got " + i);
    }
    return units[i];
  }

  /** An immutable snapshot of the architecture and current parameters. */
  public Model toModel() {
    return new Model(arch, params.copy());
  }
}
