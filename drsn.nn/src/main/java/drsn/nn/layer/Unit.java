package drsn.nn.layer;

import drsn.tensor.ConvShape;
import drsn.tensor.Elementwise;
import drsn.tensor.FoldedConvolution;
import drsn.tensor.KernelProvider;
import drsn.tensor.Reductions;

/**
 * A unit of the skeleton: the pre-activation residual branch
 * <pre>
 *   x [N, in, H, W] → BN → ReLU → Conv(k, stride) → BN → ReLU → Conv(k) → branch [N, out, OH, OW]
 * </pre>
 * followed by what the unit's kind adds (see the subclasses), composed from its layers as
 * drsn.nn's {@code NetworkPlan.UnitPlan} describes them.
 *
 * <p>Buffers are owned by the unit and sized for a batch capacity by {@link #prepare}; forward
 * keeps what backward needs (its input, the activations of the branch). Backward writes through
 * caller-supplied scratch so that the network needs only a few transient gradient buffers.
 */
public abstract sealed class Unit permits PlainUnit, ResidualBlockUnit, SqueezeExcitationUnit, ShrinkageUnit {

  protected final int inC;
  protected final int outC;
  protected final int inSpatial;
  protected final int outSpatial;
  protected final KernelProvider kernels;
  protected final Elementwise ew;
  protected final Reductions red;
  private final BatchNorm bn1;
  private final Conv conv1;
  private final BatchNorm bn2;
  private final Conv conv2;
  protected final Shortcut shortcut;

  protected int capacity;
  protected float[] a1;
  protected float[] c1;
  protected float[] a2;
  protected float[] c2;
  protected float[] shortcutScratch;
  /** At inference over fixed parameters: the two convolutions with their folded batch norms, made on first use. */
  private FoldedConvolution folded1;
  private FoldedConvolution folded2;
  protected float[] lastInput;

  /** A unit of the branch and the shortcut (null for none) computing on the given kernels. */
  protected Unit(Branch branch, Shortcut shortcut, KernelProvider kernels) {
    ConvShape s1 = branch.conv1().shape();
    ConvShape s2 = branch.conv2().shape();
    this.inC = s1.inChannels();
    this.outC = s2.outChannels();
    this.kernels = kernels;
    this.ew = kernels.elementwise();
    this.red = kernels.reductions();
    this.inSpatial = s1.height() * s1.width();
    this.outSpatial = s2.outHeight() * s2.outWidth();
    this.bn1 = branch.bn1();
    this.conv1 = branch.conv1();
    this.bn2 = branch.bn2();
    this.conv2 = branch.conv2();
    this.shortcut = shortcut;
  }

  /** Floats per sample of the unit's input. */
  public int inSize() {
    return inC * inSpatial;
  }

  /** Floats per sample of the unit's output. */
  public int outSize() {
    return outC * outSpatial;
  }

  public int outChannels() {
    return outC;
  }

  /** Scratch floats the convolutions need for a batch of n. */
  public int workspaceSize(int n) {
    int ws = Math.max(Math.max(conv1.workspaceSize(n), conv2.workspaceSize(n)), conv1.pairWorkspaceSize(conv2, n));
    return shortcut == null ? ws : Math.max(ws, shortcut.workspaceSize(n));
  }

  /** Allocates the buffers for batches of up to {@code capacity} samples (only when it grows). */
  public void prepare(int capacity) {
    if (capacity <= this.capacity) {
      return;
    }
    this.capacity = capacity;
    a1 = new float[capacity * inSize()];
    c1 = new float[capacity * outSize()];
    a2 = new float[capacity * outSize()];
    c2 = new float[capacity * outSize()];
    shortcutScratch = shortcut == null ? null : new float[shortcut.scratchSize(capacity)];
    prepareHead(capacity);
  }

  protected abstract void prepareHead(int capacity);

