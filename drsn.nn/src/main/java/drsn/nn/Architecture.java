package drsn.nn;

import drsn.nn.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to build a network, and nothing else: a checkpoint stores it in its metadata
 * so that the file alone rebuilds its model.
 *
 * <p>The skeleton, shared by all five families (the paper's Table II):
 * <pre>
 *   input [N, inputChannels, inputHeight, inputWidth]   (1-D: inputHeight = 1, 1×k kernels)
 *   normalise per input channel: (x − inputMean[c]) / inputStd[c]
 *   stem: Conv(widths[0], kernel, stride stemStride), no BN or ReLU after it
 *   for each stage s: unitsPerStage[s] units of width widths[s]; the first has stride stageStride
 *                     (its channel count grows from the previous width), the others stride 1
 *   BN → ReLU → global average pooling → FC(classes)
 * </pre>
 * Convolutions pad (kernel − 1)/2 on each side, so a stride-s layer maps a length L to ⌈L/s⌉.
 * Every unit's residual branch is BN → ReLU → Conv(kernel, stride) → BN → ReLU → Conv(kernel);
 * the family decides what follows (see {@link Family}). SE units squeeze to
 * max(1, width / seReduction) channels.
 *
 * @param family             the network family
 * @param dimensions         1 for signals [C, L], 2 for images [C, H, W]
 * @param inputChannels      input channels
 * @param inputHeight        input height (1 for 1-D)
 * @param inputWidth         input length (1-D) or width (2-D)
 * @param widths             channels per stage; widths[0] is also the stem's width
 * @param unitsPerStage      units per stage
 * @param kernel             odd kernel size of every convolution but the 1×1 projections
 * @param stemStride         stride of the stem convolution
 * @param stageStride        stride of the first unit of every stage
 * @param classes            number of classes
 * @param classNames         one name per class
 * @param inputMean          per input channel, subtracted before the stem
 * @param inputStd           per input channel (> 0), divided by before the stem
 * @param seReduction        SE reduction ratio r
 * @param projectionShortcut 1×1-convolution shortcuts where the shape changes, instead of
 *                           subsampling and zero-padding (the authors' choice, the default)
 * @param inputUnits         sample rate and amplitude scale of the training inputs
 *                           ({@link InputUnits#UNKNOWN} when not known)
 */
public record Architecture(Family family, int dimensions, int inputChannels, int inputHeight, int inputWidth,
                           List<Integer> widths, List<Integer> unitsPerStage, int kernel,
                           int stemStride, int stageStride, int classes, List<String> classNames,
                           List<Float> inputMean, List<Float> inputStd, int seReduction,
                           boolean projectionShortcut, InputUnits inputUnits) {

  /** Bounds that keep hostile metadata from asking for absurd networks. */
  static final int MAX_CHANNELS = 4096;
  static final int MAX_LENGTH = 1 << 24;
  static final long MAX_INPUT_ELEMENTS = 1L << 26;
  static final int MAX_STAGES = 16;
  static final int MAX_UNITS = 1024;
  static final int MAX_KERNEL = 63;
  static final int MAX_STRIDE = 16;
  static final int MAX_CLASSES = 1 << 16;
  static final int MAX_CLASS_NAME = 256;
  static final long MAX_PARAMETERS = 1L << 28;

  public Architecture {
    if (family == null) {
      throw new IllegalArgumentException("family must not be null");
    }
    if (dimensions != 1 && dimensions != 2) {
      throw new IllegalArgumentException("dimensions must be 1 or 2, got " + dimensions);
    }
    range("inputChannels", inputChannels, 1, MAX_CHANNELS);
    range("inputHeight", inputHeight, 1, dimensions == 1 ? 1 : MAX_LENGTH);
    range("inputWidth", inputWidth, 1, MAX_LENGTH);
    if ((long) inputChannels * inputHeight * inputWidth > MAX_INPUT_ELEMENTS) {
      throw new IllegalArgumentException("input " + inputChannels + "x" + inputHeight + "x" + inputWidth
          + " has more than " + MAX_INPUT_ELEMENTS + " elements");
    }
    if (widths == null || unitsPerStage == null) {
      throw new IllegalArgumentException("widths and unitsPerStage must not be null");
    }
    widths = List.copyOf(widths);
    unitsPerStage = List.copyOf(unitsPerStage);
    if (widths.isEmpty() || widths.size() > MAX_STAGES || widths.size() != unitsPerStage.size()) {
      throw new IllegalArgumentException("expected 1.." + MAX_STAGES + " stages with one width and one unit "
          + "count each, got widths " + widths + " and unitsPerStage " + unitsPerStage);
    }
    int totalUnits = 0;
    for (int s = 0; s < widths.size(); s++) {
      range("widths[" + s + "]", widths.get(s), 1, MAX_CHANNELS);
      range("unitsPerStage[" + s + "]", unitsPerStage.get(s), 1, MAX_UNITS);
      totalUnits += unitsPerStage.get(s);
      if (s > 0 && !projectionShortcut && widths.get(s) < widths.get(s - 1)) {
        throw new IllegalArgumentException("widths must not decrease with zero-padding shortcuts (use "
            + "projectionShortcut), got " + widths);
      }
    }
    range("total units", totalUnits, 1, MAX_UNITS);
    range("kernel", kernel, 1, MAX_KERNEL);
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("kernel must be odd (symmetric 'same' padding), got " + kernel);
    }
    range("stemStride", stemStride, 1, MAX_STRIDE);
    range("stageStride", stageStride, 1, MAX_STRIDE);
    range("classes", classes, 1, MAX_CLASSES);
    if (classNames == null || classNames.size() != classes) {
      throw new IllegalArgumentException("expected " + classes + " class names, got "
          + (classNames == null ? "null" : classNames.size()));
    }
    classNames = List.copyOf(classNames);
    ClassNames.check(classNames, MAX_CLASS_NAME);
    if (inputMean == null || inputStd == null || inputMean.size() != inputChannels
        || inputStd.size() != inputChannels) {
      throw new IllegalArgumentException("expected " + inputChannels + " input means and standard deviations, got "
          + inputMean + " and " + inputStd);
    }
    inputMean = List.copyOf(inputMean);
    inputStd = List.copyOf(inputStd);
    for (int c = 0; c < inputChannels; c++) {
      if (!Float.isFinite(inputMean.get(c)) || !(inputStd.get(c) > 0f) || !Float.isFinite(inputStd.get(c))) {
        throw new IllegalArgumentException("input normalisation for channel " + c + " must have a finite mean "
            + "and a finite std > 0, got mean " + inputMean.get(c) + ", std " + inputStd.get(c));
      }
    }
    range("seReduction", seReduction, 1, MAX_CHANNELS);
    if (inputUnits == null) {
      throw new IllegalArgumentException("inputUnits must not be null (use InputUnits.UNKNOWN)");
    }
    long params = NetworkPlan.of(family, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage,
        kernel, stemStride, stageStride, classes, seReduction, projectionShortcut).parameterCount();
    if (params > MAX_PARAMETERS) {
      throw new IllegalArgumentException("architecture has " + params + " parameters, more than the limit "
          + MAX_PARAMETERS);
    }
  }

  /** An architecture whose input units are unknown. */
  public Architecture(Family family, int dimensions, int inputChannels, int inputHeight, int inputWidth,
                      List<Integer> widths, List<Integer> unitsPerStage, int kernel, int stemStride, int stageStride,
                      int classes, List<String> classNames, List<Float> inputMean, List<Float> inputStd,
                      int seReduction, boolean projectionShortcut) {
    this(family, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage, kernel, stemStride,
        stageStride, classes, classNames, inputMean, inputStd, seReduction, projectionShortcut, InputUnits.UNKNOWN);
  }

  // ---- the paper's networks and other presets ----

  /**
   * The paper's network (Table II) for 1-D signals 1×length: stem Conv(4, k=3, stride 2), stages
   * of widths 4, 8, 16 with four units each (the first strided), BN → ReLU → GAP → FC.
   */
  public static Architecture paper(Family family, int length, int classes) {
    return new Architecture(family, 1, 1, 1, length, List.of(4, 8, 16), List.of(4, 4, 4), 3, 2, 2, classes,
        defaultNames(classes), List.of(0f), List.of(1f), 4, false);
  }

  /** A small CIFAR-style 2-D network: 3×32×32 input, stem stride 1, widths 16, 32, 64, two units each. */
  public static Architecture cifar(Family family, int classes) {
    return new Architecture(family, 2, 3, 32, 32, List.of(16, 32, 64), List.of(2, 2, 2), 3, 1, 2, classes,
        defaultNames(classes), List.of(0f, 0f, 0f), List.of(1f, 1f, 1f), 4, false);
  }

  /** Class names "0", "1", …. */
  public static List<String> defaultNames(int classes) {
    range("classes", classes, 1, MAX_CLASSES);
    List<String> names = new ArrayList<>(classes);
    for (int i = 0; i < classes; i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }

  public Architecture withFamily(Family f) {
    return new Architecture(f, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage, kernel,
        stemStride, stageStride, classes, classNames, inputMean, inputStd, seReduction, projectionShortcut,
        inputUnits);
  }

  public Architecture withClassNames(List<String> names) {
    return new Architecture(family, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage,
        kernel, stemStride, stageStride, names.size(), names, inputMean, inputStd, seReduction,
        projectionShortcut, inputUnits);
  }

  public Architecture withNormalization(List<Float> mean, List<Float> std) {
    return new Architecture(family, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage,
        kernel, stemStride, stageStride, classes, classNames, mean, std, seReduction, projectionShortcut,
        inputUnits);
  }

  public Architecture withProjectionShortcut(boolean projection) {
    return new Architecture(family, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage,
        kernel, stemStride, stageStride, classes, classNames, inputMean, inputStd, seReduction, projection,
        inputUnits);
  }

  public Architecture withInputUnits(InputUnits units) {
    return new Architecture(family, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage,
        kernel, stemStride, stageStride, classes, classNames, inputMean, inputStd, seReduction, projectionShortcut,
        units);
  }

  // ---- derived geometry ----

  /** Elements of one input sample: channels·height·width. */
  public int inputSize() {
    return inputChannels * inputHeight * inputWidth;
  }

  /** Total number of units across all stages. */
  public int unitCount() {
    int n = 0;
    for (int u : unitsPerStage) {
      n += u;
    }
    return n;
  }

  /**
   * The network this architecture defines, unit by unit, with every parameter tensor: the one
   * description that networks, checkpoints, summaries and exporters walk.
   */
  public NetworkPlan plan() {
    return NetworkPlan.of(family, dimensions, inputChannels, inputHeight, inputWidth, widths, unitsPerStage, kernel,
        stemStride, stageStride, classes, seReduction, projectionShortcut);
  }

  /** Number of trainable parameters (running statistics not counted). */
  public long parameterCount() {
    return plan().parameterCount();
  }

  /**
   * The parameter layout, in checkpoint order, with PyTorch names: {@code stem.*},
   * {@code units.<i>.{bn1, conv1, bn2, conv2}.*}, for SE and shrinkage units {@code units.<i>.fc1.*},
   * {@code units.<i>.bnf.*} (shrinkage only), {@code units.<i>.fc2.*}, projection shortcuts
   * {@code units.<i>.shortcut.*}, then {@code bn.*} and {@code fc.*}. Conv weights are
   * [out, in, k] (1-D) or [out, in, k, k] (2-D); FC weights [out, in]. The tensors of {@link #plan()}.
   */
  public List<TensorSpec> layout() {
    return plan().tensors();
  }

  // ---- checkpoint metadata (safetensors __metadata__ holds string values only) ----

  static final String FORMAT = "drsn_format";
  static final String FORMAT_VERSION = "1";

  /** The architecture as string key/values, for a checkpoint's {@code __metadata__}. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FORMAT, FORMAT_VERSION);
    m.put("family", family.id());
    m.put("dimensions", Integer.toString(dimensions));
    m.put("input_channels", Integer.toString(inputChannels));
    m.put("input_height", Integer.toString(inputHeight));
    m.put("input_width", Integer.toString(inputWidth));
    m.put("widths", Json.write(widths, Json.Format.STRICT));
    m.put("units_per_stage", Json.write(unitsPerStage, Json.Format.STRICT));
    m.put("kernel", Integer.toString(kernel));
    m.put("stem_stride", Integer.toString(stemStride));
    m.put("stage_stride", Integer.toString(stageStride));
    m.put("classes", Integer.toString(classes));
    m.put("class_names", Json.write(classNames, Json.Format.STRICT));
    // Float.toString round-trips exactly through Float.parseFloat.
    m.put("input_mean", Json.write(inputMean.stream().map(f -> Float.toString(f)).toList(), Json.Format.STRICT));
    m.put("input_std", Json.write(inputStd.stream().map(f -> Float.toString(f)).toList(), Json.Format.STRICT));
    m.put("se_reduction", Integer.toString(seReduction));
    m.put("projection_shortcut", Boolean.toString(projectionShortcut));
    // Written only when known: unknown units are the absence of the keys.
    if (inputUnits.rateKnown()) {
      m.put("sample_rate", Double.toString(inputUnits.sampleRate()));
    }
    if (inputUnits.scaleKnown()) {
      m.put("input_scale", inputUnits.scale());
    }
    return m;
  }

  /** Rebuilds an architecture from {@link #toMetadata()}; anything missing or malformed is an error. */
  public static Architecture fromMetadata(Map<String, String> m) {
    String version = required(m, FORMAT);
    if (!FORMAT_VERSION.equals(version)) {
      throw new IllegalArgumentException("unsupported " + FORMAT + " '" + version + "', expected "
          + FORMAT_VERSION);
    }
    int classes = intValue(m, "classes");
    return new Architecture(
        Family.fromId(required(m, "family")),
        intValue(m, "dimensions"),
        intValue(m, "input_channels"),
        intValue(m, "input_height"),
        intValue(m, "input_width"),
        intList(m, "widths"),
        intList(m, "units_per_stage"),
        intValue(m, "kernel"),
        intValue(m, "stem_stride"),
        intValue(m, "stage_stride"),
        classes,
        stringList(m, "class_names", MAX_CLASSES),
        floatList(m, "input_mean"),
        floatList(m, "input_std"),
        intValue(m, "se_reduction"),
        boolValue(m, "projection_shortcut"),
        inputUnits(m));
  }

  /** Optional: {@link #toMetadata()} writes each key only when it is known. */
  private static InputUnits inputUnits(Map<String, String> m) {
    double rate = 0;
    String r = m.get("sample_rate");
    if (r != null) {
      try {
        rate = Double.parseDouble(r);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("metadata 'sample_rate' must be a number, got '" + r + "'");
      }
      if (!(rate > 0)) {
        throw new IllegalArgumentException("metadata 'sample_rate' must be > 0 Hz, got '" + r + "'");
      }
    }
    return new InputUnits(rate, m.getOrDefault("input_scale", ""));
  }

  private static String required(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("metadata lacks '" + key + "'");
    }
    return v;
  }

  private static int intValue(Map<String, String> m, String key) {
    String v = required(m, key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metadata '" + key + "' must be an integer, got '" + ClassNames.excerpt(v) + "'");
    }
  }

  private static boolean boolValue(Map<String, String> m, String key) {
    String v = required(m, key);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("metadata '" + key + "' must be true or false, got '" + ClassNames.excerpt(v) + "'");
    };
  }

  private static float floatValue(String key, String v) {
    try {
      float f = Float.parseFloat(v);
      if (!Float.isFinite(f)) {
        throw new NumberFormatException();
      }
      return f;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metadata '" + key + "' must hold finite numbers, got '" + ClassNames.excerpt(v) + "'");
    }
  }

  private static List<Object> list(Map<String, String> m, String key, int max) {
    String v = required(m, key);
    Object parsed;
    try {
      parsed = Json.parse(v, 2);
    } catch (Json.JsonException e) {
      throw new IllegalArgumentException("metadata '" + key + "' must be a JSON array: " + e.getMessage());
    }
    if (!(parsed instanceof List<?> l) || l.size() > max) {
      throw new IllegalArgumentException("metadata '" + key + "' must be a JSON array of at most " + max
          + " elements");
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) l;
    return list;
  }

  private static List<Integer> intList(Map<String, String> m, String key) {
    List<Integer> out = new ArrayList<>();
    for (Object o : list(m, key, MAX_STAGES)) {
      if (!(o instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("metadata '" + key + "' must hold positive integers, got " + o);
      }
      out.add(l.intValue());
    }
    return out;
  }

  private static List<String> stringList(Map<String, String> m, String key, int max) {
    List<String> out = new ArrayList<>();
    for (Object o : list(m, key, max)) {
      if (!(o instanceof String str)) {
        throw new IllegalArgumentException("metadata '" + key + "' must hold strings, got " + o);
      }
      out.add(str);
    }
    return out;
  }

  private static List<Float> floatList(Map<String, String> m, String key) {
    List<Float> out = new ArrayList<>();
    for (String v : stringList(m, key, MAX_CHANNELS)) {
      out.add(floatValue(key, v));
    }
    return List.copyOf(out);
  }

  private static void range(String name, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
    }
  }
}
