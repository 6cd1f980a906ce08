package drsn.data;

import java.util.Arrays;

/**
 * Serves a dataset in batches, epoch after epoch, into caller-owned {@link Batch} buffers without
 * allocating per batch. With shuffling, epoch {@code e} uses a permutation determined by
 * (seed, e); every example appears exactly once per epoch (unless {@code dropLast} drops the short
 * final batch). An optional {@link Augmentation} transforms each example as it is copied, with a
 * generator seeded from (seed, epoch, position), so results do not depend on the batch size.
 * Not thread-safe: one batcher per training loop.
 */
public final class Batcher {

  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final Augmentation augmentation;
  private final boolean dropLast;
  private final int[] outShape;
  private final int[] inShape;
  private final int[] order;
  private final SeededRandom rng = new SeededRandom(0);
  private int epoch = -1;
  private int position;

  private Batcher(Builder b) {
    this.dataset = b.dataset;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.augmentation = b.augmentation;
    this.dropLast = b.dropLast;
    this.inShape = dataset.exampleShape();
    this.outShape = augmentation == null ? inShape.clone() : augmentation.outputShape(inShape);
    Args.elementCount("augmented example shape", outShape);
    this.order = Dataset.identity(dataset.size());
    startEpoch(0);
  }

  public static Builder over(Dataset dataset) {
    return new Builder(dataset);
  }

  /** A batch buffer of the right capacity and (augmented) example shape. */
  public Batch newBatch() {
    return new Batch(batchSize, outShape);
  }

  /** Shape of the examples this batcher produces (after augmentation). */
  public int[] exampleShape() {
    return outShape.clone();
  }

  public int batchSize() {
    return batchSize;
  }

  /** Number of batches {@link #next} yields per epoch. */
  public int batchesPerEpoch() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** Restarts at the beginning of epoch {@code e} (0-based); the order depends only on seed and e. */
  public void startEpoch(int e) {
    Args.nonNegative("epoch", e);
    epoch = e;
    position = 0;
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      Dataset.shuffle(order, order.length, rng.reseed(SeededRandom.mix(seed, e)));
    }
  }

  /** The epoch currently being served. */
  public int epoch() {
    return epoch;
  }

  /**
   * Fills {@code into} with the next batch of the current epoch and returns true, or returns false
   * when the epoch is exhausted (call {@link #startEpoch} for the next one).
   */
  public boolean next(Batch into) {
    Args.notNull("batch", into);
    if (into.capacity() < batchSize || !into.hasShape(outShape)) {
      throw new IllegalArgumentException("batch buffer must hold " + batchSize + " examples of "
          + Arrays.toString(outShape) + ", got capacity " + into.capacity() + " of "
          + Arrays.toString(into.exampleShape()));
    }
    int n = order.length;
    int remaining = n - position;
    if (remaining <= 0 || (dropLast && remaining < batchSize)) {
      into.setSize(0);
      return false;
    }
    int count = Math.min(batchSize, remaining);
    float[] src = dataset.rawData();
    int[] labels = dataset.rawLabels();
    int inSize = dataset.exampleSize();
    int outSize = into.exampleSize();
    float[] dst = into.inputs();
    for (int k = 0; k < count; k++) {
      int i = order[position + k];
      if (augmentation == null) {
        System.arraycopy(src, i * inSize, dst, k * outSize, inSize);
      } else {
        rng.reseed(SeededRandom.mix(seed ^ 0xA06L, epoch, position + k));
        augmentation.apply(src, i * inSize, dst, k * outSize, inShape, rng);
      }
      into.labels()[k] = labels[i];
      into.indices()[k] = i;
    }
    position += count;
    into.setSize(count);
    return true;
  }

  /** Options for a {@link Batcher}. */
  public static final class Builder {
    private final Dataset dataset;
    private int batchSize = 32;
    private boolean shuffle;
    private long seed;
    private Augmentation augmentation;
    private boolean dropLast;

    private Builder(Dataset dataset) {
      this.dataset = Args.notNull("dataset", dataset);
    }

    public Builder batchSize(int n) {
      this.batchSize = Args.positive("batch size", n);
      return this;
    }

    /** Shuffle every epoch with a permutation determined by {@code seed} and the epoch number. */
    public Builder shuffle(long seed) {
      this.shuffle = true;
      this.seed = seed;
      return this;
    }

    /** Seed for the augmentation's randomness when not shuffling. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder augmentation(Augmentation a) {
      this.augmentation = a;
      return this;
    }

    /** Drop the last batch of an epoch if it is short. */
    public Builder dropLast(boolean drop) {
      this.dropLast = drop;
      return this;
    }

    public Batcher build() {
      if (dataset.size() == 0) {
        throw new IllegalArgumentException("cannot batch an empty dataset");
      }
      return new Batcher(this);
    }
  }
}
