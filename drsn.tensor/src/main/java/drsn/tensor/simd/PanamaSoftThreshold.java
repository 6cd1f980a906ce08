package drsn.tensor.simd;

import drsn.tensor.SoftThreshold;
import drsn.tensor.internal.Checks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Soft thresholding on the Vector API. The forward gives the bits of
 * {@link drsn.tensor.scalar.DefaultSoftThreshold}'s x − min(max(x, −τ), τ) lane by lane, as
 * x − (|x| > τ ? copysign(τ, x) : x): the clamp is τ with x's sign where |x| > τ and x itself
 * elsewhere, so the difference is x ∓ τ or exactly +0 (x − x), and NaN for a NaN x (|NaN| > τ is
 * false, NaN − NaN). This select costs a compare and a blend where the lanewise max and min cost
 * several instructions each (Java's NaN and ±0 rules), which made the loop bound by instructions,
 * not memory. A NaN τ (the clamp would be NaN, so every output NaN) takes the scalar loop. The
 * backward's ∂L/∂τ is summed in float in two vector accumulators.
 */
public final class PanamaSoftThreshold implements SoftThreshold {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int SIGN_BIT = 0x8000_0000;

  /**
   * Source lane 2i of the pair (a, b): rearranging a with it and b gives the even lanes of a then
   * of b (indexes ≥ L select from b), as in DirectConvolution's stride-2 phase split, where it was
   * measured twice as fast as the two-source selectFrom.
   */
  private static final VectorShuffle<Float> EVEN_LANES = VectorShuffle.fromOp(S, i -> 2 * i);

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
    FloatVector t = FloatVector.broadcast(S, tau);
    IntVector tBits = t.reinterpretAsInts();
    int i = 0;
    int bound = tau == tau ? S.loopBound(len) : 0; // a NaN τ: the scalar loop below (see the class comment)
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector edge = v.reinterpretAsInts().and(SIGN_BIT).or(tBits).reinterpretAsFloats();
      v.sub(v.blend(edge, v.abs().compare(VectorOperators.GT, t))).intoArray(y, yOff + i);
    }
    if (tau == tau && i < len && (len >= L || xOff + L <= x.length && yOff + L <= y.length)) { // the row's last
      // partial vector: the whole vector ending at len, stored masked (a row narrower than a vector: the vector
      // starting it, where both arrays hold a whole vector from there)
      int at = Math.max(len - L, 0);
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      FloatVector v = FloatVector.fromArray(S, x, xOff + at);
      FloatVector edge = v.reinterpretAsInts().and(SIGN_BIT).or(tBits).reinterpretAsFloats();
      v.sub(v.blend(edge, v.abs().compare(VectorOperators.GT, t))).intoArray(y, yOff + at, rest);
      i = len;
    }
    for (; i < len; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v - Math.min(Math.max(v, negTau), tau);
    }
  }

  @Override
  public void forwardAdd(float[] x, int xOff, float[] a, int aOff, int aStride, float[] y, int yOff, int len,
                         float tau) {
    Checks.span("x", x, xOff, len);
    Checks.strided("a", a, aOff, aStride, len);
    Checks.span("y", y, yOff, len);
    Checks.threshold(tau);
    addRow(x, xOff, a, aOff, aStride, y, yOff, len, tau);
  }

  @Override
  public void forwardAddRows(int rows, int len, float[] x, int xOff, float[] tau, int tauOff, int tauStride,
                             float[] a, int aOff, int aStride, int aRowStride, float[] y, int yOff) {
    Checks.softThresholdRows(rows, len, x, xOff, tau, tauOff, tauStride, a, aOff, aStride, aRowStride, y, yOff);
    for (int r = 0; r < rows; r++) {
      addRow(x, xOff + r * len, a, aOff + r * aRowStride, aStride, y, yOff + r * len, len,
          tau[tauOff + r * tauStride]);
    }
  }

  // forwardAdd's row, its arguments checked
  private static void addRow(float[] x, int xOff, float[] a, int aOff, int aStride, float[] y, int yOff, int len,
                             float tau) {
    int i = 0;
    if (tau == Float.POSITIVE_INFINITY) {
      for (; i < len; i++) {
        float v = x[xOff + i];
        y[yOff + i] = (v != v ? v : 0f) + a[aOff + i * aStride];
      }
      return;
    }
    float negTau = -tau;
    FloatVector t = FloatVector.broadcast(S, tau);
    IntVector tBits = t.reinterpretAsInts();
    // The forward's vector body, then the add. Vectors stay inside this method: passed to a helper
    // that C2 does not inline, they would be boxed (an allocation per call).
    int vectorLen = tau == tau ? len : 0; // a NaN τ: all in the scalar loop (see the class comment)
    if (aStride == 1) {
      int bound = S.loopBound(vectorLen);
      for (; i < bound; i += L) {
        FloatVector v = FloatVector.fromArray(S, x, xOff + i);
        FloatVector edge = v.reinterpretAsInts().and(SIGN_BIT).or(tBits).reinterpretAsFloats();
        v.sub(v.blend(edge, v.abs().compare(VectorOperators.GT, t))).add(FloatVector.fromArray(S, a, aOff + i))
            .intoArray(y, yOff + i);
      }
      if (vectorLen > 0 && i < len && (len >= L || xOff + L <= x.length && aOff + L <= a.length
          && yOff + L <= y.length)) { // as in forward
        int at = Math.max(len - L, 0);
        VectorMask<Float> rest = S.indexInRange(at - i, len - i);
        FloatVector v = FloatVector.fromArray(S, x, xOff + at);
        FloatVector edge = v.reinterpretAsInts().and(SIGN_BIT).or(tBits).reinterpretAsFloats();
        v.sub(v.blend(edge, v.abs().compare(VectorOperators.GT, t))).add(FloatVector.fromArray(S, a, aOff + at))
            .intoArray(y, yOff + at, rest);
        i = len;
      }
    } else if (aStride == 2) {
      // The stride-2 shortcut: two loads and a rearrange pick a's even lanes, instead of one float
      // at a time. The second load may read one float past the span's last element, inside a.
      for (; i + L <= vectorLen && aOff + 2 * (i + L) <= a.length; i += L) {
        int at = aOff + 2 * i;
        FloatVector s = FloatVector.fromArray(S, a, at).rearrange(EVEN_LANES, FloatVector.fromArray(S, a, at + L));
        FloatVector v = FloatVector.fromArray(S, x, xOff + i);
        FloatVector edge = v.reinterpretAsInts().and(SIGN_BIT).or(tBits).reinterpretAsFloats();
        v.sub(v.blend(edge, v.abs().compare(VectorOperators.GT, t))).add(s).intoArray(y, yOff + i);
      }
    }
    for (; i < len; i++) {
      float v = x[xOff + i];
      float shrunk = v - Math.min(Math.max(v, negTau), tau);
      y[yOff + i] = shrunk + a[aOff + i * aStride];
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
      FloatVector v1 = FloatVector.fromArray(S, x, xOff + i + L);
      // dy where kept, +0 elsewhere: masked loads rather than loads and blends
      FloatVector d0 = FloatVector.fromArray(S, dy, dyOff + i, v0.abs().compare(VectorOperators.GT, t));
      FloatVector d1 = FloatVector.fromArray(S, dy, dyOff + i + L, v1.abs().compare(VectorOperators.GT, t));
      d0.intoArray(dx, dxOff + i);
      d1.intoArray(dx, dxOff + i + L);
      // sign(v)·d for the kept lanes: d's sign bit flipped where v is negative (d is 0 elsewhere)
      acc0 = acc0.add(d0.reinterpretAsInts().lanewise(VectorOperators.XOR, v0.reinterpretAsInts().and(SIGN_BIT))
          .reinterpretAsFloats());
      acc1 = acc1.add(d1.reinterpretAsInts().lanewise(VectorOperators.XOR, v1.reinterpretAsInts().and(SIGN_BIT))
          .reinterpretAsFloats());
    }
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector d = FloatVector.fromArray(S, dy, dyOff + i, v.abs().compare(VectorOperators.GT, t));
      d.intoArray(dx, dxOff + i);
      acc0 = acc0.add(d.reinterpretAsInts().lanewise(VectorOperators.XOR, v.reinterpretAsInts().and(SIGN_BIT))
          .reinterpretAsFloats());
    }
    if (i < len && len >= L) {
      // The last partial vector, loaded and stored under a mask: the lanes before i read zeros, so
      // they add nothing and write nothing (dx may be dy or x). A scalar tail cost more than the
      // row's vectors on rows like 250 floats.
      int at = len - L;
      VectorMask<Float> rest = S.indexInRange(at - i, len - i);
      FloatVector v = FloatVector.fromArray(S, x, xOff + at, rest);
      FloatVector d = FloatVector.fromArray(S, dy, dyOff + at, rest.and(v.abs().compare(VectorOperators.GT, t)));
      d.intoArray(dx, dxOff + at, rest);
      acc0 = acc0.add(d.reinterpretAsInts().lanewise(VectorOperators.XOR, v.reinterpretAsInts().and(SIGN_BIT))
          .reinterpretAsFloats());
      i = len;
    }
    FloatVector signedLanes = acc0.add(acc1);
    float signed;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector h = signedLanes.add(signedLanes.rearrange(Lanes.PAIR_8));
      h = h.add(h.rearrange(Lanes.PAIR_4));
      h = h.add(h.rearrange(Lanes.PAIR_2));
      signed = h.add(h.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      signed = signedLanes.lane(0);
      for (int j = 1; j < L; j++) {
        signed += signedLanes.lane(j);
      }
    }
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

  /** Per-thread scratch of {@link #backwardPerChannel} on short rows; grown, never shrunk. */
  private static final ThreadLocal<float[]> ROW_TERMS = ThreadLocal.withInitial(() -> new float[0]);

  /** Floats of rows that {@link #backwardPerChannel} takes at once on short rows (its scratch is twice that). */
  private static final int SHORT_ROWS_SPAN = 1 << 15;

  /**
   * Rows narrower than a vector (the late layers of a short window, whose rows went a float at a
   * time through {@link #backward}'s scalar tail: 9 % of a training step at L = 64) as spans of
   * whole rows: each lane with its row's τ (expanded once per span), dx as the row kernel writes it
   * and each position's term of ∂L/∂τ (sign(x)·dy where kept, ±0 elsewhere) into a scratch row,
   * then each row's terms added in order from +0, as the scalar tail adds them (a ±0 term leaves a
   * sum that started at +0 as it is), so the same bits. Other shapes, and a last span narrower
   * than a vector: a row at a time, as the default.
   */
  @Override
  public void backwardPerChannel(int n, int c, int l, float[] x, int xOff, float[] tau, int tauOff, float[] dy,
                                 int dyOff, float[] dx, int dxOff, float[] dtau, int dtauOff) {
    long size = (long) n * c * l;
    if (l >= L || size < L) {
      SoftThreshold.super.backwardPerChannel(n, c, l, x, xOff, tau, tauOff, dy, dyOff, dx, dxOff, dtau, dtauOff);
      return;
    }
    Checks.span("x [n, c, l]", x, xOff, size);
    Checks.span("dy [n, c, l]", dy, dyOff, size);
    Checks.span("tau [n, c]", tau, tauOff, (long) n * c);
    Checks.span("dx [n, c, l]", dx, dxOff, size);
    Checks.span("dtau [n, c]", dtau, dtauOff, (long) n * c);
    int rows = n * c; // ≤ size, which the spans above bound by an array's length
    for (int r = 0; r < rows; r++) {
      Checks.threshold(tau[tauOff + r]);
    }
    int chunk = SHORT_ROWS_SPAN / l;
    float[] w = ROW_TERMS.get();
    if (w.length < 2 * chunk * l + RowValues.SLACK) {
      w = new float[2 * chunk * l + RowValues.SLACK];
      ROW_TERMS.set(w);
    }
    for (int r0 = 0; r0 < rows; r0 += chunk) {
      int nr = Math.min(chunk, rows - r0);
      int at0 = r0 * l;
      if (nr * l < L) {
        for (int r = r0; r < rows; r++) {
          dtau[dtauOff + r] = backward(x, xOff + r * l, dy, dyOff + r * l, dx, dxOff + r * l, l, tau[tauOff + r]);
        }
        break;
      }
      shortRows(nr, l, x, xOff + at0, tau, tauOff + r0, dy, dyOff + at0, dx, dxOff + at0, dtau, dtauOff + r0, w);
    }
  }

  // backwardPerChannel's span of rows rows of l (rows·l ≥ L) with the scratch w: [τ per position, a vector of
  // slack | terms per position]
  private static void shortRows(int rows, int l, float[] x, int xOff, float[] tau, int tauOff, float[] dy, int dyOff,
                                float[] dx, int dxOff, float[] dtau, int dtauOff, float[] w) {
    int span = rows * l;
    int terms = span + RowValues.SLACK;
    RowValues.spread(tau, tauOff, 1, rows, l, w, 0);
    int last = span - L;
    for (int i = 0; i < span; i += L) {
      int at = Math.min(i, last);
      VectorMask<Float> rest = S.indexInRange(at - i, span - i); // not the lanes the vector before took
      FloatVector v = FloatVector.fromArray(S, x, xOff + at, rest);
      FloatVector d = FloatVector.fromArray(S, dy, dyOff + at,
          rest.and(v.abs().compare(VectorOperators.GT, FloatVector.fromArray(S, w, at))));
      d.intoArray(dx, dxOff + at, rest);
      d.reinterpretAsInts().lanewise(VectorOperators.XOR, v.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats()
          .intoArray(w, terms + at, rest);
    }
    for (int r = 0, t = terms; r < rows; r++) {
      float signed = 0f;
      for (int end = t + l; t < end; t++) {
        signed += w[t];
      }
      dtau[dtauOff + r] = -signed;
    }
  }
}
