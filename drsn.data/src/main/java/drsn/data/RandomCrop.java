package drsn.data;

import java.util.random.RandomGenerator;

/**
 * Cuts a random segment of {@code length} values from every row (the last axis) of an example, at
 * one random offset shared by all rows. The output rows are {@code length} long; evaluate on
 * centre crops of the same length ({@link FixedLength}).
 */
public final class RandomCrop implements Augmentation {

  private final int length;

  public RandomCrop(int length) {
    this.length = Args.positive("crop length", length);
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    Args.elementCount("example shape", inputShape);
    int row = inputShape[inputShape.length - 1];
    if (length > row) {
      throw new IllegalArgumentException("crop length " + length + " exceeds the example's last dimension " + row);
    }
    int[] out = inputShape.clone();
    out[out.length - 1] = length;
    return out;
  }

  @Override
  public void apply(float[] src, int srcOffset, float[] dst, int dstOffset, int[] inputShape, RandomGenerator rng) {
    int size = Args.elementCount("example shape", inputShape);
    int row = inputShape[inputShape.length - 1];
    if (length > row) {
      throw new IllegalArgumentException("crop length " + length + " exceeds the example's last dimension " + row);
    }
    int start = rng.nextInt(row - length + 1);
    for (int r = 0, o = 0; r < size; r += row, o += length) {
      System.arraycopy(src, srcOffset + r + start, dst, dstOffset + o, length);
    }
  }
}
