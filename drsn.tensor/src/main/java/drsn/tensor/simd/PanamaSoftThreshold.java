package drsn.tensor.simd;

import drsn.tensor.SoftThreshold;
import drsn.tensor.internal.Checks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Soft thresholding on the Vector API. The forward performs exactly the operations of
 * {@link drsn.tensor.scalar.DefaultSoftThreshold} (x − min(max(x, −τ), τ)), lane by lane, so the two
 * agree bit for bit. The backward's ∂L/∂τ is summed in float in two vector accumulators.
 */
public final class PanamaSoftThreshold implements SoftThreshold {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int SIGN_BIT = 0x8000_0000;

  @Override
  public void forward(float[] x, int xOff, float[] y, int yOff, int len, float tau) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    Checks.threshold(tau);
    if (tau == Float.POSITIVE_INFINITY) {
      // Rare; kept out of the hot loop (see the scalar twin for why it is special).
      for (int i = 0; i < len; i++) {
        float v = x[xOff + i];
        y[yOff + i] = v != v ? v : 0f;
      }
      return;
    }
    float negTau = -tau;
    FloatVector hi = FloatVector.broadcast(S, tau);
    FloatVector lo = FloatVector.broadcast(S, negTau);
    // One vector per step: the loop is bound by memory, and a manual 2× unroll measured no faster.
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      v.sub(v.max(lo).min(hi)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v - Math.min(Math.max(v, negTau), tau);
    }
  }

  @Override
  public float backward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len, float tau) {
    Checks.span("x", x, xOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    Checks.threshold(tau);
    FloatVector t = FloatVector.broadcast(S, tau);
    FloatVector zero = FloatVector.zero(S);
    // Accumulates sign(x)·dy over the kept positions; ∂L/∂τ is its negation.
    FloatVector acc0 = zero;
    FloatVector acc1 = zero;
    int i = 0;
    int bound2 = len & -(2 * L);
    for (; i < bound2; i += 2 * L) {
      FloatVector v0 = FloatVector.fromArray(S, x, xOff + i);
      FloatVector g0 = FloatVector.fromArray(S, dy, dyOff + i);
      FloatVector v1 = FloatVector.fromArray(S, x, xOff + i + L);
      FloatVector g1 = FloatVector.fromArray(S, dy, dyOff + i + L);
      VectorMask<Float> k0 = v0.abs().compare(VectorOperators.GT, t);
      VectorMask<Float> k1 = v1.abs().compare(VectorOperators.GT, t);
      FloatVector d0 = zero.blend(g0, k0);
      FloatVector d1 = zero.blend(g1, k1);
      d0.intoArray(dx, dxOff + i);
      d1.intoArray(dx, dxOff + i + L);
      acc0 = acc0.add(signTimes(v0, d0));
      acc1 = acc1.add(signTimes(v1, d1));
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
      FloatVector d = zero.blend(g, v.abs().compare(VectorOperators.GT, t));
      d.intoArray(dx, dxOff + i);
      acc0 = acc0.add(signTimes(v, d));
    }
    float signed = Lanes.sum(acc0.add(acc1));
    for (; i < len; i++) {
      float v = x[xOff + i];
      float g = dy[dyOff + i];
      if (Math.abs(v) > tau) {
        dx[dxOff + i] = g;
        signed += v > 0f ? g : -g;
      } else {
        dx[dxOff + i] = 0f;
      }
    }
    return -signed;
  }

  /** sign(v)·d for the kept lanes: flips d's sign bit where v is negative (d is 0 elsewhere). */
  private static FloatVector signTimes(FloatVector v, FloatVector d) {
    IntVector sign = v.reinterpretAsInts().and(SIGN_BIT);
    return d.reinterpretAsInts().lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
  }
}
