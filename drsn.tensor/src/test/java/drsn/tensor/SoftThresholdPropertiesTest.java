package drsn.tensor;

import static drsn.tensor.KernelPairs.floatArrays;
import static drsn.tensor.KernelPairs.interestingFloats;
import static drsn.tensor.KernelPairs.sameBits;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of soft thresholding y = sign(x)·max(|x| − τ, 0), checked with QuickTheories on the
 * kernel this run selected (SIMD in one surefire run, scalar in the other) and, where present, on
 * both. Arrays span 0..3·lanes+9 elements so that vector bodies and scalar tails are both hit.
 */
class SoftThresholdPropertiesTest {

  private static final int EXAMPLES = 300;
  private static final SoftThreshold K = KernelProvider.get().softThreshold();

  private static Gen<float[]> xs() {
    return floatArrays(interestingFloats(), 0, 3 * KernelPairs.lanes() + 9);
  }

  private static Gen<Float> taus() {
    Gen<Float> special = Generate.pick(List.of(0f, Float.MIN_VALUE, 1e-30f, Float.POSITIVE_INFINITY, 1e30f));
    return Generate.frequency(Pair.of(8, floats().between(0f, 5f)), Pair.of(1, special));
  }

  private static float[] forward(SoftThreshold k, float[] x, float tau) {
    float[] y = new float[x.length];
    k.forward(x, 0, y, 0, x.length, tau);
    return y;
  }

