package drsn.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane operations whose results do not depend on how the JVM runs the code.
 *
 * <p>{@code reduceLanes(ADD)} leaves the order of the float additions open, and in practice the
 * interpreter (a sequential loop) and C2 (a tree of shuffles) add in different orders, so a kernel
 * gave one answer before JIT compilation and another after. Likewise {@code lanewise(EXP)} is
 * {@code Math.exp} per lane when interpreted and a native SVML routine when compiled. drsn promises
 * bit-identical training, so every horizontal sum and exponential goes through here instead: only
 * lanewise IEEE operations (add, mul, fma, compare, bit casts), which are exact and therefore the
 * same in every execution mode.
 */
final class Lanes {

  private Lanes() {
  }

  /** Σ of the lanes of v, added in lane order 0, 1, 2, ... */
  static float sum(FloatVector v) {
    float s = v.lane(0);
    for (int i = 1; i < v.length(); i++) {
      s += v.lane(i);
    }
    return s;
  }

  private static final float LOG2E = 1.44269504088896341f;
  // ln 2 split so that n·LN2_HI is exact for |n| < 2^9 (Cody–Waite reduction).
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float ROUND_MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer
  private static final float MAX_ARG = 88.7228394f;   // exp(MAX_ARG) is the largest finite float
  private static final float MIN_ARG = -103.972084f;  // below: exp underflows to 0

  /**
   * exp(x) lane by lane, within 2 ulps of the correctly rounded result for normal outputs:
   * x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 minimax polynomial (the classic Cephes
   * single-precision coefficients), then scaled by 2^n in two steps so that results in the
   * subnormal range round once. Overflow gives +∞, underflow 0, NaN stays NaN.
   */
  static FloatVector exp(FloatVector x) {
    var species = x.species();
    FloatVector xc = x.max(MIN_ARG).min(MAX_ARG);
    // n = round(x·log2e); r = x − n·ln2
    FloatVector t = xc.fma(FloatVector.broadcast(species, LOG2E), FloatVector.broadcast(species, ROUND_MAGIC));
    FloatVector n = t.sub(ROUND_MAGIC);
    FloatVector r = n.fma(FloatVector.broadcast(species, -LN2_HI), xc);
    r = n.fma(FloatVector.broadcast(species, -LN2_LO), r);
    FloatVector p = FloatVector.broadcast(species, 1.9875691500e-4f);
    p = p.fma(r, FloatVector.broadcast(species, 1.3981999507e-3f));
    p = p.fma(r, FloatVector.broadcast(species, 8.3334519073e-3f));
    p = p.fma(r, FloatVector.broadcast(species, 4.1665795894e-2f));
    p = p.fma(r, FloatVector.broadcast(species, 1.6666665459e-1f));
    p = p.fma(r, FloatVector.broadcast(species, 5.0000001201e-1f));
    FloatVector r2 = r.mul(r);
    FloatVector er = p.fma(r2, r).add(1f); // 1 + r + r²·p(r)
    // 2^n as two factors 2^(n/2)·2^(n − n/2), each a normal float for n in [−150, 128].
    IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
    IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
    IntVector rest = ni.sub(half);
    FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = rest.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector result = er.mul(s1).mul(s2);
    // Clamping made x = ±∞ finite and would turn NaN into a number: restore both.
    result = result.blend(FloatVector.broadcast(species, Float.POSITIVE_INFINITY),
        x.compare(VectorOperators.GT, MAX_ARG));
    result = result.blend(FloatVector.zero(species), x.compare(VectorOperators.LT, MIN_ARG));
    return result.blend(x, x.test(VectorOperators.IS_NAN));
  }
}
