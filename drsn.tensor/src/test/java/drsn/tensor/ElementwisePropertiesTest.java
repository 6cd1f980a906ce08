package drsn.tensor;

import static drsn.tensor.KernelPairs.floatArrays;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of softmax, cross-entropy, sigmoid and the piecewise-linear backwards, on the kernels
 * this run selected (SIMD in one surefire run, scalar in the other).
 */
class ElementwisePropertiesTest {

  private static final int EXAMPLES = 300;
  private static final Elementwise K = KernelProvider.get().elementwise();
  private static final int MAX_LEN = 3 * KernelPairs.lanes() + 9;

  private static Gen<float[]> rows() {
    return floatArrays(floats().between(-30f, 30f), 1, MAX_LEN);
  }

  /** Each probability in [0, 1] and the row sums to 1 within (len + 8)·2⁻²³. */
  @Test
  void softmaxRowsAreDistributions() {
    qt().withExamples(EXAMPLES).forAll(rows()).check(x -> {
      float[] p = new float[x.length];
      K.softmax(x, 0, p, 0, x.length);
      double s = 0;
      for (float v : p) {
        if (!(v >= 0f && v <= 1f)) {
          return false;
        }
        s += v;
      }
      return Math.abs(s - 1) <= (x.length + 8) * 0x1p-23;
    });
  }

