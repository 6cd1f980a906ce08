package drsn.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A random transformation applied to every example of every batch as the {@link Batcher} fills it,
 * so each epoch sees fresh variants (noise, shifts, crops). Implementations must not allocate per
 * call and must draw all randomness from the given generator, which the batcher seeds per example
 * so that runs are reproducible.
 */
public interface Augmentation {

  /** Shape of one output example for an input example of {@code inputShape}; unchanged by default. */
  default int[] outputShape(int[] inputShape) {
    return inputShape.clone();
  }

  /**
   * Writes the transformed example to {@code dst} from {@code dstOffset}, reading the input example
   * (shaped {@code inputShape}) from {@code src} at {@code srcOffset}. The two regions never overlap.
   */
  void apply(float[] src, int srcOffset, float[] dst, int dstOffset, int[] inputShape, RandomGenerator rng);

  /** This augmentation, then {@code next}. The composite keeps one scratch buffer: use it from one thread. */
  default Augmentation andThen(Augmentation next) {
    Args.notNull("next", next);
    Augmentation first = this;
    return new Augmentation() {
      private float[] scratch = new float[0];
      private int[] midShapeFor;
      private int[] midShape;

      @Override
      public int[] outputShape(int[] inputShape) {
        return next.outputShape(first.outputShape(inputShape));
      }

      @Override
      public void apply(float[] src, int srcOffset, float[] dst, int dstOffset, int[] inputShape, RandomGenerator rng) {
        if (midShapeFor == null || !Arrays.equals(midShapeFor, inputShape)) {
          midShapeFor = inputShape.clone();
          midShape = first.outputShape(inputShape);
          int n = Args.elementCount("intermediate shape", midShape);
          if (scratch.length < n) {
            scratch = new float[n];
          }
        }
        first.apply(src, srcOffset, scratch, 0, inputShape, rng);
        next.apply(scratch, 0, dst, dstOffset, midShape, rng);
      }
    };
  }
}