  /**
   * Runs the unit on x [n, in, …]; returns its output buffer [n, out, …] (owned, valid until the
   * next call). scratch: at least n·max(inSize, outSize) floats, not otherwise in use.
   */
  public final float[] forward(int n, float[] x, boolean training, float[] workspace, float[] scratch) {
    lastInput = x;
    // In training the two ReLU outputs are never kept: each convolution normalises its batch
    // norm's input as it copies it (Conv.trainingForwardAfterBatchNormRelu), and the backward's
    // weight gradients rebuild them from the same inputs (Conv.backwardAfterBatchNormRelu). Where a
    // kernel needs them whole, it writes them to the caller's scratch, shared by every unit.
    if (training) {
      conv1.trainingForwardAfterBatchNormRelu(n, bn1, x, scratch, c1, workspace);
      conv2.trainingForwardAfterBatchNormRelu(n, bn2, c1, scratch, c2, workspace);
    } else if (bn1.fixed() && bn2.fixed()) {
      // an inference: no backward follows, so the ReLU outputs need not exist either; the folded
      // maps are applied as the convolutions copy their inputs, the second's as the first's
      // results leave the kernel (c1 is then not written)
      if (folded1 == null) { // once: over fixed parameters the descriptions hold for good
        folded1 = conv1.foldedAfter(bn1);
        folded2 = conv2.foldedAfter(bn2);
      }
      conv1.evaluationPair(n, bn1, bn2, folded1, folded2, x, scratch, c1, c2, workspace);
    } else {
      bn1.forwardRelu(n, x, a1, false, scratch);
      conv1.forward(n, a1, c1, workspace);
      bn2.forwardRelu(n, c1, a2, false, scratch);
      conv2.forward(n, a2, c2, workspace);
    }
    return head(n, x, training, workspace);
  }

  /** Computes the unit's output from the branch output {@link #c2} and the input x. */
  protected abstract float[] head(int n, float[] x, boolean training, float[] workspace);

  /**
   * Backward of the last forward pass: dIn [n, in, …] (overwritten) from dOut [n, out, …];
   * accumulates parameter gradients. t1, t2 are scratch of at least n·max(inSize, outSize) floats.
   * dIn, dOut, t1, t2 must be distinct arrays.
   */
  public final void backward(int n, float[] dOut, float[] dIn, float[] t1, float[] t2, float[] workspace) {
    float[] dc2 = headBackward(n, dOut, t1, dIn, workspace);
    // After a training forward a1 and a2 are only scratch here (see forward); batch norm's training
    // backward recomputes its ReLU mask from its input and does not read them either.
    conv2.backwardAfterBatchNormRelu(n, bn2, c1, a2, dc2, t2, workspace);
    bn2.backwardRelu(n, c1, a2, t2, t2, false);
    conv1.backwardAfterBatchNormRelu(n, bn1, lastInput, a1, t2, t1, workspace);
    if (passesGradientThrough()) {
      // dIn = dOut + the branch's gradient, in the pass that computes the latter (no copy of dOut
      // first: headBackward left dIn alone, and nothing since has written dOut)
      bn1.backwardReluPlus(n, lastInput, a1, t1, dOut, dIn);
    } else {
      // dIn already holds the shortcut's gradient: the branch's is added to it in the same pass.
      bn1.backwardRelu(n, lastInput, a1, t1, dIn, true);
    }
  }

  private boolean passesGradientThrough() {
    return shortcut != null && shortcut.passesGradientThrough();
  }

  /**
   * Backward of the head: returns the gradient w.r.t. the branch output (in {@code scratch} or
   * dOut itself), and writes the shortcut's contribution to dIn (zeros if there is none) through
   * {@link #shortcutBackward}. It must not write dOut: an identity shortcut's contribution is dOut
   * itself, which {@link #backward} reads at its end.
   */
  protected abstract float[] headBackward(int n, float[] dOut, float[] scratch, float[] dIn, float[] workspace);

  protected final void shortcutForward(int n, float[] x, float[] y, float[] workspace) {
    shortcut.forwardAdd(n, x, y, shortcutScratch, workspace);
  }

  /**
   * Writes the shortcut's part of dIn, unless the shortcut passes dOut through unchanged: then
   * {@link #backward} adds the branch's gradient to dOut into dIn itself, and dIn is left alone.
   */
  protected final void shortcutBackward(int n, float[] dOut, float[] dIn, float[] workspace) {
    if (!passesGradientThrough()) {
      shortcut.backward(n, lastInput, dOut, dIn, workspace);
    }
  }

  /** True if this unit learns thresholds (a residual shrinkage unit). */
  public boolean hasThresholds() {
    return false;
  }

  /**
   * The thresholds of the last forward pass, per sample and channel: out[s·C + c] for the n
   * samples of that pass (channel-shared thresholds are repeated for every channel).
   */
  public void thresholds(int n, float[] out, int outOff) {
    throw new IllegalStateException(getClass().getSimpleName() + " has no thresholds");
  }

  /**
   * The threshold scales α = τ / mean|x| of the last forward pass, laid out as {@link #thresholds}:
   * how much of the feature magnitude the unit chose to remove, independent of that magnitude.
   */
  public void thresholdScales(int n, float[] out, int outOff) {
    throw new IllegalStateException(getClass().getSimpleName() + " has no thresholds");
  }

  /** Of the first n samples' branch features in the last forward pass, the fraction that soft thresholding set to 0. */
  public double zeroedFraction(int n) {
    throw new IllegalStateException(getClass().getSimpleName() + " has no thresholds");
  }
}
