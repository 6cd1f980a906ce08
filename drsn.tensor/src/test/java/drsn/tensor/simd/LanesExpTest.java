package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import drsn.tensor.KernelProvider;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector exp against Math.exp (rounded to float). */
class LanesExpTest {

  // Not a static field: this class must load in the scalar test run, where the module is absent.
  private static int lanes() {
    return FloatVector.SPECIES_PREFERRED.length();
  }

  private static float[] expOf(float[] x) {
    float[] y = new float[x.length];
    Lanes.exp(x, 0, false, 0f, y, 0, x.length);
    return y;
  }

  private static float[] padded(int n) {
    int L = lanes();
    return new float[(n + L - 1) / L * L];
  }

  @Test
  void withinTwoUlpsOfMathExpOverTheWholeRange() {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    SplittableRandom r = new SplittableRandom(3);
    float[] x = padded(200_000);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 200 - 105); // [-105, 95): underflow, subnormal, normal, overflow
    }
    float[] y = expOf(x);
    for (int i = 0; i < x.length; i++) {
      float want = (float) Math.exp(x[i]);
      float got = y[i];
      if (want == 0f || Float.isInfinite(want)) {
        // At the edges allow the neighbouring value (0 vs the smallest subnormal, MAX vs ∞).
        assertTrue(Math.abs(got - want) <= Float.MIN_VALUE || (Float.isInfinite(got) || got >= Float.MAX_VALUE / 2),
            "exp(" + x[i] + ") = " + got + ", want " + want);
        continue;
      }
      float ulps = Math.abs(got - want) / Math.ulp(want);
      if (want >= Float.MIN_NORMAL) {
        assertTrue(ulps <= 2f, "exp(" + x[i] + ") = " + got + ", want " + want + " (" + ulps + " ulps)");
      } else {
        // Subnormal results carry fewer significant bits: one rounding of the result, plus 2 ulps of a normal.
        assertTrue(Math.abs(got - want) <= 2 * Float.MIN_VALUE + 4e-7f * want,
            "exp(" + x[i] + ") = " + got + ", want " + want);
      }
    }
  }

  @Test
  void specialValues() {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    float[] x = padded(6);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f};
    System.arraycopy(specials, 0, x, 0, specials.length);
    float[] y = expOf(x);
    assertTrue(Float.isNaN(y[0]), "exp(NaN) is NaN");
    assertEquals(Float.POSITIVE_INFINITY, y[1], "exp(+inf)");
    assertEquals(0f, y[2], "exp(-inf)");
    assertEquals(1f, y[3], "exp(0)");
    assertEquals(1f, y[4], "exp(-0)");
    assertEquals((float) Math.E, y[5], Math.ulp((float) Math.E) * 2, "exp(1)");
  }

  @Test
  void negationAndShiftAreAppliedBeforeTheExponentialAndOffsetsAreHonoured() {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    SplittableRandom r = new SplittableRandom(5);
    int L = lanes();
    int count = 3 * L;
    float[] x = new float[count + 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 20);
    }
    x[4] = Float.NaN;
    x[5] = -0f;
    float shift = 1.75f;
    float[] negated = new float[count];
    float[] shifted = new float[count];
    for (int i = 0; i < count; i++) {
      negated[i] = -x[3 + i];
      shifted[i] = x[3 + i] - shift;
    }
    float[] want = new float[count];
    float[] got = new float[count + 2];
    Lanes.exp(negated, 0, false, 0f, want, 0, count);
    Lanes.exp(x, 3, true, 0f, got, 2, count);
    for (int i = 0; i < count; i++) {
      assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[2 + i]), "exp(-x) at " + i);
    }
    Lanes.exp(shifted, 0, false, 0f, want, 0, count);
    Lanes.exp(x, 3, false, shift, got, 2, count);
    for (int i = 0; i < count; i++) {
      assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[2 + i]), "exp(x - shift) at " + i);
    }
    assertEquals(0f, got[0], "nothing written before the output offset");
    assertEquals(0f, got[1], "nothing written before the output offset");
  }
}