  @Test
  void outputIsExactlyPositiveZeroWhereTheInputIsWithinTheThreshold() {
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] y = forward(K, x, tau);
      for (int i = 0; i < x.length; i++) {
        if (Math.abs(x[i]) <= tau && Float.floatToRawIntBits(y[i]) != 0) {
          return false;
        }
      }
      return true;
    });
  }

  /** |y| ≤ |x| exactly; |x − y| ≤ τ up to the one rounding of x − τ (half an ulp of x). */
  @Test
  void outputShrinksTowardsZeroByAtMostTau() {
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] y = forward(K, x, tau);
      for (int i = 0; i < x.length; i++) {
        if (Float.isNaN(x[i])) {
          continue;
        }
        if (!(Math.abs(y[i]) <= Math.abs(x[i]))) {
          return false;
        }
        if (Float.isFinite(x[i]) && !(Math.abs((double) x[i] - y[i]) <= tau + Math.ulp(x[i]) / 2.0)) {
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void outputHasTheSignOfTheInputOrIsZero() {
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] y = forward(K, x, tau);
      for (int i = 0; i < x.length; i++) {
        if (Float.isNaN(x[i]) != Float.isNaN(y[i])) {
          return false;
        }
        if (!Float.isNaN(x[i]) && y[i] != 0f && Math.signum(y[i]) != Math.signum(x[i])) {
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void isOdd() {
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] neg = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        neg[i] = -x[i];
      }
      float[] y = forward(K, x, tau);
      float[] yNeg = forward(K, neg, tau);
      for (int i = 0; i < x.length; i++) {
        if (!(yNeg[i] == -y[i] || Float.isNaN(y[i]) && Float.isNaN(yNeg[i]))) {
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void isNonDecreasing() {
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] sorted = sortedNonNan(x);
      float[] y = forward(K, sorted, tau);
      for (int i = 1; i < y.length; i++) {
        if (!(y[i - 1] <= y[i])) {
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void zeroThresholdIsTheIdentity() {
    qt().withExamples(EXAMPLES).forAll(xs()).check(x -> {
      float[] y = forward(K, x, 0f);
      for (int i = 0; i < x.length; i++) {
        if (!(y[i] == x[i] || Float.isNaN(x[i]) && Float.isNaN(y[i]))) {
          return false;
        }
      }
      return true;
    });
  }

  /** With dy = 1 everywhere, dx is ∂y/∂x itself: 0 or 1, and 1 exactly where |x| > τ. */
  @Test
  void derivativeInXIsAnIndicatorOfTheKeptPositions() {
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] ones = new float[x.length];
      Arrays.fill(ones, 1f);
      float[] dx = new float[x.length];
      K.backward(x, 0, ones, 0, dx, 0, x.length, tau);
      for (int i = 0; i < x.length; i++) {
        float want = Math.abs(x[i]) > tau ? 1f : 0f;
        if (Float.floatToRawIntBits(dx[i]) != Float.floatToRawIntBits(want)) {
          return false;
        }
      }
      return true;
    });
  }

  /** With dy the i-th unit vector, the returned ∂L/∂τ is ∂y_i/∂τ: −sign(x_i) where |x_i| > τ, else 0. */
  @Test
  void derivativeInTauIsMinusSignOrZeroPerElement() {
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] dy = new float[x.length];
      float[] dx = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        Arrays.fill(dy, 0f);
        dy[i] = 1f;
        float d = K.backward(x, 0, dy, 0, dx, 0, x.length, tau);
        float want = Math.abs(x[i]) > tau ? -Math.signum(x[i]) : 0f;
        if (!(d == -1f || d == 0f || d == 1f) || d != want) {
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void simdAndScalarAgreeBitForBit() {
    SoftThreshold simd = KernelPairs.simd().softThreshold();
    SoftThreshold scalar = KernelPairs.scalar().softThreshold();
    qt().withExamples(EXAMPLES).forAll(xs(), taus()).check((x, tau) -> {
      float[] a = forward(simd, x, tau);
      float[] b = forward(scalar, x, tau);
      float[] ones = new float[x.length];
      Arrays.fill(ones, 1f);
      float[] da = new float[x.length];
      float[] db = new float[x.length];
      simd.backward(x, 0, ones, 0, da, 0, x.length, tau);
      scalar.backward(x, 0, ones, 0, db, 0, x.length, tau);
      for (int i = 0; i < x.length; i++) {
        if (!sameBits(a[i], b[i]) || !sameBits(da[i], db[i])) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * forwardAdd is forward then the residual add of a strided run, bit for bit, in place or not,
   * and the SIMD kernel gives the scalar twin's bits: every length from 0 to three vectors plus a
   * tail, strides 1–3, with the strided run ending exactly at the end of its array (the stride-2
   * vector loop must not read past it) or not, NaN, ±0, infinities and subnormals among values and
   * a NaN τ among thresholds.
   */
  @Test
  void forwardAddIsForwardThenAddAndSimdMatchesScalar() {
    SoftThreshold scalar = KernelPairs.scalar().softThreshold();
    SoftThreshold simd = KernelProvider.simd().map(KernelProvider::softThreshold).orElse(scalar);
    int maxLen = 3 * KernelPairs.lanes() + 9;
    Gen<Float> tausWithNaN = Generate.frequency(Pair.of(9, taus()), Pair.of(1, Generate.constant(Float.NaN)));
    Gen<float[]> full = floatArrays(interestingFloats(), maxLen, maxLen);
    Gen<float[]> shortcuts = floatArrays(interestingFloats(), 3 * maxLen + 2, 3 * maxLen + 2);
    qt().withExamples(EXAMPLES / 3).forAll(full, shortcuts, tausWithNaN, integers().between(1, 3))
        .check((x, a, tau, stride) -> {
          for (int len = 0; len <= maxLen; len++) {
            // a's run either ends at the array's last element or has spare elements after it
            int aOff = len % 2 == 0 ? 1 : Math.max(0, a.length - ((len - 1) * stride + 1));
            float[] unfused = new float[len];
            K.forward(x, 0, unfused, 0, len, tau);
            for (int i = 0; i < len; i++) {
              unfused[i] += a[aOff + i * stride];
            }
            float[] fused = new float[len];
            K.forwardAdd(x, 0, a, aOff, stride, fused, 0, len, tau);
            float[] inPlace = Arrays.copyOf(x, len);
            K.forwardAdd(inPlace, 0, a, aOff, stride, inPlace, 0, len, tau);
            float[] viaScalar = new float[len];
            scalar.forwardAdd(x, 0, a, aOff, stride, viaScalar, 0, len, tau);
            float[] viaSimd = new float[len];
            simd.forwardAdd(x, 0, a, aOff, stride, viaSimd, 0, len, tau);
            for (int i = 0; i < len; i++) {
              if (!sameBits(fused[i], unfused[i]) || !sameBits(inPlace[i], fused[i])
                  || !sameBits(viaSimd[i], viaScalar[i])) {
                return false;
              }
            }
          }
          return true;
        });
  }

  /**
   * forwardAddRows is forwardAdd per row, bit for bit, on both providers: 0–5 rows of every length
   * up to two vectors and a tail, a threshold per row or one for all (tauStride 1 or 0, a NaN τ
   * among them), shortcut strides 1–3 and row strides from 0 (every row adding the same run) up.
   */
  @Test
  void forwardAddRowsIsForwardAddPerRow() {
    SoftThreshold scalar = KernelPairs.scalar().softThreshold();
    SoftThreshold simd = KernelProvider.simd().map(KernelProvider::softThreshold).orElse(scalar);
    int maxLen = 2 * KernelPairs.lanes() + 5;
    Gen<Float> tausWithNaN = Generate.frequency(Pair.of(9, taus()), Pair.of(1, Generate.constant(Float.NaN)));
    Gen<float[]> values = floatArrays(interestingFloats(), 5 * maxLen + 1, 5 * maxLen + 1);
    Gen<float[]> shortcuts = floatArrays(interestingFloats(), 20 * maxLen, 20 * maxLen);
    // rows, aRowStride, tauStride, stride
    Gen<int[]> layout = integers().between(0, 5).zip(integers().between(0, 3 * maxLen), integers().between(0, 1),
        integers().between(1, 3), (r, rs, ts, st) -> new int[] {r, rs, ts, st});
    qt().withExamples(EXAMPLES / 3).forAll(values, shortcuts, floatArrays(tausWithNaN, 5, 5), layout)
        .check((x, a, tau, l) -> {
          int rows = l[0];
          int aRowStride = l[1];
          int tauStride = l[2];
          int stride = l[3];
          for (int len = 0; len <= maxLen; len++) {
            int aOff = len % 3;
            if (rows > 0 && len > 0 && aOff + (rows - 1) * aRowStride + (len - 1) * stride >= a.length) {
              continue;
            }
            for (SoftThreshold k : List.of(scalar, simd)) {
              float[] perRow = new float[rows * len];
              for (int r = 0; r < rows; r++) {
                k.forwardAdd(x, 1 + r * len, a, aOff + r * aRowStride, stride, perRow, r * len, len,
                    tau[r * tauStride]);
              }
              float[] together = new float[rows * len];
              k.forwardAddRows(rows, len, x, 1, tau, 0, tauStride, a, aOff, stride, aRowStride, together, 0);
              for (int i = 0; i < perRow.length; i++) {
                if (!sameBits(together[i], perRow[i])) {
                  return false;
                }
              }
            }
          }
          return true;
        });
  }

  /** A bad argument of any row is rejected before any row is written (the checks run once, first). */
  @Test
  void forwardAddRowsRejectsBadRowsBeforeWriting() {
    SoftThreshold scalar = KernelPairs.scalar().softThreshold();
    SoftThreshold simd = KernelProvider.simd().map(KernelProvider::softThreshold).orElse(scalar);
    for (SoftThreshold k : List.of(scalar, simd)) {
      float[] x = new float[3 * 40];
      Arrays.fill(x, 2f);
      float[] a = new float[3 * 40];
      float[] y = new float[3 * 40];
      Arrays.fill(y, 7f);
      float[] lastNegative = {0.5f, 0.5f, -0.5f};
      assertRejected(() -> k.forwardAddRows(3, 40, x, 0, lastNegative, 0, 1, a, 0, 1, 40, y, 0), "tau", y);
      // a's last row runs one element past its end
      assertRejected(() -> k.forwardAddRows(3, 40, x, 0, new float[] {1f}, 0, 0, a, 1, 1, 40, y, 0), "a", y);
      assertRejected(() -> k.forwardAddRows(3, 41, x, 0, new float[] {1f}, 0, 0, a, 0, 1, 0, y, 0), "x", y);
      assertRejected(() -> k.forwardAddRows(2, 40, x, 0, new float[] {1f}, 0, 1, a, 0, 1, 40, y, 0), "tau", y);
      assertRejected(() -> k.forwardAddRows(2, 40, x, 0, new float[] {1f, 1f}, 0, 1, a, 0, 0, 40, y, 0),
          "stride", y);
    }
  }

  private static void assertRejected(Runnable call, String named, float[] untouched) {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        call::run);
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(named), e.getMessage());
    for (float v : untouched) {
      org.junit.jupiter.api.Assertions.assertEquals(7f, v, "written before the check");
    }
  }

  private static Float[] boxed(float[] x) {
    Float[] b = new Float[x.length];
    for (int i = 0; i < x.length; i++) {
      b[i] = x[i];
    }
    return b;
  }

  private static float[] sortedNonNan(float[] x) {
    float[] s = Arrays.stream(boxed(x)).filter(v -> !Float.isNaN(v)).collect(
        java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
            l -> KernelPairs.unbox(l.toArray(new Float[0]))));
    Arrays.sort(s);
    return s;
  }
}
