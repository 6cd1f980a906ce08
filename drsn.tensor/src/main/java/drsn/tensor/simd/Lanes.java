package drsn.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane operations whose results do not depend on how the JVM runs the code.
 *
 * <p>{@code reduceLanes(ADD)} leaves the order of the float additions open, and in practice the
 * interpreter (a sequential loop) and C2 (a tree of shuffles) add in different orders, so a kernel
 * gave one answer before JIT compilation and another after. Likewise {@code lanewise(EXP)} is
 * {@code Math.exp} per lane when interpreted and a native SVML routine when compiled. drsn promises
 * bit-identical training, so every exponential goes through here, and every horizontal sum is
 * written out as below: only lanewise IEEE operations (add, mul, fma, compare, bit casts) and
 * lane permutations, which are exact and therefore the same in every execution mode.
 *
 * <p>A horizontal sum of 16 lanes taken once per row (the row reductions, the soft threshold's
 * ∂L/∂τ, softmax's sum) is written out where it is needed as a fixed tree:
 * {@code h = v + v.rearrange(PAIR_8)}, then the same with {@link #PAIR_4}, {@link #PAIR_2},
 * {@link #PAIR_1}, and lane 0 of the last: ((v0 + v8) + (v4 + v12)) + ((v2 + v10) + (v6 + v14)),
 * plus the same of lanes 1, 3, 5, … Four permutes and four adds, about 28 cycles deep. The sum in
 * lane order it replaced (2026-12-08) was fifteen dependent scalar adds, each lane moved down
 * first, about 60 cycles per row: on the paper's network, whose rows are 128–512 floats, 3 % of a
 * training step. Sums taken once per channel over a batch's rows (batch norm's statistics and
 * sums) and other lane counts add in lane order, {@code s = v.lane(0)}, then
 * {@code s += v.lane(j)} for j = 1, 2, …: there the reduction is rare, and the tree in
 * {@code channelMeanVariance} made the method 1.8 times slower (its rotating accumulators' loops;
 * not investigated further). {@link #treeOfAbs} is the tree in scalar form, for a span shorter than
 * a vector. No vector is handed to a method of drsn.
 * That is a rule for the whole package: no drsn method takes or returns a vector, a mask or a
 * shuffle. The Vector API's own methods are always inlined; drsn's are inlined only when C2
 * decides so (callee size, the caller's size and node budget, which of the two was compiled
 * first), and a call that is not inlined boxes every vector it passes: a few hundred bytes per
 * call, every call, in a hot path that must allocate nothing. {@code VectorsStayInRegistersTest}
 * checks the rule; the allocation tests run once with C2 inlining none of this package's methods.
 */
final class Lanes {

  private Lanes() {
  }

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /**
   * Whether {@link #PAIR_8} … {@link #PAIR_1} exist: a horizontal sum of a 16-lane vector is a tree
   * in a fixed order, {@code v = v + v.rearrange(PAIR_w)} for w = 8, 4, 2, 1, then lane 0.
   */
  static final boolean TREE = S.length() == 16;
  /** Lane i takes lane i ^ w (an identity where {@link #TREE} is false). */
  static final VectorShuffle<Float> PAIR_8 = VectorShuffle.fromArray(S, pairs(8), 0);
  static final VectorShuffle<Float> PAIR_4 = VectorShuffle.fromArray(S, pairs(4), 0);
  static final VectorShuffle<Float> PAIR_2 = VectorShuffle.fromArray(S, pairs(2), 0);
  static final VectorShuffle<Float> PAIR_1 = VectorShuffle.fromArray(S, pairs(1), 0);

  private static int[] pairs(int w) {
    int[] lanes = new int[S.length()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = TREE ? i ^ w : i;
    }
    return lanes;
  }

  /**
   * The tree's sum of |x[off + i]| for i &lt; len ≤ 16, the lanes from len on +0: bit for bit the
   * 16-lane tree over a vector holding those values (what a reduction computes when such a span is
   * loaded as one masked vector), for a span that cannot be loaded so (it ends an array).
   */
  static float treeOfAbs(float[] x, int off, int len) {
    return ((absOr0(x, off, len, 0) + absOr0(x, off, len, 8)) + (absOr0(x, off, len, 4) + absOr0(x, off, len, 12)))
        + ((absOr0(x, off, len, 2) + absOr0(x, off, len, 10)) + (absOr0(x, off, len, 6) + absOr0(x, off, len, 14)))
        + (((absOr0(x, off, len, 1) + absOr0(x, off, len, 9)) + (absOr0(x, off, len, 5) + absOr0(x, off, len, 13)))
        + ((absOr0(x, off, len, 3) + absOr0(x, off, len, 11)) + (absOr0(x, off, len, 7) + absOr0(x, off, len, 15))));
  }

  private static float absOr0(float[] x, int off, int len, int i) {
    return i < len ? Math.abs(x[off + i]) : 0f;
  }

  private static final float LOG2E = 1.44269504088896341f;
  // ln 2 split so that n·LN2_HI is exact for |n| < 2^9 (Cody–Waite reduction).
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float ROUND_MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer
  private static final float MAX_ARG = 88.7228394f;   // exp(MAX_ARG) is the largest finite float
  private static final float MIN_ARG = -103.972084f;  // below: exp underflows to 0

  /**
   * out[i] = exp(x[i] − shift), or exp(−x[i] − shift) when {@code negate}, for i in [0, count),
   * count a multiple of the species' length; within 2 ulps of the correctly rounded result for
   * normal outputs: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 minimax polynomial (the
   * classic Cephes single-precision coefficients), then scaled by 2^n in two steps so that results
   * in the subnormal range round once. Overflow gives +∞, underflow 0, NaN stays NaN.
   *
   * <p>Arrays in, arrays out, on purpose: this body is ~320 bytes of bytecode, and a method that
   * size which took or returned a {@code FloatVector} was not always inlined by C2 (whether it is
   * depends on which of caller and callee got compiled first), and every call that is not inlined
   * boxes its vectors: 192 bytes per vector on the heap, 43 KB per training step. With the loop in
   * here, no vector crosses a call, whatever the JIT decides.
   */
  static void exp(float[] x, int xOff, boolean negate, float shift, float[] out, int outOff, int count) {
    var species = FloatVector.SPECIES_PREFERRED;
    int lanes = species.length();
    FloatVector log2e = FloatVector.broadcast(species, LOG2E);
    FloatVector roundMagic = FloatVector.broadcast(species, ROUND_MAGIC);
    FloatVector minusLn2Hi = FloatVector.broadcast(species, -LN2_HI);
    FloatVector minusLn2Lo = FloatVector.broadcast(species, -LN2_LO);
    FloatVector infinity = FloatVector.broadcast(species, Float.POSITIVE_INFINITY);
    FloatVector zero = FloatVector.zero(species);
    for (int i = 0; i < count; i += lanes) {
      FloatVector v = FloatVector.fromArray(species, x, xOff + i);
      if (negate) {
        v = v.neg();
      }
      v = v.sub(shift);
      FloatVector xc = v.max(MIN_ARG).min(MAX_ARG);
      // n = round(x·log2e); r = x − n·ln2
      FloatVector n = xc.fma(log2e, roundMagic).sub(ROUND_MAGIC);
      FloatVector r = n.fma(minusLn2Hi, xc);
      r = n.fma(minusLn2Lo, r);
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
      result = result.blend(infinity, v.compare(VectorOperators.GT, MAX_ARG));
      result = result.blend(zero, v.compare(VectorOperators.LT, MIN_ARG));
      result.blend(v, v.test(VectorOperators.IS_NAN)).intoArray(out, outOff + i);
    }
  }
}
