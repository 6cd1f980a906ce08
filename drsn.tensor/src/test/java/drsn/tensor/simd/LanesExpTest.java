package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import drsn.tensor.KernelProvider;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector exp against Math.exp (rounded to float), and the lane sum against its definition. */
class LanesExpTest {

  // Not a static field: this class must load in the scalar test run, where the module is absent.
  private static int lanes() {
    return FloatVector.SPECIES_PREFERRED.length();
  }

  private static float[] expOf(float[] x) {
    float[] y = new float[x.length];
    int L = lanes();
    for (int i = 0; i < x.length; i += L) {
      Lanes.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
    }
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
  void laneSumAddsInLaneOrder() {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    SplittableRandom r = new SplittableRandom(11);
    int L = lanes();
    float[] v = new float[L];
    for (int trial = 0; trial < 1000; trial++) {
      float want = 0f;
      for (int i = 0; i < L; i++) {
        v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 4)));
      }
      want = v[0];
      for (int i = 1; i < L; i++) {
        want += v[i];
      }
      assertEquals(Float.floatToRawIntBits(want),
          Float.floatToRawIntBits(Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, v, 0))));
    }
  }
}