  /**
   * Adding a constant to a row leaves its softmax unchanged. With logits on a 2⁻⁸ grid and an
   * integer shift, x + c and (x + c) − max(x + c) are exact, so the results must be identical.
   */
  @Test
  void softmaxIsInvariantToAddingAConstantPerRow() {
    Gen<float[]> grid = floatArrays(integers().between(-4096, 4096).map(k -> k / 256f), 1, MAX_LEN);
    qt().withExamples(EXAMPLES).forAll(grid, integers().between(-10_000, 10_000)).check((x, c) -> {
      float[] shifted = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        shifted[i] = x[i] + c;
      }
      float[] p = new float[x.length];
      float[] q = new float[x.length];
      double lseX = K.softmax(x, 0, p, 0, x.length);
      double lseShifted = K.softmax(shifted, 0, q, 0, x.length);
      return Arrays.equals(p, q) && Math.abs(lseShifted - (lseX + c)) <= 1e-9 * Math.max(1, Math.abs(lseShifted));
    });
  }

  @Test
  void sigmoidLiesInTheUnitIntervalOpenWhereFloatCanTell() {
    qt().withExamples(EXAMPLES).forAll(floatArrays(floats().between(-200f, 200f), 0, MAX_LEN)).check(x -> {
      float[] y = new float[x.length];
      K.sigmoid(x, 0, y, 0, x.length);
      for (int i = 0; i < x.length; i++) {
        if (!(y[i] >= 0f && y[i] <= 1f)) {
          return false;
        }
        // 1 − σ(x) ≥ 2⁻²⁴ needs x ≲ 16.6; σ(x) > 0 needs exp(−x) finite, x ≳ −88.7.
        if (Math.abs(x[i]) < 15f && !(y[i] > 0f && y[i] < 1f)) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * sigmoidBackward(σ(x), dy) against central finite differences of the sigmoid kernel itself,
   * h = 2⁻⁸: truncation error ≤ h²/6·max|σ'''| ≈ 2.5e-7 and rounding ≤ 2⁻²⁴/h·|dy| ≈ 1.5e-5·|dy|;
   * tolerance 1e-4·|dy|.
   */
  @Test
  void sigmoidBackwardMatchesFiniteDifferences() {
    qt().withExamples(EXAMPLES).forAll(floats().between(-12f, 12f), floats().between(-3f, 3f)).check((x, dy) -> {
      float h = 0x1p-8f;
      float[] in = {x, x + h, x - h};
      float[] y = new float[3];
      K.sigmoid(in, 0, y, 0, 3);
      float[] dx = new float[1];
      K.sigmoidBackward(y, 0, new float[] {dy}, 0, dx, 0, 1);
      double fd = dy * ((double) y[1] - y[2]) / ((double) in[1] - in[2]);
      return Math.abs(fd - dx[0]) <= 1e-4 * Math.max(1, Math.abs(dy));
    });
  }

  /** Away from the kink at 0, ReLU's and abs's backwards equal finite differences of their forwards (exactly). */
  @Test
  void reluAndAbsBackwardsMatchFiniteDifferencesAwayFromZero() {
    qt().withExamples(EXAMPLES).forAll(floats().between(-50f, 50f), floats().between(-3f, 3f)).check((x, dy) -> {
      float h = 0x1p-10f;
      if (Math.abs(x) <= 2 * h) {
        return true;
      }
      float[] in = {x - h, x + h};
      float[] out = new float[2];
      float[] dx = new float[1];
      K.relu(in, 0, out, 0, 2);
      double fdRelu = ((double) out[1] - out[0]) / ((double) in[1] - in[0]);
      K.reluBackward(new float[] {x}, 0, new float[] {1f}, 0, dx, 0, 1);
      boolean relu = dx[0] == fdRelu;
      K.abs(in, 0, out, 0, 2);
      double fdAbs = ((double) out[1] - out[0]) / ((double) in[1] - in[0]);
      K.absBackward(new float[] {x}, 0, new float[] {dy}, 0, dx, 0, 1);
      return relu && dx[0] == (float) (fdAbs * dy);
    });
  }

  /**
   * The fused inference batch norm + ReLU is exactly affine then ReLU, in place or not, and the
   * SIMD kernel gives the scalar twin's bits for every length up to three vectors plus a tail
   * (with NaN, infinities, ±0 and subnormals among the values and the scale and shift).
   */
  @Test
  void affineReluIsAffineThenReluBitForBitAndSimdMatchesScalar() {
    Elementwise scalar = KernelProvider.scalar().elementwise();
    Elementwise simd = KernelProvider.simd().map(KernelProvider::elementwise).orElse(scalar);
    qt().withExamples(EXAMPLES).forAll(floatArrays(KernelPairs.interestingFloats(), 0, MAX_LEN),
        KernelPairs.interestingFloats(), KernelPairs.interestingFloats()).check((x, s, t) -> {
          float[] twoPasses = new float[x.length];
          K.affine(x, 0, s, t, twoPasses, 0, x.length);
          K.relu(twoPasses, 0, twoPasses, 0, x.length);
          float[] fused = new float[x.length];
          K.affineRelu(x, 0, s, t, fused, 0, x.length);
          float[] inPlace = x.clone();
          K.affineRelu(inPlace, 0, s, t, inPlace, 0, x.length);
          float[] viaScalar = new float[x.length];
          scalar.affineRelu(x, 0, s, t, viaScalar, 0, x.length);
          float[] viaSimd = new float[x.length];
          simd.affineRelu(x, 0, s, t, viaSimd, 0, x.length);
          for (int i = 0; i < x.length; i++) {
            if (!KernelPairs.sameBits(fused[i], twoPasses[i]) || !KernelPairs.sameBits(inPlace[i], fused[i])
                || !KernelPairs.sameBits(viaSimd[i], viaScalar[i])) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * The per-element affine (batch norm over one position per channel) is bit for bit one
   * {@link Elementwise#affine} / {@link Elementwise#affineRelu} call per element, the calls it
   * replaces, in place or not, and the SIMD kernel gives the scalar twin's bits for every length up
   * to three vectors plus a tail (NaN, infinities, ±0 and subnormals among values, scales, shifts).
   */
  @Test
  void affinePerElementIsOneAffineCallPerElementAndSimdMatchesScalar() {
    Elementwise scalar = KernelProvider.scalar().elementwise();
    Elementwise simd = KernelProvider.simd().map(KernelProvider::elementwise).orElse(scalar);
    Gen<float[]> values = floatArrays(KernelPairs.interestingFloats(), 0, MAX_LEN);
    qt().withExamples(EXAMPLES).forAll(values, values, values, integers().between(0, 1)).check((x, s, t, r) -> {
      boolean relu = r == 1;
      int len = Math.min(x.length, Math.min(s.length, t.length));
      float[] perCall = new float[len];
      for (int i = 0; i < len; i++) {
        if (relu) {
          K.affineRelu(x, i, s[i], t[i], perCall, i, 1);
        } else {
          K.affine(x, i, s[i], t[i], perCall, i, 1);
        }
      }
      float[] once = new float[len];
      K.affinePerElement(x, 0, s, 0, t, 0, once, 0, len, relu);
      float[] inPlace = Arrays.copyOf(x, len);
      K.affinePerElement(inPlace, 0, s, 0, t, 0, inPlace, 0, len, relu);
      float[] viaScalar = new float[len];
      scalar.affinePerElement(x, 0, s, 0, t, 0, viaScalar, 0, len, relu);
      float[] viaSimd = new float[len];
      simd.affinePerElement(x, 0, s, 0, t, 0, viaSimd, 0, len, relu);
      for (int i = 0; i < len; i++) {
        if (!KernelPairs.sameBits(once[i], perCall[i]) || !KernelPairs.sameBits(inPlace[i], once[i])
            || !KernelPairs.sameBits(viaSimd[i], viaScalar[i])) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * dst += sign(x)·c in one pass is bit for bit absBackward of x over a span filled with c
   * followed by add(span, dst), the two passes it replaces, and the SIMD kernel gives the scalar
   * twin's bits for every length up to three vectors plus a tail (NaN, infinities, ±0 and
   * subnormals among x, dst and c).
   */
  @Test
  void addSignTimesIsAbsBackwardThenAddBitForBitAndSimdMatchesScalar() {
    Elementwise scalar = KernelProvider.scalar().elementwise();
    Elementwise simd = KernelProvider.simd().map(KernelProvider::elementwise).orElse(scalar);
    Gen<float[]> values = floatArrays(KernelPairs.interestingFloats(), 0, MAX_LEN);
    qt().withExamples(EXAMPLES).forAll(values, values, KernelPairs.interestingFloats()).check((x, d, c) -> {
      int len = Math.min(x.length, d.length);
      float[] span = new float[len];
      Arrays.fill(span, c);
      K.absBackward(x, 0, span, 0, span, 0, len);
      float[] twoPasses = Arrays.copyOf(d, len);
      K.add(span, 0, twoPasses, 0, twoPasses, 0, len);
      float[] once = Arrays.copyOf(d, len);
      K.addSignTimes(x, 0, c, once, 0, len);
      float[] viaScalar = Arrays.copyOf(d, len);
      scalar.addSignTimes(x, 0, c, viaScalar, 0, len);
      float[] viaSimd = Arrays.copyOf(d, len);
      simd.addSignTimes(x, 0, c, viaSimd, 0, len);
      for (int i = 0; i < len; i++) {
        if (!KernelPairs.sameBits(once[i], twoPasses[i]) || !KernelPairs.sameBits(viaSimd[i], viaScalar[i])) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * spread puts src[j] at j·stride and +0 everywhere else in its dst span, touching nothing outside
   * it, for every length up to three vectors plus a tail, strides 1–3 and 0–2 floats of slack at
   * the end (odd and even dst lengths), on the scalar and the SIMD kernels (NaN, ±0 copied as bits).
   */
  @Test
  void spreadPlacesEveryStrideThElementAndZerosBetween() {
    Elementwise scalar = KernelProvider.scalar().elementwise();
    Elementwise simd = KernelProvider.simd().map(KernelProvider::elementwise).orElse(scalar);
    qt().withExamples(EXAMPLES).forAll(floatArrays(KernelPairs.interestingFloats(), 0, MAX_LEN),
        integers().between(1, 3), integers().between(0, 2)).check((src, stride, slack) -> {
          int len = src.length;
          int dstLen = (len == 0 ? 0 : (len - 1) * stride + 1) + slack;
          for (Elementwise k : new Elementwise[] {scalar, simd}) {
            float[] dst = new float[dstLen + 2];
            Arrays.fill(dst, Float.NaN);
            k.spread(src, 0, len, stride, dst, 1, dstLen);
            if (!Float.isNaN(dst[0]) || !Float.isNaN(dst[dstLen + 1])) {
              return false;
            }
            for (int i = 0; i < dstLen; i++) {
              float want = i % stride == 0 && i / stride < len ? src[i / stride] : 0f;
              if (!KernelPairs.sameBits(want, dst[1 + i])) {
                return false;
              }
            }
          }
          return true;
        });
  }

  @Test
  void spreadRejectsADestinationTooShort() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> K.spread(new float[4], 0, 4, 2, new float[7], 0, 6));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> K.spread(new float[4], 0, 4, 0, new float[8], 0, 8));
  }
}
