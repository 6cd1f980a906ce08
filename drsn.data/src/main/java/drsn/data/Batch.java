package drsn.data;

import java.util.Arrays;

/**
 * A caller-owned, reusable batch buffer: up to {@link #capacity()} examples of one shape, back to
 * back in {@link #inputs()}, their labels in {@link #labels()} and their dataset indices in
 * {@link #indices()}. {@link Batcher#next} overwrites it; only the first {@link #size()} entries are
 * valid (the last batch of an epoch may be short). The arrays are exposed, not copied, so that
 * training loops can hand them to kernels without allocating.
 */
public final class Batch {

  private final float[] inputs;
  private final int[] labels;
  private final int[] indices;
  private final int[] exampleShape;
  private final int exampleSize;
  private int size;

  /** A buffer for {@code capacity} examples shaped {@code exampleShape}. */
  public Batch(int capacity, int[] exampleShape) {
    Args.positive("batch capacity", capacity);
    this.exampleShape = Args.notNull("exampleShape", exampleShape).clone();
    this.exampleSize = Args.elementCount("example shape", exampleShape);
    this.inputs = new float[Args.arraySize("batch of " + capacity + " examples", capacity, exampleSize)];
    this.labels = new int[capacity];
    this.indices = new int[capacity];
  }

  public int capacity() {
    return labels.length;
  }

  /** Number of valid examples. */
  public int size() {
    return size;
  }

  void setSize(int size) {
    this.size = size;
  }

  /** Values of the examples, row-major, {@code capacity * exampleSize} long; the first {@code size} are valid. */
  public float[] inputs() {
    return inputs;
  }

  public int[] labels() {
    return labels;
  }

  /** Index in the dataset of each example in the batch. */
  public int[] indices() {
    return indices;
  }

  public int[] exampleShape() {
    return exampleShape.clone();
  }

  public int exampleSize() {
    return exampleSize;
  }

  boolean hasShape(int[] shape) {
    return Arrays.equals(exampleShape, shape);
  }
}
