package drsn.data;

import java.util.random.RandomGenerator;

/**
 * SplitMix64 with a re-seed method, so that hot loops can restart a stream for each example or
 * epoch without allocating. Streams are derived from (seed, index) pairs with {@link #mix}, which
 * makes results independent of processing order and therefore safe to compute in parallel.
 * {@code nextGaussian} and the other derived methods come from {@link RandomGenerator}'s defaults.
 */
final class SeededRandom implements RandomGenerator {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  SeededRandom(long seed) {
    this.state = seed;
  }

  SeededRandom reseed(long seed) {
    this.state = seed;
    return this;
  }

  @Override
  public long nextLong() {
    state += GOLDEN;
    return finalizer(state);
  }

  /** A well-spread seed for stream {@code index} of {@code seed}. */
  static long mix(long seed, long index) {
    return finalizer(finalizer(seed ^ 0x5DEECE66DL) + GOLDEN * (index + 1));
  }

  static long mix(long seed, long a, long b) {
    return mix(mix(seed, a), b);
  }

  private static long finalizer(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
