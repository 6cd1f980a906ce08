package drsn.tensor.internal;

/**
 * The fused span and channel kernels batch norm's training passes are built from
 * ({@link BatchNormTraining}), implemented by the scalar and the SIMD elementwise kernels. Internal:
 * callers use {@link drsn.tensor.Elementwise#batchNormForward} and
 * {@link drsn.tensor.Elementwise#batchNormBackward}. Same rules as {@link drsn.tensor.Elementwise}'s
 * spans (outputs may alias an input exactly, NaN propagates, bad spans are an
 * {@link IllegalArgumentException}); scalar and SIMD agree bit for bit on the elementwise maps, and
 * within rounding on the sums, which each adds in its own fixed order.
 */
public interface BatchNormSpans {

  /**
   * The two steps of batch norm's training forward fused into one pass over a span:
   * xhat[i] = (x[i] − shift)·scale, then y[i] = fma(xhat[i], s, t); bit for bit the same as
   * shiftScale followed by affine. y may alias x; xhat must not. NaN propagates.
   */
  void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                       float[] xhat, int xhatOff, float[] y, int yOff, int len);

  /**
   * {@link #normalizeAffine} without writing x̂: y[i] = fma((x[i] − shift)·scale, s, t), then
   * max(·, 0) when {@code relu} (bit for bit normalizeAffine followed by relu). y may alias x.
   */
  void normalizeAffine(float[] x, int xOff, float shift, float scale, float s, float t,
                       float[] y, int yOff, int len, boolean relu);

  /**
   * dx[i] = a·dy[i] + b·xhat[i] + c, computed as fma(a, dy, fma(b, xhat, c)): the combination of
   * batch norm's training backward. NaN in any input gives NaN.
   */
  void combine(float a, float[] dy, int dyOff, float b, float[] xhat, int xhatOff, float c,
               float[] dx, int dxOff, int len);

  /**
   * Σdy and Σdy·x̂ of every channel of [n, c, l] dy and x into sums[2·ch] and sums[2·ch + 1],
   * x̂[i] = (x[i] − shift[ch])·scale[ch] recomputed from the forward input (shift and scale null: 0
   * and 1, which give a stored x̂ exactly); when {@code relu}, of ReLU's backward of dy: dy[i] where
   * the forward output fma(x̂[i], gamma[ch], beta[ch]) > 0, else 0 (bit for bit reluBackward into a
   * buffer, then these sums over it). One sum per channel over all its rows, not one per row: the
   * SIMD implementation keeps a channel's accumulators across its rows and sums their lanes once
   * (two lane sums per row had cost as much as a row's arithmetic on rows of 128), and walks the
   * rows in memory order (a channel at a time, reading x cold after the forward, took 34 instead of
   * 27 µs per call at 32 × 16 × 128). work ({@link #sumsWorkSize} floats) is scratch. Arguments checked by the caller.
   */
  void sumsAndDots(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff, float[] shift, int shiftOff,
                   float[] scale, int scaleOff, boolean relu, float[] gamma, int gammaOff, float[] beta, int betaOff,
                   double[] sums, float[] work);

  /** Floats of work that {@link #sumsAndDots} needs for c channels. */
  int sumsWorkSize(int c);

  /**
   * {@link #combine} with x̂[i] = (x[i] − shift)·scale recomputed from the forward input: bit for
   * bit the same dx. dx may alias dy, not x.
   */
  void combineNormalized(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift, float scale,
                         float c, float[] dx, int dxOff, int len);

  /**
   * {@link #combineNormalized} of ReLU's backward of dy as in {@link #sumsAndDots};
   * dx[i] = result + addend[i] (as {@code add(result, addend)}) where addend is not null, else
   * dx[i] = result. addend may be dx itself (at dxOff); dx may alias dy when addend is not dy; x
   * aliases neither. Arguments already checked.
   */
  void combineNormalizedRelu(float a, float[] dy, int dyOff, float b, float[] x, int xOff, float shift, float scale,
                             float s, float t, float c, float[] addend, int addendOff, float[] dx, int dxOff, int len);

  /**
   * {@link #combineNormalizedRelu} over every row of [n, c, l] dy, x, addend and dx, row (i, ch) with the
   * seven floats at coef[7·ch]: shift, scale, s, t, a, b, c; arguments already checked. An
   * implementation may walk the rows in one method (a row kernel's loop, compiled once for every
   * row length, is slow on rows of 128) but must give these bits; it may use the floats of coef
   * after the first 7·c as scratch (batch norm's backward passes its {@link #sumsAndDots} work).
   */
  default void combineRowsRelu(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff, float[] coef,
                               float[] addend, int addendOff, float[] dx, int dxOff) {
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int at = (i * c + ch) * l;
        int p = 7 * ch;
        combineNormalizedRelu(coef[p + 4], dy, dyOff + at, coef[p + 5], x, xOff + at, coef[p], coef[p + 1],
            coef[p + 2], coef[p + 3], coef[p + 6], addend, addendOff + at, dx, dxOff + at, l);
      }
    }
  }
}
