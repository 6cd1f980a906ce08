package drsn.data;

import java.util.random.RandomGenerator;

/**
 * Rotates every row (the last axis) of an example by one random amount in
 * [−maxShift, maxShift], the same for all rows so channels stay aligned. Models an unknown
 * phase of a periodic signal; the shape is unchanged.
 */
public final class CircularShift implements Augmentation {

  private final int maxShift;

  public CircularShift(int maxShift) {
    this.maxShift = Args.nonNegative("maximum shift", maxShift);
  }

  @Override
  public void apply(float[] src, int srcOffset, float[] dst, int dstOffset, int[] inputShape, RandomGenerator rng) {
    int size = Args.elementCount("example shape", inputShape);
    int row = inputShape[inputShape.length - 1];
    int m = Math.min(maxShift, row - 1);
    int shift = m == 0 ? 0 : rng.nextInt(-m, m + 1);
    int s = Math.floorMod(shift, row);
    // dst[t] = src[(t - s) mod row]: the first row - s values move right by s.
    for (int r = 0; r < size; r += row) {
      System.arraycopy(src, srcOffset + r, dst, dstOffset + r + s, row - s);
      System.arraycopy(src, srcOffset + r + row - s, dst, dstOffset + r, s);
    }
  }
}
