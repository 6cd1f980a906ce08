package drsn.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The parameters of a network in two flat arrays, so that optimisers can update everything in
 * one loop and kernels can address each tensor by offset:
 * <ul>
 *   <li>{@link #values()}: every trainable tensor, in {@link Architecture#layout()} order;</li>
 *   <li>{@link #statistics()}: the running means and variances of batch normalisation.</li>
 * </ul>
 * A network's gradients have the same layout as {@link #values()}.
 */
public final class ParameterSet {

  /** Where one named tensor lives: in {@link #values()} or {@link #statistics()}, from offset. */
  public record Slot(TensorSpec spec, int offset, int size) {
  }

  private final List<TensorSpec> specs;
  private final Map<String, Slot> slots;
  private final float[] values;
  private final float[] statistics;

  private ParameterSet(List<TensorSpec> specs, Map<String, Slot> slots, float[] values, float[] statistics) {
    this.specs = specs;
    this.slots = slots;
    this.values = values;
    this.statistics = statistics;
  }

  /** Zero-filled parameters for a layout (running variances start at 1, as in PyTorch). */
  public static ParameterSet allocate(List<TensorSpec> layout) {
    Map<String, Slot> slots = new LinkedHashMap<>();
    long v = 0;
    long s = 0;
    for (TensorSpec spec : layout) {
      long n = spec.elementCount();
      boolean trainable = spec.kind() == TensorSpec.Kind.TRAINABLE;
      long off = trainable ? v : s;
      if (off + n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("parameters exceed the int-indexed array limit at " + spec.name());
      }
      if (slots.put(spec.name(), new Slot(spec, (int) off, (int) n)) != null) {
        throw new IllegalArgumentException("duplicate tensor name " + spec.name());
      }
      if (trainable) {
        v += n;
      } else {
        s += n;
      }
    }
    ParameterSet p = new ParameterSet(List.copyOf(layout), Map.copyOf(slots), new float[(int) v], new float[(int) s]);
    for (Slot slot : slots.values()) {
      if (slot.spec().name().endsWith(".running_var")) {
        Arrays.fill(p.statistics, slot.offset(), slot.offset() + slot.size(), 1f);
      }
    }
    return p;
  }

  /**
   * Fresh parameters for an architecture: He-normal (fan-in) weights for convolutions and fully
   * connected layers, zero biases, batch-norm weight 1 and bias 0, running mean 0 and variance 1.
   * The same seed gives bit-identical parameters.
   */
  public static ParameterSet initialise(Architecture arch, long seed) {
    ParameterSet p = allocate(arch.layout());
    SplittableRandom random = new SplittableRandom(seed);
    for (TensorSpec spec : p.specs) {
      Slot slot = p.slots.get(spec.name());
      String name = spec.name();
      boolean batchNorm = name.startsWith("bn.") || name.matches(".*\\.bn[12f]\\..*");
      if (spec.kind() != TensorSpec.Kind.TRAINABLE) {
        continue;
      }
      if (batchNorm) {
        if (name.endsWith(".weight")) {
          Arrays.fill(p.values, slot.offset(), slot.offset() + slot.size(), 1f);
        }
      } else if (name.endsWith(".weight")) {
        int fanIn = slot.size() / spec.shape().getFirst();
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < slot.size(); i++) {
          p.values[slot.offset() + i] = (float) (random.nextGaussian() * std);
        }
      }
    }
    return p;
  }

  /** The trainable parameters, flat (live array). */
  public float[] values() {
    return values;
  }

  /** The batch-norm running statistics, flat (live array). */
  public float[] statistics() {
    return statistics;
  }

  /** The layout these parameters follow. */
  public List<TensorSpec> specs() {
    return specs;
  }

  /** The slot of a named tensor. */
  public Slot slot(String name) {
    Slot s = slots.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "'");
    }
    return s;
  }

  /** The offset of a named tensor in its array, checking that its shape is the one expected. */
  int offset(String name, List<Integer> expectedShape) {
    Slot slot = slot(name);
    if (!slot.spec().shape().equals(expectedShape)) {
      throw new IllegalArgumentException("tensor " + name + " has shape " + slot.spec().shape() + ", expected "
          + expectedShape);
    }
    return slot.offset();
  }

  /** True if a tensor of that name exists. */
  public boolean contains(String name) {
    return slots.containsKey(name);
  }

  /** The array (values or statistics) a slot lives in. */
  public float[] arrayOf(Slot slot) {
    return slot.spec().kind() == TensorSpec.Kind.TRAINABLE ? values : statistics;
  }

  /** A copy of one named tensor's data. */
  public float[] copyOf(String name) {
    Slot s = slot(name);
    float[] out = new float[s.size()];
    System.arraycopy(arrayOf(s), s.offset(), out, 0, s.size());
    return out;
  }

  /** Number of trainable scalars. */
  public int trainableCount() {
    return values.length;
  }

  /** A deep copy. */
  public ParameterSet copy() {
    return new ParameterSet(specs, slots, values.clone(), statistics.clone());
  }
}
