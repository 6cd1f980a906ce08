package drsn.tensor.simd;

import drsn.tensor.Reductions;
import drsn.tensor.internal.Checks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions on the Vector API: four vector accumulators (to hide the add latency), a lane
 * reduction, then a scalar tail. Sums accumulate in float, so they differ from the scalar twin's
 * double sums by rounding; max and argmax are exact.
 */
public final class PanamaReductions implements Reductions {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public float sum(float[] x, int off, int len) {
    Checks.span("x", x, off, len);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound4 = len & -(4 * L);
    for (; i < bound4; i += 4 * L) {
      a0 = a0.add(FloatVector.fromArray(S, x, off + i));
      a1 = a1.add(FloatVector.fromArray(S, x, off + i + L));
      a2 = a2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
      a3 = a3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      a0 = a0.add(FloatVector.fromArray(S, x, off + i));
    }
    float s = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    for (; i < len; i++) {
      s += x[off + i];
    }
    return s;
  }

  @Override
  public float sumAbs(float[] x, int off, int len) {
    Checks.span("x", x, off, len);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound4 = len & -(4 * L);
    for (; i < bound4; i += 4 * L) {
      a0 = a0.add(FloatVector.fromArray(S, x, off + i).abs());
      a1 = a1.add(FloatVector.fromArray(S, x, off + i + L).abs());
      a2 = a2.add(FloatVector.fromArray(S, x, off + i + 2 * L).abs());
      a3 = a3.add(FloatVector.fromArray(S, x, off + i + 3 * L).abs());
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      a0 = a0.add(FloatVector.fromArray(S, x, off + i).abs());
    }
    float s = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    for (; i < len; i++) {
      s += Math.abs(x[off + i]);
    }
    return s;
  }

  @Override
  public float sumDeviations(float[] x, int off, int len, float mean) {
    Checks.span("x", x, off, len);
    FloatVector m = FloatVector.broadcast(S, mean);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound4 = len & -(4 * L);
    for (; i < bound4; i += 4 * L) {
      a0 = a0.add(FloatVector.fromArray(S, x, off + i).sub(m));
      a1 = a1.add(FloatVector.fromArray(S, x, off + i + L).sub(m));
      a2 = a2.add(FloatVector.fromArray(S, x, off + i + 2 * L).sub(m));
      a3 = a3.add(FloatVector.fromArray(S, x, off + i + 3 * L).sub(m));
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      a0 = a0.add(FloatVector.fromArray(S, x, off + i).sub(m));
    }
    float s = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    for (; i < len; i++) {
      s += x[off + i] - mean;
    }
    return s;
  }

  @Override
  public float sumSquaredDeviations(float[] x, int off, int len, float mean) {
    Checks.span("x", x, off, len);
    FloatVector m = FloatVector.broadcast(S, mean);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound4 = len & -(4 * L);
    for (; i < bound4; i += 4 * L) {
      FloatVector d0 = FloatVector.fromArray(S, x, off + i).sub(m);
      FloatVector d1 = FloatVector.fromArray(S, x, off + i + L).sub(m);
      FloatVector d2 = FloatVector.fromArray(S, x, off + i + 2 * L).sub(m);
      FloatVector d3 = FloatVector.fromArray(S, x, off + i + 3 * L).sub(m);
      a0 = d0.fma(d0, a0);
      a1 = d1.fma(d1, a1);
      a2 = d2.fma(d2, a2);
      a3 = d3.fma(d3, a3);
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector d = FloatVector.fromArray(S, x, off + i).sub(m);
      a0 = d.fma(d, a0);
    }
    float s = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    for (; i < len; i++) {
      float d = x[off + i] - mean;
      s = Math.fma(d, d, s);
    }
    return s;
  }

  @Override
  public float dot(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound4 = len & -(4 * L);
    for (; i < bound4; i += 4 * L) {
      a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
      a1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), a1);
      a2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), a2);
      a3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), a3);
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
    }
    float s = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    for (; i < len; i++) {
      s = Math.fma(x[xOff + i], y[yOff + i], s);
    }
    return s;
  }

  @Override
  public float max(float[] x, int off, int len) {
    Checks.positive("len (max of an empty span is undefined)", len);
    Checks.span("x", x, off, len);
    return maxOf(x, off, len);
  }

  /** Max without checks; lanewise MAX and its lane reduction follow Math.max (NaN wins, +0 > −0). */
  static float maxOf(float[] x, int off, int len) {
    FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound4 = len & -(4 * L);
    for (; i < bound4; i += 4 * L) {
      a0 = a0.max(FloatVector.fromArray(S, x, off + i));
      a1 = a1.max(FloatVector.fromArray(S, x, off + i + L));
      a2 = a2.max(FloatVector.fromArray(S, x, off + i + 2 * L));
      a3 = a3.max(FloatVector.fromArray(S, x, off + i + 3 * L));
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      a0 = a0.max(FloatVector.fromArray(S, x, off + i));
    }
    float m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    for (; i < len; i++) {
      m = Math.max(m, x[off + i]);
    }
    return m;
  }

  @Override
  public int argmax(float[] x, int off, int len) {
    Checks.positive("len (argmax of an empty span is undefined)", len);
    Checks.span("x", x, off, len);
    float m = maxOf(x, off, len);
    boolean nan = m != m;
    // Second pass: the first lane that equals the max (or is NaN when the max is NaN).
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, off + i);
      VectorMask<Float> hit = nan ? v.compare(VectorOperators.NE, v) : v.compare(VectorOperators.EQ, m);
      if (hit.anyTrue()) {
        return i + hit.firstTrue();
      }
    }
    for (; i < len; i++) {
      float v = x[off + i];
      if (nan ? v != v : v == m) {
        return i;
      }
    }
    throw new AssertionError("max " + m + " not found in its span");
  }
}
