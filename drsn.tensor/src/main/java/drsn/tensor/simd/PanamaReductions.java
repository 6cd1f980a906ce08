package drsn.tensor.simd;

import drsn.tensor.Reductions;
import drsn.tensor.internal.Checks;
import drsn.tensor.internal.DeviationSpans;
import drsn.tensor.internal.FloatPair;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions on the Vector API: four vector accumulators (to hide the add latency), then the
 * span's last partial vector as the whole vector that ends the span, loaded under a mask (the lanes
 * before the tail read zeros and add nothing) into the first accumulator, then a lane reduction
 * ({@link Lanes}); a scalar tail only for spans shorter than a vector (sumAbs: only where x does not
 * hold a whole vector from the span's start, and then the lane reduction's tree in scalar form,
 * {@link Lanes#treeOfAbs}; else that vector under a mask: the same bits either way, so a row's sum
 * does not depend on where its array ends). A scalar tail (a dependent chain per element)
 * cost more than a row's vectors on rows like 250 floats. Sums accumulate in float, so they differ
 * from the scalar twin's double sums by rounding; max and argmax are exact.
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
    if (i < len && len >= L) { // the last partial vector, masked: see the class comment
      int at = len - L;
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      a0 = a0.add(FloatVector.fromArray(S, x, off + at, rest));
      i = len;
    }
    FloatVector sLanes = a0.add(a1).add(a2.add(a3));
    float s;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector h = sLanes.add(sLanes.rearrange(Lanes.PAIR_8));
      h = h.add(h.rearrange(Lanes.PAIR_4));
      h = h.add(h.rearrange(Lanes.PAIR_2));
      s = h.add(h.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      s = sLanes.lane(0);
      for (int j = 1; j < L; j++) {
        s += sLanes.lane(j);
      }
    }
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
    if (i < len && (len >= L || off + L <= x.length)) { // the last partial vector, masked: see the class comment
      int at = Math.max(len - L, 0);
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      a0 = a0.add(FloatVector.fromArray(S, x, off + at, rest).abs());
      i = len;
    }
    if (Lanes.TREE && i < len) {
      // shorter than a vector and ending the array (i == 0): the masked vector's sum in scalar form
      return Lanes.treeOfAbs(x, off, len);
    }
    FloatVector sLanes = a0.add(a1).add(a2.add(a3));
    float s;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector h = sLanes.add(sLanes.rearrange(Lanes.PAIR_8));
      h = h.add(h.rearrange(Lanes.PAIR_4));
      h = h.add(h.rearrange(Lanes.PAIR_2));
      s = h.add(h.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      s = sLanes.lane(0);
      for (int j = 1; j < L; j++) {
        s += sLanes.lane(j);
      }
    }
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
    if (i < len && len >= L) { // the last partial vector, masked: see the class comment
      int at = len - L;
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      a0 = a0.add(FloatVector.fromArray(S, x, off + at, rest).sub(m, rest));
      i = len;
    }
    FloatVector sLanes = a0.add(a1).add(a2.add(a3));
    float s;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector h = sLanes.add(sLanes.rearrange(Lanes.PAIR_8));
      h = h.add(h.rearrange(Lanes.PAIR_4));
      h = h.add(h.rearrange(Lanes.PAIR_2));
      s = h.add(h.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      s = sLanes.lane(0);
      for (int j = 1; j < L; j++) {
        s += sLanes.lane(j);
      }
    }
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
    if (i < len && len >= L) { // the last partial vector, masked: see the class comment
      int at = len - L;
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      FloatVector d = FloatVector.fromArray(S, x, off + at, rest).sub(m, rest);
      a0 = d.fma(d, a0);
      i = len;
    }
    FloatVector sLanes = a0.add(a1).add(a2.add(a3));
    float s;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector h = sLanes.add(sLanes.rearrange(Lanes.PAIR_8));
      h = h.add(h.rearrange(Lanes.PAIR_4));
      h = h.add(h.rearrange(Lanes.PAIR_2));
      s = h.add(h.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      s = sLanes.lane(0);
      for (int j = 1; j < L; j++) {
        s += sLanes.lane(j);
      }
    }
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
    if (i < len && len >= L) { // the last partial vector, masked: see the class comment
      int at = len - L;
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      a0 = FloatVector.fromArray(S, x, xOff + at, rest).fma(FloatVector.fromArray(S, y, yOff + at, rest), a0);
      i = len;
    }
    FloatVector sLanes = a0.add(a1).add(a2.add(a3));
    float s;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector h = sLanes.add(sLanes.rearrange(Lanes.PAIR_8));
      h = h.add(h.rearrange(Lanes.PAIR_4));
      h = h.add(h.rearrange(Lanes.PAIR_2));
      s = h.add(h.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      s = sLanes.lane(0);
      for (int j = 1; j < L; j++) {
        s += sLanes.lane(j);
      }
    }
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
    if (i < len && len >= L) { // the last partial vector, masked: see the class comment
      int at = len - L;
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      FloatVector d = FloatVector.fromArray(S, x, off + at, rest).sub(m, rest);
      s0 = s0.add(d);
      q0 = d.fma(d, q0);
      i = len;
    }
    FloatVector sLanes = s0.add(s1).add(s2.add(s3));
    FloatVector qLanes = q0.add(q1).add(q2.add(q3));
    float s, q;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector hs = sLanes.add(sLanes.rearrange(Lanes.PAIR_8));
      hs = hs.add(hs.rearrange(Lanes.PAIR_4));
      hs = hs.add(hs.rearrange(Lanes.PAIR_2));
      s = hs.add(hs.rearrange(Lanes.PAIR_1)).lane(0);
      FloatVector hq = qLanes.add(qLanes.rearrange(Lanes.PAIR_8));
      hq = hq.add(hq.rearrange(Lanes.PAIR_4));
      hq = hq.add(hq.rearrange(Lanes.PAIR_2));
      q = hq.add(hq.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      s = sLanes.lane(0);
      q = qLanes.lane(0);
      for (int j = 1; j < L; j++) {
        s += sLanes.lane(j);
        q += qLanes.lane(j);
      }
    }
    for (; i < len; i++) {
      float d = x[off + i] - mean;
      s += d;
      q = Math.fma(d, d, q);
    }
    return FloatPair.of(s, q);
  }

  /**
   * The two-pass algorithm of {@link Reductions#channelMeanVariance} (mean = m₀ + d/M, variance =
   * q/M − (d/M)² around the first pass's m₀), with each pass's sums over a channel's n rows taken
   * into one set of vector accumulators and reduced once per channel, not once per row: on short
   * rows (16 channels × 128) the per-row horizontal sums cost more than the arithmetic. Vector k of
   * the channel (counting across rows) goes to accumulator k mod 4; each row's last len mod L
   * elements are summed in double and added after; rows narrower than a vector whose sample's rows
   * fill one go as {@link #channelMeanVarianceOfBlocks}. A different order than the per-row default
   * (and the scalar kernels), fixed by n, c and l alone, so deterministic.
   */
  @Override
  public void channelMeanVariance(int n, int c, int l, float[] x, int xOff, float[] mean, int meanOff,
                                  float[] variance, int varianceOff) {
    double m = (double) Checks.channelMoments(n, c, l, x, xOff, mean, meanOff, variance, varianceOff);
    if (l < L && c * l >= L) {
      channelMeanVarianceOfBlocks(n, c, l, x, xOff, mean, meanOff, variance, varianceOff, m);
      return;
    }
    int bound = S.loopBound(l);
    for (int ch = 0; ch < c; ch++) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      double tail = 0;
      for (int r = 0; r < n; r++) {
        int at = xOff + (r * c + ch) * l;
        for (int i = 0; i < bound; i += L) {
          FloatVector next = a0.add(FloatVector.fromArray(S, x, at + i));
          a0 = a1;
          a1 = a2;
          a2 = a3;
          a3 = next;
        }
        for (int i = bound; i < l; i++) {
          tail += x[at + i];
        }
      }
      FloatVector aLanes = a0.add(a1).add(a2.add(a3));
      float a;
      if (L == 16) { // constant lane indices: C2 does not unroll a loop over lane(j)
        a = aLanes.lane(0) + aLanes.lane(1) + aLanes.lane(2) + aLanes.lane(3) + aLanes.lane(4) + aLanes.lane(5)
            + aLanes.lane(6) + aLanes.lane(7) + aLanes.lane(8) + aLanes.lane(9) + aLanes.lane(10) + aLanes.lane(11)
            + aLanes.lane(12) + aLanes.lane(13) + aLanes.lane(14) + aLanes.lane(15);
      } else {
        a = aLanes.lane(0);
        for (int j = 1; j < L; j++) {
          a += aLanes.lane(j);
        }
      }
      float m0 = (float) ((a + tail) / m);
      FloatVector vm = FloatVector.broadcast(S, m0);
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      FloatVector q0 = s0;
      FloatVector q1 = s0;
      FloatVector q2 = s0;
      FloatVector q3 = s0;
      double tailD = 0;
      double tailQ = 0;
      for (int r = 0; r < n; r++) {
        int at = xOff + (r * c + ch) * l;
        for (int i = 0; i < bound; i += L) {
          FloatVector dev = FloatVector.fromArray(S, x, at + i).sub(vm);
          FloatVector sNext = s0.add(dev);
          FloatVector qNext = dev.fma(dev, q0);
          s0 = s1;
          s1 = s2;
          s2 = s3;
          s3 = sNext;
          q0 = q1;
          q1 = q2;
          q2 = q3;
          q3 = qNext;
        }
        for (int i = bound; i < l; i++) {
          double dev = x[at + i] - m0;
          tailD += dev;
          tailQ += dev * dev;
        }
      }
      FloatVector dLanes = s0.add(s1).add(s2.add(s3));
      FloatVector qLanes = q0.add(q1).add(q2.add(q3));
      float dSum, qSum;
      if (L == 16) { // constant lane indices: C2 does not unroll a loop over lane(j)
        dSum = dLanes.lane(0) + dLanes.lane(1) + dLanes.lane(2) + dLanes.lane(3) + dLanes.lane(4) + dLanes.lane(5)
            + dLanes.lane(6) + dLanes.lane(7) + dLanes.lane(8) + dLanes.lane(9) + dLanes.lane(10) + dLanes.lane(11)
            + dLanes.lane(12) + dLanes.lane(13) + dLanes.lane(14) + dLanes.lane(15);
        qSum = qLanes.lane(0) + qLanes.lane(1) + qLanes.lane(2) + qLanes.lane(3) + qLanes.lane(4) + qLanes.lane(5)
            + qLanes.lane(6) + qLanes.lane(7) + qLanes.lane(8) + qLanes.lane(9) + qLanes.lane(10) + qLanes.lane(11)
            + qLanes.lane(12) + qLanes.lane(13) + qLanes.lane(14) + qLanes.lane(15);
      } else {
        dSum = dLanes.lane(0);
        qSum = qLanes.lane(0);
        for (int j = 1; j < L; j++) {
          dSum += dLanes.lane(j);
          qSum += qLanes.lane(j);
        }
      }
      double d = dSum + tailD;
      double q = qSum + tailQ;
      double dm = d / m;
      double var = q / m - dm * dm;
      mean[meanOff + ch] = (float) (m0 + dm);
      // max(0, NaN) would hide a NaN; keep NaN visible.
      variance[varianceOff + ch] = var < 0 ? 0f : (float) var;
    }
  }

  /** Per-thread scratch of {@link #channelMeanVarianceOfBlocks}; grown, never shrunk. */
  private static final ThreadLocal<float[]> BLOCK_SUMS = ThreadLocal.withInitial(() -> new float[0]);

  /**
   * {@link #channelMeanVariance} for rows narrower than a vector (the late layers of a short window
   * and the threshold subnets' [n, c, 1], whose rows went a float at a time into the double tail):
   * a sample's rows are one contiguous block of c·l floats, taken a vector at a time (the last the
   * whole vector ending the block, its lanes before the block's last partial vector left alone)
   * into one float sum per position of the block over the samples in order; then each channel's
   * positions in order into a double. Both passes so, the second around each position's channel's
   * m₀ (expanded once per pass). An order of its own, fixed by n, c and l.
   */
  private static void channelMeanVarianceOfBlocks(int n, int c, int l, float[] x, int xOff, float[] mean,
                                                  int meanOff, float[] variance, int varianceOff, double m) {
    int block = c * l;
    float[] w = BLOCK_SUMS.get();
    if (w.length < 3 * block + RowValues.SLACK + c) {
      w = new float[3 * block + RowValues.SLACK + c];
      BLOCK_SUMS.set(w);
    }
    // w: [Σx, then Σdev, per position | Σdev² per position | m0 per position, a vector of slack | m0 per channel]
    int sq = block, center = 2 * block, mid = 3 * block + RowValues.SLACK;
    int last = block - L;
    Arrays.fill(w, 0, block, 0f);
    for (int r = 0; r < n; r++) {
      int at0 = xOff + r * block;
      for (int i = 0; i < block; i += L) {
        int at = Math.min(i, last);
        VectorMask<Float> rest = S.indexInRange(at - i, block - i); // not the lanes the vector before took
        FloatVector.fromArray(S, w, at).add(FloatVector.fromArray(S, x, at0 + at)).intoArray(w, at, rest);
      }
    }
    for (int ch = 0; ch < c; ch++) {
      double a = 0;
      for (int i = ch * l, end = i + l; i < end; i++) {
        a += w[i];
      }
      w[mid + ch] = (float) (a / m);
    }
    RowValues.spread(w, mid, 1, c, l, w, center); // its last spill stays in the slack before mid
    Arrays.fill(w, 0, 2 * block, 0f);
    for (int r = 0; r < n; r++) {
      int at0 = xOff + r * block;
      for (int i = 0; i < block; i += L) {
        int at = Math.min(i, last);
        VectorMask<Float> rest = S.indexInRange(at - i, block - i);
        FloatVector dev = FloatVector.fromArray(S, x, at0 + at).sub(FloatVector.fromArray(S, w, center + at));
        FloatVector.fromArray(S, w, at).add(dev).intoArray(w, at, rest);
        dev.fma(dev, FloatVector.fromArray(S, w, sq + at)).intoArray(w, sq + at, rest);
      }
    }
    for (int ch = 0; ch < c; ch++) {
      double d = 0;
      double q = 0;
      for (int i = ch * l, end = i + l; i < end; i++) {
        d += w[i];
        q += w[sq + i];
      }
      double dm = d / m;
      double var = q / m - dm * dm;
      mean[meanOff + ch] = (float) (w[mid + ch] + dm);
      // max(0, NaN) would hide a NaN; keep NaN visible.
      variance[varianceOff + ch] = var < 0 ? 0f : (float) var;
    }
  }
}
