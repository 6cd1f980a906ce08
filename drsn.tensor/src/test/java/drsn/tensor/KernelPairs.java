package drsn.tensor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.generators.SourceDSL.arrays;
import static org.quicktheories.generators.SourceDSL.floats;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Shared helpers for tests that compare the SIMD kernels with their scalar twins. */
final class KernelPairs {

  private KernelPairs() {
  }

  static KernelProvider scalar() {
    return KernelProvider.scalar();
  }

  /** The SIMD provider; skips the calling test in the run without the Vector API. */
  static KernelProvider simd() {
    assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    return KernelProvider.simd().get();
  }

  /**
   * Float lanes of the SIMD kernels, read from the provider name ("simd-512" → 16) so that these
   * tests never touch jdk.incubator.vector themselves; 16 (the widest) without SIMD.
   */
  static int lanes() {
    return KernelProvider.simd().map(p -> Integer.parseInt(p.name().substring("simd-".length())) / 32)
        .orElse(16);
  }

  /** Every length 0..3·lanes+1, then a few longer ones with awkward tails. */
  static int[] lengths() {
    int max = 3 * lanes() + 1;
    return IntStream.concat(IntStream.rangeClosed(0, max), IntStream.of(63, 64, 65, 127, 257, 1000, 4099))
        .distinct().toArray();
  }

  /** Gaussian floats of the given scale. */
  static float[] gaussian(SplittableRandom r, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * scale);
    }
    return a;
  }

  /** A random span of {@code len} values at a random offset inside a larger array (padding is NaN). */
  record Span(float[] array, int off, int len) {
    float get(int i) {
      return array[off + i];
    }

    float[] copyOfRange() {
      return Arrays.copyOfRange(array, off, off + len);
    }
  }

  static Span span(SplittableRandom r, int len, double scale) {
    int off = r.nextInt(0, 2 * 16 + 1);
    float[] a = new float[off + len + r.nextInt(0, 8)];
    Arrays.fill(a, Float.NaN);
    for (int i = 0; i < len; i++) {
      a[off + i] = (float) (r.nextGaussian() * scale);
    }
    return new Span(a, off, len);
  }

  /** An output span of the given length at a random offset, prefilled with a sentinel to detect stray writes. */
  static Span out(SplittableRandom r, int len) {
    int off = r.nextInt(0, 2 * 16 + 1);
    float[] a = new float[off + len + r.nextInt(0, 8)];
    Arrays.fill(a, 12345f);
    return new Span(a, off, len);
  }

  /** The elements of {@code s}'s array outside its span still hold the sentinel of {@link #out}. */
  static boolean untouchedOutside(Span s) {
    for (int i = 0; i < s.array().length; i++) {
      if ((i < s.off() || i >= s.off() + s.len()) && s.array()[i] != 12345f) {
        return false;
      }
    }
    return true;
  }

  /** Mostly ordinary floats, sometimes extreme or special ones (zeros of both signs, infinities, NaN, subnormals). */
  static Gen<Float> interestingFloats() {
    Gen<Float> special = Generate.pick(List.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f));
    return Generate.frequency(
        org.quicktheories.api.Pair.of(6, floats().between(-10f, 10f)),
        org.quicktheories.api.Pair.of(2, floats().any()),
        org.quicktheories.api.Pair.of(1, special));
  }

  /** Arrays of {@code elements} with length in [min, max]. */
  static Gen<float[]> floatArrays(Gen<Float> elements, int min, int max) {
    return arrays().ofClass(elements, Float.class).withLengthBetween(min, max).map(KernelPairs::unbox);
  }

  static float[] unbox(Float[] boxed) {
    float[] a = new float[boxed.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = boxed[i];
    }
    return a;
  }

  /** Equal as float bit patterns, with every NaN treated as one (floatToIntBits canonicalises NaN). */
  static boolean sameBits(float a, float b) {
    return Float.floatToIntBits(a) == Float.floatToIntBits(b);
  }

  /** Units in the last place between two finite floats of the same sign, or 0 when both are the same NaN/infinity. */
  static long ulpDistance(float a, float b) {
    if (sameBits(a, b) || a == b) {
      return 0;
    }
    if (Float.isNaN(a) || Float.isNaN(b) || Float.isInfinite(a) || Float.isInfinite(b)) {
      return Long.MAX_VALUE;
    }
    long ia = ordered(a);
    long ib = ordered(b);
    return Math.abs(ia - ib);
  }

  private static long ordered(float f) {
    int bits = Float.floatToIntBits(f);
    return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
  }
}
