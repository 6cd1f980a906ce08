package drsn.tensor.simd;

import drsn.tensor.Reductions;
import drsn.tensor.internal.Checks;
import drsn.tensor.internal.DeviationSpans;
import drsn.tensor.internal.FloatPair;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions on the Vector API: four vector accumulators (to hide the add latency), a lane
 * reduction, then a scalar tail. Sums accumulate in float, so they differ from the scalar twin's
 * double sums by rounding; max and argmax are exact.
 */
public final class PanamaReductions implements Reductions, DeviationSpans {

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

  /**
   * The default's bits (each row's {@link #sumAbs}, divided by l), four rows at a time: every row
   * keeps its own four accumulators and its lane-order sum ({@link Lanes#sum}), but the four rows'
   * loads and their lane sums — serial chains of L − 1 dependent adds — are interleaved so that
   * they overlap. At the shrinkage units' l = 128–512 (8–32 vectors) a row's chain cost more than
   * its loads, and one row at a time left them to run one after another.
   */
  @Override
  public void spatialMeanAbs(int n, int c, int l, float[] x, int xOff, float[] out, int outOff) {
    Checks.nonNegative("n", n);
    Checks.nonNegative("c", c);
    Checks.positive("l", l);
    Checks.span("x [n, c, l]", x, xOff, (long) n * c * l);
    Checks.span("out [n, c]", out, outOff, (long) n * c);
    int rows = n * c;
    int bound4 = l & -(4 * L);
    int bound = S.loopBound(l);
    int r = 0;
    // All vectors stay in this method: handed to a helper that C2 does not inline, they would be boxed.
    for (; r + 4 <= rows; r += 4) {
      int o0 = xOff + r * l;
      int o1 = o0 + l;
      int o2 = o1 + l;
      int o3 = o2 + l;
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00;
      FloatVector a02 = a00;
      FloatVector a03 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a12 = a00;
      FloatVector a13 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a22 = a00;
      FloatVector a23 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      FloatVector a32 = a00;
      FloatVector a33 = a00;
      int i = 0;
      for (; i < bound4; i += 4 * L) {
        a00 = a00.add(FloatVector.fromArray(S, x, o0 + i).abs());
        a01 = a01.add(FloatVector.fromArray(S, x, o0 + i + L).abs());
        a02 = a02.add(FloatVector.fromArray(S, x, o0 + i + 2 * L).abs());
        a03 = a03.add(FloatVector.fromArray(S, x, o0 + i + 3 * L).abs());
        a10 = a10.add(FloatVector.fromArray(S, x, o1 + i).abs());
        a11 = a11.add(FloatVector.fromArray(S, x, o1 + i + L).abs());
        a12 = a12.add(FloatVector.fromArray(S, x, o1 + i + 2 * L).abs());
        a13 = a13.add(FloatVector.fromArray(S, x, o1 + i + 3 * L).abs());
        a20 = a20.add(FloatVector.fromArray(S, x, o2 + i).abs());
        a21 = a21.add(FloatVector.fromArray(S, x, o2 + i + L).abs());
        a22 = a22.add(FloatVector.fromArray(S, x, o2 + i + 2 * L).abs());
        a23 = a23.add(FloatVector.fromArray(S, x, o2 + i + 3 * L).abs());
        a30 = a30.add(FloatVector.fromArray(S, x, o3 + i).abs());
        a31 = a31.add(FloatVector.fromArray(S, x, o3 + i + L).abs());
        a32 = a32.add(FloatVector.fromArray(S, x, o3 + i + 2 * L).abs());
        a33 = a33.add(FloatVector.fromArray(S, x, o3 + i + 3 * L).abs());
      }
      for (; i < bound; i += L) {
        a00 = a00.add(FloatVector.fromArray(S, x, o0 + i).abs());
        a10 = a10.add(FloatVector.fromArray(S, x, o1 + i).abs());
        a20 = a20.add(FloatVector.fromArray(S, x, o2 + i).abs());
        a30 = a30.add(FloatVector.fromArray(S, x, o3 + i).abs());
      }
      float s0 = Lanes.sum(a00.add(a01).add(a02.add(a03)));
      float s1 = Lanes.sum(a10.add(a11).add(a12.add(a13)));
      float s2 = Lanes.sum(a20.add(a21).add(a22.add(a23)));
      float s3 = Lanes.sum(a30.add(a31).add(a32.add(a33)));
      for (; i < l; i++) {
        s0 += Math.abs(x[o0 + i]);
        s1 += Math.abs(x[o1 + i]);
        s2 += Math.abs(x[o2 + i]);
        s3 += Math.abs(x[o3 + i]);
      }
      out[outOff + r] = s0 / l;
      out[outOff + r + 1] = s1 / l;
      out[outOff + r + 2] = s2 / l;
      out[outOff + r + 3] = s3 / l;
    }
    for (; r < rows; r++) {
      out[outOff + r] = sumAbs(x, xOff + r * l, l) / l;
    }
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

  /**
   * {@link #sumDeviations} and {@link #sumSquaredDeviations} in one pass: the same four
   * accumulators of each, the same single-vector loop and lane reduction, the same scalar tail.
   */
  @Override
  public long sumDeviationsAndSquares(float[] x, int off, int len, float mean) {
    Checks.span("x", x, off, len);
    FloatVector m = FloatVector.broadcast(S, mean);
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector q0 = s0;
    FloatVector q1 = s0;
    FloatVector q2 = s0;
    FloatVector q3 = s0;
    int i = 0;
    int bound4 = len & -(4 * L);
    for (; i < bound4; i += 4 * L) {
      FloatVector d0 = FloatVector.fromArray(S, x, off + i).sub(m);
      FloatVector d1 = FloatVector.fromArray(S, x, off + i + L).sub(m);
      FloatVector d2 = FloatVector.fromArray(S, x, off + i + 2 * L).sub(m);
      FloatVector d3 = FloatVector.fromArray(S, x, off + i + 3 * L).sub(m);
      s0 = s0.add(d0);
      s1 = s1.add(d1);
      s2 = s2.add(d2);
      s3 = s3.add(d3);
      q0 = d0.fma(d0, q0);
      q1 = d1.fma(d1, q1);
      q2 = d2.fma(d2, q2);
      q3 = d3.fma(d3, q3);
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector d = FloatVector.fromArray(S, x, off + i).sub(m);
      s0 = s0.add(d);
      q0 = d.fma(d, q0);
    }
    float s = Lanes.sum(s0.add(s1).add(s2.add(s3)));
    float q = Lanes.sum(q0.add(q1).add(q2.add(q3)));
    for (; i < len; i++) {
      float d = x[off + i] - mean;
      s += d;
      q = Math.fma(d, d, q);
    }
    return FloatPair.of(s, q);
  }
}
