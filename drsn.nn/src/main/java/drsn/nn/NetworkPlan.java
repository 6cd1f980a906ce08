package drsn.nn;

import drsn.nn.layer.BatchNorm;
import drsn.nn.layer.ShrinkageUnit;
import drsn.tensor.ConvShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The one ordered description of a network that an {@link Architecture} defines: the stem, every
 * unit with its layers, the head, and each layer's parameter tensors with their PyTorch names,
 * shapes and roles, in checkpoint order. Everything that needs the network's structure walks this
 * plan instead of re-deriving it: the parameter count and layout ({@link Architecture#layout()}),
 * the trainable and inference {@link Network}, checkpoint validation, the CLI's model summary, and
 * exporters.
 *
 * <pre>
 *   input [C_in, H, W] → normalise (Architecture#inputMean, #inputStd)
 *   stem:  Conv                                             "stem.*"
 *   units: per unit i, "units.&lt;i&gt;.*":
 *          BN(bn1) → ReLU → Conv(conv1, stride) → BN(bn2) → ReLU → Conv(conv2)     the residual branch
 *          then by kind: PLAIN nothing; RESIDUAL + shortcut;
 *          SQUEEZE_EXCITATION  FC(fc1) → ReLU → FC(fc2) → sigmoid scales the branch, + shortcut;
 *          SHRINKAGE_*         FC(fc1) → BN(bnf) → ReLU → FC(fc2) → sigmoid → thresholds, + shortcut
 *          shortcut: subsample and zero-pad channels, or a 1×1 Conv ("units.&lt;i&gt;.shortcut.*")
 *   head:  BN("bn") → ReLU → global average pooling → FC("fc") → logits
 * </pre>
 * Convolutions pad (kernel − 1)/2 on each side (1×1 projections: none), so a stride-s layer maps a
 * length L to ⌈L/s⌉.
 *
 * @param dimensions 1 for signals [C, L], 2 for images [C, H, W]
 * @param stem       the first convolution (no BN or ReLU after it)
 * @param units      the units of all stages, in order
 * @param head       the final batch norm and the classifier
 */
public record NetworkPlan(int dimensions, ConvLayer stem, List<UnitPlan> units, Head head) {

  public NetworkPlan {
    units = List.copyOf(units);
  }

  /** A layer with parameters: its name prefix and its tensors, in checkpoint order. */
  public sealed interface Layer permits ConvLayer, NormLayer, DenseLayer {

    /** The name prefix of its tensors, such as {@code units.3.conv1}. */
    String name();

    /** Its tensors in checkpoint order. */
    List<TensorSpec> tensors();

    /** Trainable scalars (running statistics not counted), exactly, however large. */
    long parameterCount();
  }

  /**
   * A convolution with bias over inputs [inChannels, height, width] (height 1 for signals), square
   * kernel (1×k for signals), zero padding (kernel − 1)/2 on each side, the same stride in both
   * dimensions (only along the width for signals). Tensors {@code <name>.weight} [out, in, k] (1-D)
   * or [out, in, k, k] (2-D) and {@code <name>.bias} [out].
   */
  public record ConvLayer(String name, int inChannels, int outChannels, int kernel, int stride, int height,
                          int width, boolean twoD) implements Layer {

    /** Zero padding on each side. */
    public int padding() {
      return (kernel - 1) / 2;
    }

    public int outHeight() {
      return twoD ? down(height, stride) : 1;
    }

    public int outWidth() {
      return down(width, stride);
    }

    /** The geometry for drsn.tensor's {@link drsn.tensor.Convolution} (validated there). */
    public ConvShape shape() {
      return twoD ? ConvShape.of2d(inChannels, outChannels, height, width, kernel, stride, padding(), 1)
          : ConvShape.of1d(inChannels, outChannels, width, kernel, stride, padding(), 1);
    }

    @Override
    public List<TensorSpec> tensors() {
      List<Integer> weight = twoD ? List.of(outChannels, inChannels, kernel, kernel)
          : List.of(outChannels, inChannels, kernel);
      return List.of(trainable(name + ".weight", weight), trainable(name + ".bias", List.of(outChannels)));
    }

    @Override
    public long parameterCount() {
      long taps = twoD ? (long) kernel * kernel : kernel;
      return (long) outChannels * inChannels * taps + outChannels;
    }
  }

  /**
   * Batch normalisation of [channels, spatial] per sample (spatial = H·W, L, or 1 after a fully
   * connected layer). Tensors {@code <name>.weight}, {@code .bias} (trainable),
   * {@code .running_mean}, {@code .running_var} (statistics), each [channels].
   */
  public record NormLayer(String name, int channels, int spatial) implements Layer {

    /** ε added to the variance before the square root (PyTorch's default), as the layers compute. */
    public static final double EPSILON = BatchNorm.EPS;

    @Override
    public List<TensorSpec> tensors() {
      List<Integer> shape = List.of(channels);
      return List.of(trainable(name + ".weight", shape), trainable(name + ".bias", shape),
          new TensorSpec(name + ".running_mean", shape, TensorSpec.Kind.STATISTIC),
          new TensorSpec(name + ".running_var", shape, TensorSpec.Kind.STATISTIC));
    }

    @Override
    public long parameterCount() {
      return 2L * channels;
    }
  }

  /** A fully connected layer y = x·Wᵀ + b. Tensors {@code <name>.weight} [out, in], {@code .bias} [out]. */
  public record DenseLayer(String name, int in, int out) implements Layer {

    @Override
    public List<TensorSpec> tensors() {
      return List.of(trainable(name + ".weight", List.of(out, in)), trainable(name + ".bias", List.of(out)));
    }

    @Override
    public long parameterCount() {
      return (long) out * in + out;
    }
  }

  /** What a unit adds after its residual branch; one kind per {@link Family}. */
  public enum UnitKind {
    /** CBU (ConvNet): the branch alone, no shortcut. */
    PLAIN("CBU"),
    /** RBU (ResNet): branch + shortcut. */
    RESIDUAL("RBU"),
    /** SE unit (SENet): squeeze-and-excitation channel weights scale the branch, + shortcut. */
    SQUEEZE_EXCITATION("SE unit"),
    /** RSBU-CS: soft thresholding with one threshold per sample, + shortcut. */
    SHRINKAGE_CHANNEL_SHARED("RSBU-CS"),
    /** RSBU-CW: soft thresholding with one threshold per sample and channel, + shortcut. */
    SHRINKAGE_CHANNEL_WISE("RSBU-CW");

    private final String label;

    UnitKind(String label) {
      this.label = label;
    }

    /** The paper's name of the unit, such as {@code "RSBU-CW"}. */
    public String label() {
      return label;
    }

    /** True for the residual shrinkage units, which learn thresholds. */
    public boolean shrinks() {
      return this == SHRINKAGE_CHANNEL_SHARED || this == SHRINKAGE_CHANNEL_WISE;
    }

    /** The unit of a family. */
    public static UnitKind of(Family family) {
      return switch (family) {
        case CONVNET -> PLAIN;
        case RESNET -> RESIDUAL;
        case SENET -> SQUEEZE_EXCITATION;
        case DRSN_CS -> SHRINKAGE_CHANNEL_SHARED;
        case DRSN_CW -> SHRINKAGE_CHANNEL_WISE;
      };
    }
  }

  /** How a unit's input reaches its output besides the branch. */
  public enum Shortcut {
    /** No shortcut (PLAIN units). */
    NONE,
    /**
     * The input subsampled by the stride (positions 0, s, 2s, … in every spatial dimension) with the
     * new channels zero-padded symmetrically ((out − in)/2 before, the rest after); the identity
     * when the shape does not change.
     */
    SUBSAMPLE_PAD,
    /** A 1×1 convolution with the unit's stride ({@link UnitPlan#projection()}). */
    PROJECTION
  }

  /**
   * One unit: its residual branch (bn1, conv1 with the unit's stride, bn2, conv2), the layers its
   * kind adds (fc1 and fc2 for SE and shrinkage units, bnf between them for shrinkage units; null
   * otherwise), and its shortcut (projection is null unless {@link Shortcut#PROJECTION}).
   */
  public record UnitPlan(int index, String name, UnitKind kind, NormLayer bn1, ConvLayer conv1, NormLayer bn2,
                         ConvLayer conv2, DenseLayer fc1, NormLayer bnf, DenseLayer fc2, Shortcut shortcut,
                         ConvLayer projection) {

    /**
     * The lower bound of a shrinkage unit's threshold scales: α = max(sigmoid(z), this), so that
     * every threshold stays positive (2^−24).
     */
    public static final float MIN_THRESHOLD_SCALE = ShrinkageUnit.MIN_ALPHA;

    public int inChannels() {
      return conv1.inChannels();
    }

    public int outChannels() {
      return conv2.outChannels();
    }

    /** The stride of conv1 (and of the shortcut). */
    public int stride() {
      return conv1.stride();
    }

    public int kernel() {
      return conv1.kernel();
    }

    public int inHeight() {
      return conv1.height();
    }

    public int inWidth() {
      return conv1.width();
    }

    public int outHeight() {
      return conv2.outHeight();
    }

    public int outWidth() {
      return conv2.outWidth();
    }

    /**
     * Zero channels a {@link Shortcut#SUBSAMPLE_PAD} shortcut puts before the input's channels,
     * (out − in)/2; the rest of the new channels (the odd one) go after them.
     */
    public int shortcutPadBefore() {
      return (outChannels() - inChannels()) / 2;
    }

    /** Channels an SE unit squeezes to (fc1's outputs); 0 for other kinds. */
    public int seHidden() {
      return kind == UnitKind.SQUEEZE_EXCITATION ? fc1.out() : 0;
    }

    /** Thresholds per sample of a shrinkage unit (outChannels for RSBU-CW, 1 for RSBU-CS); 0 otherwise. */
    public int thresholdsPerSample() {
      return kind.shrinks() ? fc2.out() : 0;
    }

    /** Its layers in checkpoint order: bn1, conv1, bn2, conv2, then fc1, bnf, fc2 and projection where present. */
    public List<Layer> layers() {
      List<Layer> layers = new ArrayList<>(List.of(bn1, conv1, bn2, conv2));
      for (Layer l : new Layer[] {fc1, bnf, fc2, projection}) {
        if (l != null) {
          layers.add(l);
        }
      }
      return List.copyOf(layers);
    }

    /** Its tensors in checkpoint order. */
    public List<TensorSpec> tensors() {
      return NetworkPlan.tensors(layers());
    }
  }

  /** BN → ReLU over the last unit's output [channels, spatial], global average pooling, then the classifier. */
  public record Head(NormLayer norm, DenseLayer classifier) {

    public int channels() {
      return norm.channels();
    }

    /** Positions per channel that the pooling averages. */
    public int spatial() {
      return norm.spatial();
    }

    public int classes() {
      return classifier.out();
    }
  }

  /** Every layer with parameters, in checkpoint order: stem, the units' layers, head norm, classifier. */
  public List<Layer> layers() {
    List<Layer> layers = new ArrayList<>();
    layers.add(stem);
    for (UnitPlan u : units) {
      layers.addAll(u.layers());
    }
    layers.add(head.norm());
    layers.add(head.classifier());
    return List.copyOf(layers);
  }

  /** Every tensor in checkpoint order, with PyTorch names (see {@link Architecture#layout()}). */
  public List<TensorSpec> tensors() {
    return tensors(layers());
  }

  private static List<TensorSpec> tensors(List<Layer> layers) {
    List<TensorSpec> specs = new ArrayList<>();
    for (Layer l : layers) {
      specs.addAll(l.tensors());
    }
    return List.copyOf(specs);
  }

  /** Trainable scalars (running statistics not counted), exactly, however large. */
  public long parameterCount() {
    long total = 0;
    for (Layer l : layers()) {
      total += l.parameterCount();
    }
    return total;
  }

  /** The plan of an architecture's geometry (the values are validated by {@link Architecture}). */
  static NetworkPlan of(Family family, int dimensions, int inputChannels, int inputHeight, int inputWidth,
                        List<Integer> widths, List<Integer> unitsPerStage, int kernel, int stemStride,
                        int stageStride, int classes, int seReduction, boolean projectionShortcut) {
    boolean twoD = dimensions == 2;
    UnitKind kind = UnitKind.of(family);
    ConvLayer stem = new ConvLayer("stem", inputChannels, widths.getFirst(), kernel, stemStride, inputHeight,
        inputWidth, twoD);
    int h = stem.outHeight();
    int w = stem.outWidth();
    int prev = stem.outChannels();
    List<UnitPlan> units = new ArrayList<>();
    for (int s = 0; s < widths.size(); s++) {
      int c = widths.get(s);
      for (int u = 0; u < unitsPerStage.get(s); u++) {
        int in = u == 0 ? prev : c;
        int stride = u == 0 ? stageStride : 1;
        String p = "units." + units.size();
        ConvLayer conv1 = new ConvLayer(p + ".conv1", in, c, kernel, stride, h, w, twoD);
        ConvLayer conv2 = new ConvLayer(p + ".conv2", c, c, kernel, 1, conv1.outHeight(), conv1.outWidth(), twoD);
        int spatial = conv2.outHeight() * conv2.outWidth();
        DenseLayer fc1 = null;
        NormLayer bnf = null;
        DenseLayer fc2 = null;
        switch (kind) {
          case SQUEEZE_EXCITATION -> {
            int hidden = Math.max(1, c / seReduction);
            fc1 = new DenseLayer(p + ".fc1", c, hidden);
            fc2 = new DenseLayer(p + ".fc2", hidden, c);
          }
          case SHRINKAGE_CHANNEL_SHARED, SHRINKAGE_CHANNEL_WISE -> {
            fc1 = new DenseLayer(p + ".fc1", c, c);
            bnf = new NormLayer(p + ".bnf", c, 1);
            fc2 = new DenseLayer(p + ".fc2", c, kind == UnitKind.SHRINKAGE_CHANNEL_WISE ? c : 1);
          }
          default -> {
          }
        }
        Shortcut shortcut = kind == UnitKind.PLAIN ? Shortcut.NONE
            : projectionShortcut && (in != c || stride != 1) ? Shortcut.PROJECTION : Shortcut.SUBSAMPLE_PAD;
        ConvLayer projection = shortcut == Shortcut.PROJECTION
            ? new ConvLayer(p + ".shortcut", in, c, 1, stride, h, w, twoD) : null;
        units.add(new UnitPlan(units.size(), p, kind, new NormLayer(p + ".bn1", in, h * w), conv1,
            new NormLayer(p + ".bn2", c, spatial), conv2, fc1, bnf, fc2, shortcut, projection));
        h = conv2.outHeight();
        w = conv2.outWidth();
      }
      prev = c;
    }
    Head head = new Head(new NormLayer("bn", prev, h * w), new DenseLayer("fc", prev, classes));
    return new NetworkPlan(dimensions, stem, units, head);
  }

  private static int down(int length, int stride) {
    return (length + stride - 1) / stride;
  }

  private static TensorSpec trainable(String name, List<Integer> shape) {
    return new TensorSpec(name, shape, TensorSpec.Kind.TRAINABLE);
  }
}
