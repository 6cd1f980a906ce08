package drsn.tensor;

import drsn.tensor.internal.Checks;

/**
 * Elementwise kernels and their backwards, batch normalisation's normalise/affine steps, and
 * softmax (the cross-entropy loss is drsn.nn's, computed per sample in double).
 *
 * <p>The primitives work on contiguous spans {@code (array, offset, len)}; outputs may alias an
 * input span exactly (in-place), but must not overlap it partially. The batched forms (default
 * methods, and {@link #batchNormBackward}) apply them per (sample, channel) of [N, C, L] tensors
 * or per row of [N, K] matrices.
 *
 * <p>Backwards that are themselves these kernels: add passes dy to both inputs; multiply's is
 * multiply by the other factor; scale's is scale by the same alpha; affine's dx is scale by s, and
 * its ds, dt are {@link Reductions#dot} and {@link Reductions#sum}.
 *
 * <p>Precision: the arithmetic kernels (add, multiply, scale, axpy, affine, shiftScale, abs, ReLU,
 * their backwards and batch norm's fused steps) perform the same IEEE operations in both implementations
 * (fused multiply-adds where documented), so scalar and SIMD agree bit for bit. Sigmoid and
 * softmax use exp: the SIMD kernels use drsn's own vectorised exp (a polynomial within 2 ulps
 * of {@link Math#exp}, the same in every execution mode, unlike the Vector API's lanewise EXP),
 * so they differ from the scalar kernels in the last bits; the tests state the tolerances.
 *
 * <p>NaN: each method documents how NaN propagates; the rule of thumb is that a NaN input yields
 * a NaN output at the same position, except in the backward masks of ReLU (x > 0 is false for NaN,
 * so the gradient is 0). Bad input (null arrays, spans outside their array, negative sizes, labels
 * out of range) gives an {@link IllegalArgumentException} naming what was expected and what was
 * given. Implementations are stateless and thread-safe, and allocate nothing per call.
 */
public interface Elementwise {

