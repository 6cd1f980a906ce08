package drsn.tensor.simd;

import drsn.tensor.Elementwise;
import drsn.tensor.internal.BatchNormSpans;
import drsn.tensor.internal.BatchNormTraining;
import drsn.tensor.internal.Checks;
import drsn.tensor.internal.SpreadChecks;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels on the Vector API: one vector per step, then, in the kernels that run row by
 * row (affineRelu, batch norm's spans and its ReLU-fused channel pass, addSignTimes), the row's last
 * partial vector as the whole vector that ends the row, stored (or, in sums, loaded) under a mask;
 * a row narrower than a vector (the late layers of a short window have rows of 4 or 8) as the
 * vector that starts it, under a mask, where every array it touches holds a whole vector from
 * there; a scalar tail only for other rows shorter than a vector and in the other kernels, which
 * run once per tensor. Each lane performs
 * the same IEEE operations as {@link drsn.tensor.scalar.DefaultElementwise} (lanewise FMA where the
 * scalar twin calls {@link Math#fma}), so the two agree bit for bit except for exp (in sigmoid and
 * softmax), which here is {@link Lanes#exp}: within 2 ulps of {@link Math#exp}, and unlike the Vector
 * API's lanewise EXP the same whether the code runs interpreted or compiled.
 */
public final class PanamaElementwise implements Elementwise, BatchNormSpans {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int SIGN_BIT = 0x8000_0000;

  @Override
  public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len) {
    Checks.span("a", a, aOff, len);
    Checks.span("b", b, bOff, len);
    Checks.span("out", out, outOff, len);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    for (; i < len; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void multiply(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len) {
    Checks.span("a", a, aOff, len);
    Checks.span("b", b, bOff, len);
    Checks.span("out", out, outOff, len);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    for (; i < len; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector va = FloatVector.broadcast(S, alpha);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      va.mul(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = alpha * x[xOff + i];
    }
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector va = FloatVector.broadcast(S, alpha);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      va.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  @Override
  public void affine(float[] x, int xOff, float s, float t, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector vs = FloatVector.broadcast(S, s);
    FloatVector vt = FloatVector.broadcast(S, t);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).fma(vs, vt).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = Math.fma(x[xOff + i], s, t);
    }
  }

  @Override
  public void affineRelu(float[] x, int xOff, float s, float t, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    affineReluRow(x, xOff, s, t, y, yOff, len);
  }

  /** {@link #affineRelu} without its checks: also the direct convolutions' copy of an inference's input. */
  static void affineReluRow(float[] x, int xOff, float s, float t, float[] y, int yOff, int len) {
    FloatVector vs = FloatVector.broadcast(S, s);
    FloatVector vt = FloatVector.broadcast(S, t);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i).fma(vs, vt);
      v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + i); // max(v, 0): see relu
    }
    if (i < len && (len >= L || xOff + L <= x.length && yOff + L <= y.length)) { // the last partial vector: see the class comment
      int at = Math.max(len - L, 0);
      VectorMask<Float> m = S.indexInRange(at - i, len - i);
      FloatVector v = FloatVector.fromArray(S, x, xOff + at).fma(vs, vt);
      v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + at, m);
      i = len;
    }
    for (; i < len; i++) {
      y[yOff + i] = Math.max(Math.fma(x[xOff + i], s, t), 0f);
    }
  }

  @Override
  public void affinePerElement(float[] x, int xOff, float[] s, int sOff, float[] t, int tOff,
                               float[] y, int yOff, int len, boolean relu) {
    Checks.span("x", x, xOff, len);
    Checks.span("s", s, sOff, len);
    Checks.span("t", t, tOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i)
          .fma(FloatVector.fromArray(S, s, sOff + i), FloatVector.fromArray(S, t, tOff + i));
      (relu ? v.blend(zero, v.compare(VectorOperators.LE, 0f)) : v).intoArray(y, yOff + i); // max(v, 0): see relu
    }
    for (; i < len; i++) {
      float v = Math.fma(x[xOff + i], s[sOff + i], t[tOff + i]);
      y[yOff + i] = relu ? Math.max(v, 0f) : v;
    }
  }

  @Override
  public void shiftScale(float[] x, int xOff, float shift, float scale, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector vShift = FloatVector.broadcast(S, shift);
    FloatVector vScale = FloatVector.broadcast(S, scale);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).sub(vShift).mul(vScale).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = (x[xOff + i] - shift) * scale;
    }
  }

  @Override
  public void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                              float[] xhat, int xhatOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("xhat", xhat, xhatOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector vShift = FloatVector.broadcast(S, shift);
    FloatVector vScale = FloatVector.broadcast(S, scale);
    FloatVector vs = FloatVector.broadcast(S, s);
    FloatVector vt = FloatVector.broadcast(S, t);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector h = FloatVector.fromArray(S, x, xOff + i).sub(vShift).mul(vScale);
      h.intoArray(xhat, xhatOff + i);
      h.fma(vs, vt).intoArray(y, yOff + i);
    }
    if (i < len && len >= L) { // the row's last partial vector: the whole vector ending at len, stored masked
      int at = len - L;
      VectorMask<Float> m = S.indexInRange(at - i, len - i);
      FloatVector h = FloatVector.fromArray(S, x, xOff + at).sub(vShift).mul(vScale);
      h.intoArray(xhat, xhatOff + at, m);
      h.fma(vs, vt).intoArray(y, yOff + at, m);
      i = len;
    }
    for (; i < len; i++) {
      float h = (x[xOff + i] - shift) * scale;
      xhat[xhatOff + i] = h;
      y[yOff + i] = Math.fma(h, s, t);
    }
  }

  @Override
  public void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                              float[] y, int yOff, int len, boolean relu) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    normalizeAffineRow(x, xOff, shift, scale, s, t, y, yOff, len, relu);
  }

  /**
   * {@link #normalizeAffine(float[], int, float, float, float, float, float[], int, int, boolean)}'s
   * kernel, its spans checked by the caller: also the direct convolution's, which rebuilds batch
   * norm's output inside its weight gradient and must give these bits.
   */
  static void normalizeAffineRow(float[] x, int xOff, float shift, float scale, float s, float t, float[] y, int yOff,
                                 int len, boolean relu) {
    FloatVector vShift = FloatVector.broadcast(S, shift);
    FloatVector vScale = FloatVector.broadcast(S, scale);
    FloatVector vs = FloatVector.broadcast(S, s);
    FloatVector vt = FloatVector.broadcast(S, t);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    int bound = S.loopBound(len);
    if (relu) {
      for (; i < bound; i += L) {
        FloatVector v = FloatVector.fromArray(S, x, xOff + i).sub(vShift).mul(vScale).fma(vs, vt);
        v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + i); // max(v, 0): see relu
      }
    } else {
      for (; i < bound; i += L) {
        FloatVector.fromArray(S, x, xOff + i).sub(vShift).mul(vScale).fma(vs, vt).intoArray(y, yOff + i);
      }
    }
    if (i < len && (len >= L || xOff + L <= x.length && yOff + L <= y.length)) { // the last partial vector: see the class comment
      int at = Math.max(len - L, 0);
      VectorMask<Float> m = S.indexInRange(at - i, len - i);
      FloatVector v = FloatVector.fromArray(S, x, xOff + at).sub(vShift).mul(vScale).fma(vs, vt);
      (relu ? v.blend(zero, v.compare(VectorOperators.LE, 0f)) : v).intoArray(y, yOff + at, m);
      i = len;
    }
    for (; i < len; i++) {
      float v = Math.fma((x[xOff + i] - shift) * scale, s, t);
      y[yOff + i] = relu ? Math.max(v, 0f) : v;
    }
  }

  @Override
  public void combine(float a, float[] dy, int dyOff, float b, float[] xhat, int xhatOff, float c,
                      float[] dx, int dxOff, int len) {
    Checks.span("dy", dy, dyOff, len);
    Checks.span("xhat", xhat, xhatOff, len);
    Checks.span("dx", dx, dxOff, len);
    FloatVector va = FloatVector.broadcast(S, a);
    FloatVector vb = FloatVector.broadcast(S, b);
    FloatVector vc = FloatVector.broadcast(S, c);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector inner = vb.fma(FloatVector.fromArray(S, xhat, xhatOff + i), vc);
      va.fma(FloatVector.fromArray(S, dy, dyOff + i), inner).intoArray(dx, dxOff + i);
    }
    if (i < len && len >= L) { // the row's last partial vector: the whole vector ending at len, stored masked
      int at = len - L;
      VectorMask<Float> m = S.indexInRange(at - i, len - i);
      FloatVector inner = vb.fma(FloatVector.fromArray(S, xhat, xhatOff + at), vc);
      va.fma(FloatVector.fromArray(S, dy, dyOff + at), inner).intoArray(dx, dxOff + at, m);
      i = len;
    }
    for (; i < len; i++) {
      dx[dxOff + i] = Math.fma(a, dy[dyOff + i], Math.fma(b, xhat[xhatOff + i], c));
    }
  }

  @Override
  public void abs(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).abs().intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = Math.abs(x[xOff + i]);
    }
  }

  @Override
  public void absBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
      // Flip dy's sign where x is negative, then 0 where x is ±0, and x itself where x is NaN.
      IntVector sign = v.reinterpretAsInts().and(SIGN_BIT);
      FloatVector r = g.reinterpretAsInts().lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
      r = r.blend(zero, v.compare(VectorOperators.EQ, 0f));
      r = r.blend(v, v.compare(VectorOperators.NE, v));
      r.intoArray(dx, dxOff + i);
    }
    for (; i < len; i++) {
      float v = x[xOff + i];
      float g = dy[dyOff + i];
      dx[dxOff + i] = v > 0f ? g : v < 0f ? -g : v == 0f ? 0f : v;
    }
  }

  @Override
  public void addSignTimes(float[] x, int xOff, float c, float[] dst, int dstOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("dst", dst, dstOff, len);
    FloatVector zero = FloatVector.zero(S);
    IntVector g = FloatVector.broadcast(S, c).reinterpretAsInts();
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      // absBackward's lanes with dy = c, then add's.
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      IntVector sign = v.reinterpretAsInts().and(SIGN_BIT);
      FloatVector r = g.lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
      r = r.blend(zero, v.compare(VectorOperators.EQ, 0f));
      r = r.blend(v, v.compare(VectorOperators.NE, v));
      r.add(FloatVector.fromArray(S, dst, dstOff + i)).intoArray(dst, dstOff + i);
    }
    if (i < len && (len >= L || xOff + L <= x.length && dstOff + L <= dst.length)) { // the last partial vector: see the class comment
      int at = Math.max(len - L, 0);
      VectorMask<Float> m = S.indexInRange(at - i, len - i);
      FloatVector v = FloatVector.fromArray(S, x, xOff + at);
      IntVector sign = v.reinterpretAsInts().and(SIGN_BIT);
      FloatVector r = g.lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
      r = r.blend(zero, v.compare(VectorOperators.EQ, 0f));
      r = r.blend(v, v.compare(VectorOperators.NE, v));
      r.add(FloatVector.fromArray(S, dst, dstOff + at)).intoArray(dst, dstOff + at, m);
      i = len;
    }
    for (; i < len; i++) {
      float v = x[xOff + i];
      dst[dstOff + i] = (v > 0f ? c : v < 0f ? -c : v == 0f ? 0f : v) + dst[dstOff + i];
    }
  }

  @Override
  public void spread(float[] src, int srcOff, int len, int stride, float[] dst, int dstOff, int dstLen) {
    SpreadChecks.check(src, srcOff, len, stride, dst, dstOff, dstLen);
    int j = 0;
    if (stride == 2) {
      // Zipped with zeros a vector at a time (two stores per source vector) instead of a zero
      // fill and a scalar scatter.
      FloatVector zero = FloatVector.zero(S);
      for (; j + L <= len && 2 * (j + L) <= dstLen; j += L) {
        FloatVector a = FloatVector.fromArray(S, src, srcOff + j);
        a.rearrange(DirectConvolution.ZIP_LOW, zero).intoArray(dst, dstOff + 2 * j);
        a.rearrange(DirectConvolution.ZIP_HIGH, zero).intoArray(dst, dstOff + 2 * j + L);
      }
    }
    java.util.Arrays.fill(dst, dstOff + stride * j, dstOff + dstLen, 0f);
    for (; j < len; j++) {
      dst[dstOff + j * stride] = src[srcOff + j];
    }
  }

  @Override
  public void relu(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      // Math.max(v, 0f) as a compare and a blend: +0 where v ≤ 0 (−0 and negatives), v elsewhere
      // (positive or NaN) — the same bits as the lanewise MAX, which compiles to several
      // instructions per vector for Java's NaN and ±0 rules and made these loops bound by them.
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = Math.max(x[xOff + i], 0f);
    }
  }

  @Override
  public void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector.fromArray(S, dy, dyOff + i, v.compare(VectorOperators.GT, 0f)).intoArray(dx, dxOff + i);
    }
    for (; i < len; i++) {
      dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
  }

  @Override
  public void sigmoid(float[] x, int xOff, float[] y, int yOff, int len) {
    Checks.span("x", x, xOff, len);
    Checks.span("y", y, yOff, len);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int bound = S.loopBound(len);
    // e = exp(−x) into y first, then y = 1/(1 + e) in place: see Lanes.exp for why not in one loop.
    Lanes.exp(x, xOff, true, 0f, y, yOff, bound);
    int i = 0;
    for (; i < bound; i += L) {
      one.div(one.add(FloatVector.fromArray(S, y, yOff + i))).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = 1f / (1f + (float) Math.exp(-x[xOff + i]));
    }
  }

  @Override
  public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
    Checks.span("y", y, yOff, len);
    Checks.span("dy", dy, dyOff, len);
    Checks.span("dx", dx, dxOff, len);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector s = FloatVector.fromArray(S, y, yOff + i);
      FloatVector.fromArray(S, dy, dyOff + i).mul(s.mul(one.sub(s))).intoArray(dx, dxOff + i);
    }
    for (; i < len; i++) {
      float s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * (s * (1f - s));
    }
  }

  @Override
  public double softmax(float[] x, int xOff, float[] p, int pOff, int len) {
    Checks.positive("len (softmax of an empty row is undefined)", len);
    Checks.span("x", x, xOff, len);
    Checks.span("p", p, pOff, len);
    float m = PanamaReductions.maxOf(x, xOff, len);
    int bound = S.loopBound(len);
    // exp(x − m) into p first, then summed from p in the same order: see Lanes.exp for why.
    Lanes.exp(x, xOff, false, m, p, pOff, bound);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int i = 0;
    int bound2 = len & -(2 * L);
    for (; i < bound2; i += 2 * L) {
      a0 = a0.add(FloatVector.fromArray(S, p, pOff + i));
      a1 = a1.add(FloatVector.fromArray(S, p, pOff + i + L));
    }
    for (; i < bound; i += L) {
      a0 = a0.add(FloatVector.fromArray(S, p, pOff + i));
    }
    FloatVector sLanes = a0.add(a1);
    float sFloat;
    if (Lanes.TREE) { // a fixed tree of lanes (Lanes)
      FloatVector h = sLanes.add(sLanes.rearrange(Lanes.PAIR_8));
      h = h.add(h.rearrange(Lanes.PAIR_4));
      h = h.add(h.rearrange(Lanes.PAIR_2));
      sFloat = h.add(h.rearrange(Lanes.PAIR_1)).lane(0);
    } else {
      sFloat = sLanes.lane(0);
      for (int j = 1; j < L; j++) {
        sFloat += sLanes.lane(j);
      }
    }
    double s = sFloat;
    for (; i < len; i++) {
      float e = (float) Math.exp(x[xOff + i] - m);
      p[pOff + i] = e;
      s += e;
    }
    float inv = (float) (1.0 / s);
    FloatVector vinv = FloatVector.broadcast(S, inv);
    i = 0;
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, p, pOff + i).mul(vinv).intoArray(p, pOff + i);
    }
    for (; i < len; i++) {
      p[pOff + i] *= inv;
    }
    return m + Math.log(s);
  }

  @Override
  public void batchNormForward(int n, int c, int l, float[] x, int xOff, float[] mean, int meanOff,
                               float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                               float[] xhat, int xhatOff, float[] y, int yOff) {
    BatchNormTraining.forward(this, n, c, l, x, xOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff,
        xhat, xhatOff, y, yOff);
  }

  @Override
  public void batchNormForward(int n, int c, int l, float[] x, int xOff, float[] mean, int meanOff,
                               float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta, int betaOff,
                               float[] y, int yOff, boolean relu) {
    BatchNormTraining.forward(this, n, c, l, x, xOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff,
        y, yOff, relu);
  }

  @Override
  public void batchNormReluBackwardFromInput(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                             float[] mean, int meanOff, float[] gamma, int gammaOff,
                                             float[] beta, int betaOff, float[] invStd, int invStdOff,
                                             float[] dx, int dxOff, boolean accumulate,
                                             float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backwardReluFromInput(this, n, c, l, dy, dyOff, x, xOff, mean, meanOff, gamma, gammaOff, beta,
        betaOff, invStd, invStdOff, accumulate ? dx : null, dxOff, dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }

  @Override
  public void batchNormReluBackwardFromInputPlus(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                                 float[] mean, int meanOff, float[] gamma, int gammaOff,
                                                 float[] beta, int betaOff, float[] invStd, int invStdOff,
                                                 float[] addend, int addendOff, float[] dx, int dxOff,
                                                 float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backwardReluFromInputPlus(this, n, c, l, dy, dyOff, x, xOff, mean, meanOff, gamma, gammaOff,
        beta, betaOff, invStd, invStdOff, addend, addendOff, dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }

  @Override
  public void batchNormBackward(int n, int c, int l, float[] dy, int dyOff, float[] xhat, int xhatOff,
                                float[] gamma, int gammaOff, float[] invStd, int invStdOff,
                                float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backward(this, n, c, l, dy, dyOff, xhat, xhatOff, gamma, gammaOff, invStd, invStdOff,
        dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }
  @Override
  public void batchNormBackwardFromInput(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                         float[] mean, int meanOff, float[] gamma, int gammaOff,
                                         float[] invStd, int invStdOff, float[] dx, int dxOff,
                                         float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff) {
    BatchNormTraining.backwardFromInput(this, n, c, l, dy, dyOff, x, xOff, mean, meanOff, gamma, gammaOff, invStd,
        invStdOff, dx, dxOff, dgamma, dgammaOff, dbeta, dbetaOff);
  }

  /**
   * Each channel's sums in the same accumulators over all its rows: four of each sum, taking a row's
   * vectors in turn (one vector per iteration, the accumulators rotating through s0/d0, so the
   * rotation runs on across the channel's rows), a row's last partial vector as the whole vector
   * ending the row loaded under a mask (the lanes before it read zeros), the lanes summed once per
   * channel in lane order. The rows are walked in memory order, each channel's accumulators parked
   * in work between its rows. Rows narrower than a vector go as {@link #sumsAndDotsOfBlocks} when
   * a sample's rows fill a vector, else through a scalar loop into float sums.
   * work: [2c sums of the scalar rows | 8 vectors per channel].
   */
  @Override
  public void sumsAndDots(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff, float[] shift,
                          int shiftOff, float[] scale, int scaleOff, boolean relu, float[] gamma, int gammaOff,
                          float[] beta, int betaOff, double[] sums, float[] work) {
    if (l < L && c * l >= L && work.length >= 6 * c * l + RowValues.SLACK) {
      sumsAndDotsOfBlocks(n, c, l, dy, dyOff, x, xOff, shift, shiftOff, scale, scaleOff, relu, gamma, gammaOff, beta,
          betaOff, sums, work);
      return;
    }
    int acc = 2 * c;
    Arrays.fill(work, 0, acc + 8 * L * c, 0f);
    if (l >= L) {
      for (int row = 0; row < n; row++) {
        for (int ch = 0; ch < c; ch++) {
          int at = (row * c + ch) * l;
          rowSums(l, dy, dyOff + at, x, xOff + at, shift == null ? 0f : shift[shiftOff + ch],
              scale == null ? 1f : scale[scaleOff + ch], relu, relu ? gamma[gammaOff + ch] : 0f,
              relu ? beta[betaOff + ch] : 0f, work, acc + 8 * L * ch);
        }
      }
    } else {
      for (int row = 0; row < n; row++) {
        for (int ch = 0; ch < c; ch++) {
          int at = (row * c + ch) * l;
          float sh = shift == null ? 0f : shift[shiftOff + ch];
          float sc = scale == null ? 1f : scale[scaleOff + ch];
          float sum = work[2 * ch];
          float dot = work[2 * ch + 1];
          for (int i = 0; i < l; i++) {
            float h = (x[xOff + at + i] - sh) * sc;
            float g = !relu || Math.fma(h, gamma[gammaOff + ch], beta[betaOff + ch]) > 0f ? dy[dyOff + at + i] : 0f;
            sum += g;
            dot = Math.fma(g, h, dot);
          }
          work[2 * ch] = sum;
          work[2 * ch + 1] = dot;
        }
      }
    }
    for (int ch = 0; ch < c; ch++) {
      int a = acc + 8 * L * ch;
      sums[2 * ch] = laneSum(work, a, a + L, a + 2 * L, a + 3 * L) + work[2 * ch];
      sums[2 * ch + 1] = laneSum(work, a + 4 * L, a + 5 * L, a + 6 * L, a + 7 * L) + work[2 * ch + 1];
    }
  }

  @Override
  public int sumsWorkSize(int c) {
    return 2 * c + 8 * L * c;
  }

  /**
   * {@link #sumsAndDots} for rows narrower than a vector (the late layers of a short window, whose
   * rows went a float at a time: 15 % of a training step at L = 64): a sample's rows are one
   * contiguous block of c·l floats, taken a vector at a time (the last the whole vector ending the
   * block, its lanes before the block's last partial vector left alone), each lane with its
   * channel's shift, scale, γ and β (expanded once per call into work), into one sum and one dot
   * per position of the block, over the samples in order; then each channel's positions in order
   * into its two sums. An order of its own, fixed by n, c and l. work: [Σ per position | dot per
   * position | shift, scale, γ, β per position | a vector of slack].
   */
  private static void sumsAndDotsOfBlocks(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                          float[] shift, int shiftOff, float[] scale, int scaleOff, boolean relu,
                                          float[] gamma, int gammaOff, float[] beta, int betaOff, double[] sums,
                                          float[] work) {
    int block = c * l;
    int dots = block, sh = 2 * block, sc = 3 * block, ga = 4 * block, be = 5 * block;
    Arrays.fill(work, 0, 2 * block, 0f);
    // in address order: each array's last spill lands in the next one's start, before it is written
    if (shift == null) {
      Arrays.fill(work, sh, sh + block, 0f);
    } else {
      RowValues.spread(shift, shiftOff, 1, c, l, work, sh);
    }
    if (scale == null) {
      Arrays.fill(work, sc, sc + block, 1f);
    } else {
      RowValues.spread(scale, scaleOff, 1, c, l, work, sc);
    }
    if (relu) {
      RowValues.spread(gamma, gammaOff, 1, c, l, work, ga);
      RowValues.spread(beta, betaOff, 1, c, l, work, be);
    }
    int last = block - L;
    for (int row = 0; row < n; row++) {
      int at0 = row * block;
      for (int i = 0; i < block; i += L) {
        int at = Math.min(i, last);
        VectorMask<Float> m = S.indexInRange(at - i, block - i); // not the lanes the vector before took
        FloatVector h = FloatVector.fromArray(S, x, xOff + at0 + at).sub(FloatVector.fromArray(S, work, sh + at))
            .mul(FloatVector.fromArray(S, work, sc + at));
        VectorMask<Float> kept = relu ? m.and(h.fma(FloatVector.fromArray(S, work, ga + at),
            FloatVector.fromArray(S, work, be + at)).compare(VectorOperators.GT, 0f)) : m;
        FloatVector g = FloatVector.fromArray(S, dy, dyOff + at0 + at, kept);
        FloatVector.fromArray(S, work, at).add(g).intoArray(work, at, m);
        g.fma(h, FloatVector.fromArray(S, work, dots + at)).intoArray(work, dots + at, m);
      }
    }
    for (int ch = 0; ch < c; ch++) {
      float sum = 0f;
      float dot = 0f;
      for (int i = ch * l, end = i + l; i < end; i++) {
        sum += work[i];
        dot += work[dots + i];
      }
      sums[2 * ch] = sum;
      sums[2 * ch + 1] = dot;
    }
  }

  /** The lanes of (v0 + v1) + (v2 + v3), the four vectors at work[a0..], work[a1..], …, summed in lane order. */
  private static float laneSum(float[] work, int a0, int a1, int a2, int a3) {
    FloatVector v = FloatVector.fromArray(S, work, a0).add(FloatVector.fromArray(S, work, a1))
        .add(FloatVector.fromArray(S, work, a2).add(FloatVector.fromArray(S, work, a3)));
    if (L == 16) { // constant lane indices: C2 does not unroll a loop over lane(j)
      return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7)
          + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14) + v.lane(15);
    }
    float sum = v.lane(0);
    for (int j = 1; j < L; j++) {
      sum += v.lane(j);
    }
    return sum;
  }

  // One row (at least a vector long) of sumsAndDots into its channel's accumulators at work[acc..];
  // when relu, of dy masked where fma(x̂, s, t) is not > 0 (relu is the same for every row of a
  // call, so the branch in the loop is loop-invariant: C2 takes it out).
  private static void rowSums(int l, float[] dy, int dyAt, float[] x, int xAt, float shift, float scale,
                              boolean relu, float s, float t, float[] work, int acc) {
    FloatVector vShift = FloatVector.broadcast(S, shift);
    FloatVector vScale = FloatVector.broadcast(S, scale);
    FloatVector vs = FloatVector.broadcast(S, s);
    FloatVector vt = FloatVector.broadcast(S, t);
    FloatVector s0 = FloatVector.fromArray(S, work, acc);
    FloatVector s1 = FloatVector.fromArray(S, work, acc + L);
    FloatVector s2 = FloatVector.fromArray(S, work, acc + 2 * L);
    FloatVector s3 = FloatVector.fromArray(S, work, acc + 3 * L);
    FloatVector d0 = FloatVector.fromArray(S, work, acc + 4 * L);
    FloatVector d1 = FloatVector.fromArray(S, work, acc + 5 * L);
    FloatVector d2 = FloatVector.fromArray(S, work, acc + 6 * L);
    FloatVector d3 = FloatVector.fromArray(S, work, acc + 7 * L);
    int bound = S.loopBound(l);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector h = FloatVector.fromArray(S, x, xAt + i).sub(vShift).mul(vScale);
      // masked, dy where the ReLU kept its input and +0 elsewhere: a masked load, not a load and a blend
      FloatVector g = relu ? FloatVector.fromArray(S, dy, dyAt + i, h.fma(vs, vt).compare(VectorOperators.GT, 0f))
          : FloatVector.fromArray(S, dy, dyAt + i);
      FloatVector sNext = s0.add(g);
      FloatVector dNext = g.fma(h, d0);
      s0 = s1;
      s1 = s2;
      s2 = s3;
      s3 = sNext;
      d0 = d1;
      d1 = d2;
      d2 = d3;
      d3 = dNext;
    }
    if (i < l) { // the row's last partial vector: the whole vector ending the row, loaded masked
      int at = l - L;
      VectorMask<Float> rest = S.indexInRange(at - i, l - i);
      FloatVector h = FloatVector.fromArray(S, x, xAt + at, rest).sub(vShift).mul(vScale);
      FloatVector g = FloatVector.fromArray(S, dy, dyAt + at,
          relu ? rest.and(h.fma(vs, vt).compare(VectorOperators.GT, 0f)) : rest);
      FloatVector sNext = s0.add(g);
      FloatVector dNext = g.fma(h, d0);
      s0 = s1;
      s1 = s2;
      s2 = s3;
      s3 = sNext;
      d0 = d1;
      d1 = d2;
      d2 = d3;
      d3 = dNext;
    }
    s0.intoArray(work, acc);
    s1.intoArray(work, acc + L);
    s2.intoArray(work, acc + 2 * L);
    s3.intoArray(work, acc + 3 * L);
    d0.intoArray(work, acc + 4 * L);
    d1.intoArray(work, acc + 5 * L);
    d2.intoArray(work, acc + 6 * L);
    d3.intoArray(work, acc + 7 * L);
  }

  @Override
  public void combineNormalized(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift,
                                float scale, float c, float[] dx, int dxOff, int len) {
    Checks.span("dy", dy, dyOff, len);
    Checks.span("x", x, xOff, len);
    Checks.span("dx", dx, dxOff, len);
    FloatVector va = FloatVector.broadcast(S, a);
    FloatVector vb = FloatVector.broadcast(S, b);
    FloatVector vc = FloatVector.broadcast(S, c);
    FloatVector vShift = FloatVector.broadcast(S, shift);
    FloatVector vScale = FloatVector.broadcast(S, scale);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector h = FloatVector.fromArray(S, x, xOff + i).sub(vShift).mul(vScale);
      va.fma(FloatVector.fromArray(S, dy, dyOff + i), vb.fma(h, vc)).intoArray(dx, dxOff + i);
    }
    if (i < len && len >= L) { // the row's last partial vector: the whole vector ending at len, stored masked
      int at = len - L;
      VectorMask<Float> m = S.indexInRange(at - i, len - i);
      FloatVector h = FloatVector.fromArray(S, x, xOff + at).sub(vShift).mul(vScale);
      va.fma(FloatVector.fromArray(S, dy, dyOff + at), vb.fma(h, vc)).intoArray(dx, dxOff + at, m);
      i = len;
    }
    for (; i < len; i++) {
      dx[dxOff + i] = Math.fma(a, dy[dyOff + i], Math.fma(b, (x[xOff + i] - shift) * scale, c));
    }
  }

  @Override
  public void combineNormalizedRelu(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift,
                                    float scale, float s, float t, float c, float[] addend, int addendOff,
                                    float[] dx, int dxOff, int len) {
    Checks.span("dy", dy, dyOff, len);
    Checks.span("x", x, xOff, len);
    Checks.span("dx", dx, dxOff, len);
    if (addend != null) {
      Checks.span("addend", addend, addendOff, len);
    }
    FloatVector va = FloatVector.broadcast(S, a);
    FloatVector vb = FloatVector.broadcast(S, b);
    FloatVector vc = FloatVector.broadcast(S, c);
    FloatVector vShift = FloatVector.broadcast(S, shift);
    FloatVector vScale = FloatVector.broadcast(S, scale);
    FloatVector vs = FloatVector.broadcast(S, s);
    FloatVector vt = FloatVector.broadcast(S, t);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += L) {
      FloatVector h = FloatVector.fromArray(S, x, xOff + i).sub(vShift).mul(vScale);
      FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, h.fma(vs, vt).compare(VectorOperators.GT, 0f));
      FloatVector r = va.fma(g, vb.fma(h, vc));
      (addend != null ? r.add(FloatVector.fromArray(S, addend, addendOff + i)) : r).intoArray(dx, dxOff + i);
    }
    if (i < len && len >= L) { // the row's last partial vector: the whole vector ending at len, stored masked
      int at = len - L;
      VectorMask<Float> m = S.indexInRange(at - i, len - i);
      FloatVector h = FloatVector.fromArray(S, x, xOff + at).sub(vShift).mul(vScale);
      FloatVector g = FloatVector.fromArray(S, dy, dyOff + at, h.fma(vs, vt).compare(VectorOperators.GT, 0f));
      FloatVector r = va.fma(g, vb.fma(h, vc));
      (addend != null ? r.add(FloatVector.fromArray(S, addend, addendOff + at)) : r).intoArray(dx, dxOff + at, m);
      i = len;
    }
    for (; i < len; i++) {
      float h = (x[xOff + i] - shift) * scale;
      float g = Math.fma(h, s, t) > 0f ? dy[dyOff + i] : 0f;
      float r = Math.fma(a, g, Math.fma(b, h, c));
      dx[dxOff + i] = addend != null ? r + addend[addendOff + i] : r;
    }
  }

  /**
   * The default's rows, bit for bit: the loop of {@link #combineNormalizedRelu} written inline over
   * the rows in memory order, so no call per row (a row kernel's loop, compiled once for every row
   * length, was slow on rows of 128).
   */
  @Override
  public void combineRowsRelu(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff, float[] coef,
                              float[] addend, int addendOff, float[] dx, int dxOff) {
    int block = c * l;
    if (l < L && block >= L && coef.length - 7 * c >= 7 * block + RowValues.SLACK) {
      combineBlocksRelu(n, c, l, dy, dyOff, x, xOff, coef, addend, addendOff, dx, dxOff);
      return;
    }
    int bound = S.loopBound(l);
    for (int row = 0; row < n; row++) {
      for (int ch = 0; ch < c; ch++) {
        int p = 7 * ch;
        float shift = coef[p];
        float scale = coef[p + 1];
        float s = coef[p + 2];
        float t = coef[p + 3];
        float a = coef[p + 4];
        float b = coef[p + 5];
        float k = coef[p + 6];
        FloatVector vShift = FloatVector.broadcast(S, shift);
        FloatVector vScale = FloatVector.broadcast(S, scale);
        FloatVector vs = FloatVector.broadcast(S, s);
        FloatVector vt = FloatVector.broadcast(S, t);
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        FloatVector vc = FloatVector.broadcast(S, k);
        int at0 = (row * c + ch) * l;
        int xAt = xOff + at0;
        int dyAt = dyOff + at0;
        int dxAt = dxOff + at0;
        int addAt = addendOff + at0;
        int i = 0;
        for (; i < bound; i += L) {
          FloatVector h = FloatVector.fromArray(S, x, xAt + i).sub(vShift).mul(vScale);
          // dy where the ReLU kept its input, +0 elsewhere: a masked load rather than a load and a blend
          FloatVector g = FloatVector.fromArray(S, dy, dyAt + i, h.fma(vs, vt).compare(VectorOperators.GT, 0f));
          FloatVector r = va.fma(g, vb.fma(h, vc));
          (addend != null ? r.add(FloatVector.fromArray(S, addend, addAt + i)) : r).intoArray(dx, dxAt + i);
        }
        if (i < l && l >= L) { // the row's last partial vector: the whole vector ending the row, stored masked
          int at = l - L;
          VectorMask<Float> m = S.indexInRange(at - i, l - i);
          FloatVector h = FloatVector.fromArray(S, x, xAt + at).sub(vShift).mul(vScale);
          FloatVector g = FloatVector.fromArray(S, dy, dyAt + at, h.fma(vs, vt).compare(VectorOperators.GT, 0f));
          FloatVector r = va.fma(g, vb.fma(h, vc));
          (addend != null ? r.add(FloatVector.fromArray(S, addend, addAt + at)) : r).intoArray(dx, dxAt + at, m);
          i = l;
        }
        for (; i < l; i++) {
          float h = (x[xAt + i] - shift) * scale;
          float g = Math.fma(h, s, t) > 0f ? dy[dyAt + i] : 0f;
          float r = Math.fma(a, g, Math.fma(b, h, k));
          dx[dxAt + i] = addend != null ? r + addend[addAt + i] : r;
        }
      }
    }
  }


  /**
   * {@link #combineRowsRelu} for rows narrower than a vector (the late layers of a short window,
   * where the row loop ran each row's few floats through the scalar tail: 17 % of a training step
   * at L = 64): a sample's rows are one contiguous block of c·l floats, so the whole block goes a
   * vector at a time (the last the whole vector ending the block, stored masked), each lane with
   * its own channel's coefficients, expanded once per call into coef after its 7·c floats
   * (coefficient j of position i at coef[7c + j·c·l + i]). Lanewise the operations of the row
   * kernel, so the same bits.
   */
  private static void combineBlocksRelu(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                        float[] coef, float[] addend, int addendOff, float[] dx, int dxOff) {
    int block = c * l;
    int e = 7 * c;
    // in address order: each coefficient's last spill lands in the next one's start, the last one's
    // in the room the caller checked
    for (int j = 0; j < 7; j++) {
      RowValues.spread(coef, j, 7, c, l, coef, e + j * block);
    }
    int last = block - L;
    for (int row = 0; row < n; row++) {
      int at0 = row * block;
      for (int i = 0; i < block; i += L) {
        int at = Math.min(i, last);
        VectorMask<Float> m = S.indexInRange(at - i, block - i); // not the lanes the vector before wrote
        int k = e + at;
        FloatVector h = FloatVector.fromArray(S, x, xOff + at0 + at).sub(FloatVector.fromArray(S, coef, k))
            .mul(FloatVector.fromArray(S, coef, k + block));
        FloatVector vs = FloatVector.fromArray(S, coef, k + 2 * block);
        FloatVector vt = FloatVector.fromArray(S, coef, k + 3 * block);
        FloatVector g = FloatVector.fromArray(S, dy, dyOff + at0 + at, h.fma(vs, vt).compare(VectorOperators.GT, 0f));
        FloatVector r = FloatVector.fromArray(S, coef, k + 4 * block).fma(g,
            FloatVector.fromArray(S, coef, k + 5 * block).fma(h, FloatVector.fromArray(S, coef, k + 6 * block)));
        (addend != null ? r.add(FloatVector.fromArray(S, addend, addendOff + at0 + at)) : r)
            .intoArray(dx, dxOff + at0 + at, m);
      }
    }
  }
}
