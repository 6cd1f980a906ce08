package drsn.tensor;

/**
 * Convolution forward and backward (cross-correlation, as in PyTorch) over a batch of N samples.
 * Shapes are given by {@link ConvShape}; all arrays are row-major with offsets:
 * <pre>
 *   x, dx: [N, inChannels, height, width]          from xOff / dxOff
 *   w, dw: [outChannels, inChannels, kernelH, kernelW] from wOff / dwOff
 *   bias, dbias: [outChannels]                      from biasOff / dbiasOff
 *   y, dy: [N, outChannels, outHeight, outWidth]    from yOff / dyOff
 * </pre>
 *
 * <p>The caller supplies a scratch array of at least {@link #workspaceSize} floats, so that
 * layers can size it once per batch shape and the kernels allocate nothing per call. Its contents
 * on entry are ignored and on return are unspecified. The implementation chooses by shape between
 * im2col + SGEMM and a direct path.
 *
 * <p>Output conventions: {@code forward} and {@code backwardInput} overwrite their output
 * (whatever it held, NaN included, is not read); {@code backwardWeights} <em>adds</em> into the
 * weight and bias gradients, so that gradients of several micro-batches can be accumulated.
 * Outputs must not overlap the inputs or the workspace.
 *
 * <p>Results agree with the exact sums to float rounding: each output is a float sum of its
 * products in an implementation-defined order, so different implementations (scalar, SIMD
 * direct, SIMD im2col) agree within a few ulps of Σ|terms|, not bit for bit. NaN and infinities
 * in x, w, bias or dy propagate to the outputs they reach; positions in the zero padding may be
 * multiplied as 0·w, so a non-finite weight may also reach outputs whose window lies in the
 * padding.
 *
 * <p>Bad arguments (a null shape or array, batch ≤ 0, an array too short for the shape, batch and
 * offset, a workspace smaller than {@link #workspaceSize}) give an {@link IllegalArgumentException}
 * naming what was expected and what was given. Implementations hold no per-call state: calls on
 * different threads with different outputs and workspaces may run concurrently.
 */
public interface Convolution {

  /** Scratch floats needed by any of the three calls below for this shape and batch size. */
  int workspaceSize(ConvShape shape, int batch);

  /**
   * y[n, o, oh, ow] = bias[o] + Σ_{c, i, j} w[o, c, i, j] · x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW].
   * {@code bias} may be null (no bias).
   */
  void forward(ConvShape shape, int batch,
               float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
               float[] y, int yOff, float[] workspace);

  /** dx = ∂L/∂x given dy = ∂L/∂y; dx is overwritten. */
  void backwardInput(ConvShape shape, int batch,
                     float[] dy, int dyOff, float[] w, int wOff,
                     float[] dx, int dxOff, float[] workspace);

  /**
   * dw += ∂L/∂w and dbias += ∂L/∂bias (Σ of dy over batch and positions), given the forward input
   * x and dy. {@code dbias} may be null.
   */
  void backwardWeights(ConvShape shape, int batch,
                       float[] x, int xOff, float[] dy, int dyOff,
                       float[] dw, int dwOff, float[] dbias, int dbiasOff, float[] workspace);
}