  /** out[i] = a[i] + b[i]. NaN in a or b gives NaN. */
  void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len);

  /** out[i] = a[i] · b[i]. NaN in a or b gives NaN (also 0·∞ = NaN). */
  void multiply(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len);

  /** y[i] = alpha · x[i]. NaN in x or alpha gives NaN. */
  void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

  /** y[i] += alpha · x[i], as one fused multiply-add. NaN in alpha, x or y gives NaN. */
  void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

  /**
   * y[i] = x[i] · s + t, as one fused multiply-add: batch norm's affine step y = γ·x̂ + β, or an
   * inference-time normalisation folded into one scale and shift. NaN in x, s or t gives NaN.
   */
  void affine(float[] x, int xOff, float s, float t, float[] y, int yOff, int len);

  /**
   * y[i] = max(x[i] · s + t, 0): {@link #affine} then {@link #relu} in one pass over memory, bit
   * for bit the same as the two calls (one fused multiply-add, then {@link Math#max} semantics):
   * inference-time batch norm followed by its ReLU. y may alias x.
   */
  void affineRelu(float[] x, int xOff, float s, float t, float[] y, int yOff, int len);

  /**
   * y[i] = x[i] · s[i] + t[i] (one fused multiply-add), then max(·, 0) when {@code relu}: bit for
   * bit {@link #affine} or {@link #affineRelu} called once per element with that element's scale
   * and shift. Inference-time batch norm over one position per channel (the shrinkage units'
   * [N, C, 1]) in one call per sample instead of one per channel. y may alias x.
   */
  void affinePerElement(float[] x, int xOff, float[] s, int sOff, float[] t, int tOff,
                        float[] y, int yOff, int len, boolean relu);

  /**
   * y[i] = (x[i] − shift) · scale: batch norm's normalise step x̂ = (x − mean)·invStd. Kept apart
   * from {@link #affine} because subtracting first is exact-ish for data close to the mean, while
   * x·invStd − mean·invStd loses digits when |mean| ≫ std. NaN in x, shift or scale gives NaN.
   */
  void shiftScale(float[] x, int xOff, float shift, float scale, float[] y, int yOff, int len);

  /** y[i] = |x[i]|. NaN stays NaN; −0 becomes +0. */
  void abs(float[] x, int xOff, float[] y, int yOff, int len);

  /**
   * dx[i] = sign(x[i]) · dy[i], with sign(0) = 0 (for either zero). NaN in x gives NaN in dx;
   * NaN in dy gives NaN where x ≠ 0 and 0 where x = 0. dx may alias dy.
   */
  void absBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len);

  /**
   * dst[i] += sign(x[i])·c, with sign as {@link #absBackward} has it (0 for either zero; NaN x
   * gives NaN): bit for bit absBackward of x over a span filled with c, then {@link #add} of that
   * span and dst (in that order), without the span. The backward of a mean of |x| over a row,
   * added to the row's gradient. dst must not overlap x.
   */
  void addSignTimes(float[] x, int xOff, float c, float[] dst, int dstOff, int len);

  /**
   * {@code dst[j·stride] = src[j]} for {@code j < len}, and 0 at every other position of dst's
   * dstLen floats: the backward of taking every stride-th element (a subsampling shortcut). Needs
   * stride ≥ 1 and {@code (len − 1)·stride < dstLen}; dst must not overlap src. Copies only, so any implementation gives
   * the same bits.
   */
  void spread(float[] src, int srcOff, int len, int stride, float[] dst, int dstOff, int dstLen);

  /** y[i] = max(x[i], 0) ({@link Math#max} semantics: NaN stays NaN; −0 becomes +0). */
  void relu(float[] x, int xOff, float[] y, int yOff, int len);

  /**
   * dx[i] = dy[i] where x[i] > 0, else 0 (the mask of the forward input; x > 0 is false for NaN,
   * so a NaN x gives 0; a NaN dy passes where x > 0). dx may alias dy.
   */
  void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int len);

  /**
   * y[i] = 1 / (1 + exp(−x[i])). The result lies in [0, 1]: in float it rounds to exactly 1 for
   * x ≳ 16.6 and to 0 only for x ≲ −88.7 (where exp(−x) overflows). NaN stays NaN.
   */
  void sigmoid(float[] x, int xOff, float[] y, int yOff, int len);

  /** dx[i] = dy[i] · y[i] · (1 − y[i]), from the forward output y. NaN in y or dy gives NaN. dx may alias dy. */
  void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len);

  /**
   * Softmax of one row: p[i] = exp(x[i] − max x) / Σ_j exp(x[j] − max x), len ≥ 1. Returns the
   * row's log-sum-exp, log Σ_j exp(x[j]) = max x + log Σ_j exp(x[j] − max x), in double. A NaN in the row makes every p and the
   * returned value NaN; so does +∞ (∞ − ∞); −∞ entries get p = 0 unless all are −∞ (then NaN).
   * p may alias x.
   */
  double softmax(float[] x, int xOff, float[] p, int pOff, int len);

  /** Row-wise softmax: logits, probs [n, k]; k ≥ 1. */
  default void softmaxRows(int n, int k, float[] logits, int logitsOff, float[] probs, int probsOff) {
    checkRows(n, k, logits, logitsOff, probs, probsOff, "probs [n, k]");
    for (int r = 0; r < n; r++) {
      softmax(logits, logitsOff + r * k, probs, probsOff + r * k, k);
    }
  }

  /**
   * Batch-norm forward in training mode, given the batch statistics (see
   * {@link Reductions#channelMeanVariance}) as mean and invStd = 1/√(variance + ε):
   *
   * <pre>
   *   x, xhat, y: [n, c, l];  mean, invStd, gamma, beta: [c]
   *   xhat[n, c, l] = (x[n, c, l] − mean[c]) · invStd[c]
   *   y[n, c, l]    = gamma[c] · xhat[n, c, l] + beta[c]
   * </pre>
   *
   * xhat is kept for the backward; y may alias x (xhat must not). NaN propagates elementwise.
   */
  void batchNormForward(int n, int c, int l, float[] x, int xOff,
                        float[] mean, int meanOff, float[] invStd, int invStdOff,
                        float[] gamma, int gammaOff, float[] beta, int betaOff,
                        float[] xhat, int xhatOff, float[] y, int yOff);

  /**
   * {@link #batchNormForward} without x̂ (nothing reads it: the backward recomputes it from x, see
   * {@link #batchNormBackwardFromInput}), followed by a ReLU when {@code relu}, in one pass over
   * memory: y[n, c, l] = fma(x̂, gamma[c], beta[c]) with x̂ = (x − mean[c])·invStd[c], then
   * max(y, 0) — bit for bit {@code batchNormForward} then {@link #relu}. y may alias x.
   */
  void batchNormForward(int n, int c, int l, float[] x, int xOff,
                        float[] mean, int meanOff, float[] invStd, int invStdOff,
                        float[] gamma, int gammaOff, float[] beta, int betaOff,
                        float[] y, int yOff, boolean relu);

  /**
   * Batch-norm backward in training mode (the batch statistics depend on x). With M = n·l and the
   * sums over (n, l) of this call's dy:
   *
   * <pre>
   *   dy, xhat, dx: [n, c, l];  gamma, invStd, dgamma, dbeta: [c]
   *   dbeta[c]  += Σ dy[n, c, l]
   *   dgamma[c] += Σ dy[n, c, l] · xhat[n, c, l]
   *   dx[n, c, l] = gamma[c]·invStd[c]/M · (M·dy − Σ dy − xhat · Σ dy·xhat)     (overwritten)
   *              = a·dy + b·xhat + c'  with a = γ·invStd, b = −a·Σ(dy·xhat)/M, c' = −a·Σdy/M
   * </pre>
   *
   * The per-channel sums are accumulated in double across spans. dx may alias dy. NaN in dy or
   * xhat of a channel makes that channel's dx, dgamma and dbeta NaN.
   */
  void batchNormBackward(int n, int c, int l, float[] dy, int dyOff, float[] xhat, int xhatOff,
                         float[] gamma, int gammaOff, float[] invStd, int invStdOff,
                         float[] dx, int dxOff, float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff);

  /**
   * {@link #batchNormBackward} from the forward input instead of a stored x̂: every x̂ is recomputed
   * where it is used as {@link #shiftScale} computes it, x̂ = (x − mean)·invStd, so the result is
   * bit for bit {@code shiftScale} into a buffer followed by {@code batchNormBackward}, without
   * writing and reading that buffer (and with Σdy and Σdy·x̂ taken in one pass). mean: [c]; dx may
   * alias dy but not x.
   */
  void batchNormBackwardFromInput(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                  float[] mean, int meanOff, float[] gamma, int gammaOff,
                                  float[] invStd, int invStdOff, float[] dx, int dxOff,
                                  float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff);

  /**
   * The backward of {@code batchNormForward(…, relu = true)}: ReLU's backward, whose mask
   * y > 0 of the forward output y = max(fma(x̂, gamma, beta), 0) is recomputed from x as the forward
   * computed it, then {@link #batchNormBackwardFromInput}: bit for bit {@link #reluBackward} of dy
   * over the stored y followed by {@code batchNormBackwardFromInput}, without that pass over
   * memory. When {@code accumulate}, dx[i] += the result (rounded as {@link #add} of the result to
   * dx would), else dx is overwritten. dx may alias dy (not when accumulating), never x.
   */
  void batchNormReluBackwardFromInput(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                      float[] mean, int meanOff, float[] gamma, int gammaOff,
                                      float[] beta, int betaOff, float[] invStd, int invStdOff,
                                      float[] dx, int dxOff, boolean accumulate,
                                      float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff);

  /**
   * {@link #batchNormReluBackwardFromInput} with dx = the result + addend, each element rounded as
   * {@link #add} of the result to addend would: bit for bit copying addend into dx and then
   * accumulating, in one pass. For a residual unit's input gradient, whose shortcut passes the
   * output's gradient (addend) through unchanged. addend may be dx itself (then this is the
   * accumulating form); otherwise it must not alias dx, dy or x; dx may alias dy, never x.
   */
  void batchNormReluBackwardFromInputPlus(int n, int c, int l, float[] dy, int dyOff, float[] x, int xOff,
                                          float[] mean, int meanOff, float[] gamma, int gammaOff,
                                          float[] beta, int betaOff, float[] invStd, int invStdOff,
                                          float[] addend, int addendOff, float[] dx, int dxOff,
                                          float[] dgamma, int dgammaOff, float[] dbeta, int dbetaOff);

  /** outLabel is a constant (name and shape): the checks run on every call and must not allocate. */
  private static void checkRows(int n, int k, float[] in, int inOff, float[] out, int outOff, String outLabel) {
    Checks.nonNegative("n", n);
    Checks.positive("k", k);
    long size = (long) n * k;
    Checks.span("input [n, k]", in, inOff, size);
    Checks.span(outLabel, out, outOff, size);
  }
}
