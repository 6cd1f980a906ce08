package drsn.tensor;

import drsn.tensor.internal.ConvChecks;

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

  /**
   * {@link #backwardWeights} of a convolution whose input is batch norm's output with its ReLU,
   * x = max(fma((z − mean[c])·invStd[c], gamma[c], beta[c]), 0) per input channel c, given batch
   * norm's input z: bit for bit backwardWeights over that x as
   * {@link Elementwise#batchNormForward(int, int, int, float[], int, float[], int, float[], int, float[], int, float[], int, float[], int, boolean)}
   * computes it (mean 0 and invStd 1 give an affine ReLU, max(fma(z, gamma, beta), 0), exactly).
   * {@code x} (batch·inputSize floats from 0) is scratch: where an implementation needs x whole it
   * writes it there (this default does); the direct 1-D kernels build it row by row in their padded
   * copy of the input. So the forward need not keep x: it can write it into one buffer that every
   * layer shares, and nothing reads it back from memory.
   */
  default void backwardWeightsFromBatchNormRelu(ConvShape shape, int batch, float[] z, int zOff,
                                                float[] mean, int meanOff, float[] invStd, int invStdOff,
                                                float[] gamma, int gammaOff, float[] beta, int betaOff, float[] x,
                                                float[] dy, int dyOff, float[] dw, int dwOff, float[] dbias,
                                                int dbiasOff, float[] workspace) {
    ConvChecks.batchNormInput(shape, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta,
        betaOff, x);
    batchNormReluInto(shape, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff, x);
    backwardWeights(shape, batch, x, 0, dy, dyOff, dw, dwOff, dbias, dbiasOff, workspace);
  }

  /**
   * {@link #forward} of a convolution whose input is batch norm's output with its ReLU, given batch
   * norm's input z: bit for bit forward over x = max(fma((z − mean[c])·invStd[c], gamma[c],
   * beta[c]), 0) as {@link #backwardWeightsFromBatchNormRelu} defines it. {@code x} (batch·inputSize
   * floats from 0) is scratch, written by this default; the direct 1-D kernels normalise each row
   * as they copy it into their zero-padded input, so batch norm's training forward need not write
   * its output at all (one write and one read of the whole tensor fewer).
   */
  default void forwardFromBatchNormRelu(ConvShape shape, int batch, float[] z, int zOff, float[] mean, int meanOff,
                                        float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta,
                                        int betaOff, float[] x, float[] w, int wOff, float[] bias, int biasOff,
                                        float[] y, int yOff, float[] workspace) {
    ConvChecks.batchNormInput(shape, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta,
        betaOff, x);
    batchNormReluInto(shape, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff, x);
    forward(shape, batch, x, 0, w, wOff, bias, biasOff, y, yOff, workspace);
  }

  /**
   * Floats that {@link #packForwardWeights} writes for this shape: 0 where the implementation's
   * forward reads the weights in place (this default). Weights that do not change between calls
   * (an inference's) can be packed once and passed to {@link #forwardPrepacked}.
   */
  default int packedForwardWeightsSize(ConvShape shape) {
    ConvChecks.shapeAndBatch(shape, 1);
    return 0;
  }

  /** Writes the forward's packed copy of w [out, in, kH, kW] from wOff: {@link #packedForwardWeightsSize} floats from packedOff. */
  default void packForwardWeights(ConvShape shape, float[] w, int wOff, float[] packed, int packedOff) {
    ConvChecks.packedWeights(shape, w, wOff, packed, packedOff, packedForwardWeightsSize(shape));
  }

  /**
   * {@link #forward} with the weights also given packed by {@link #packForwardWeights} from the
   * same w (the caller keeps the two in step): the same bits, without packing per call. This
   * default ignores the packed copy.
   */
  default void forwardPrepacked(ConvShape shape, int batch, float[] x, int xOff, float[] w, int wOff, float[] packed,
                                int packedOff, float[] bias, int biasOff, float[] y, int yOff, float[] workspace) {
    ConvChecks.packedWeights(shape, w, wOff, packed, packedOff, packedForwardWeightsSize(shape));
    forward(shape, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, workspace);
  }

  /**
   * {@link #forwardPrepacked} of a convolution whose input is an evaluation-mode batch norm's
   * folded affine map with its ReLU over z, x = max(fma(z, scale[c], shift[c]), 0) per input
   * channel c: bit for bit {@link Elementwise#affineRelu} into x then forwardPrepacked. {@code x}
   * (batch·inputSize floats from 0) is scratch, written by this default; the direct 1-D kernels
   * apply the map as they copy each row into their padded input, so the batch norm writes nothing.
   */
  default void forwardAffineReluPrepacked(ConvShape shape, int batch, float[] z, int zOff, float[] scale, int scaleOff,
                                          float[] shift, int shiftOff, float[] x, float[] w, int wOff,
                                          float[] packed, int packedOff, float[] bias, int biasOff, float[] y,
                                          int yOff, float[] workspace) {
    ConvChecks.affineInput(shape, batch, z, zOff, scale, scaleOff, shift, shiftOff, x);
    batchNormReluInto(shape, batch, z, zOff, null, 0, null, 0, scale, scaleOff, shift, shiftOff, x);
    forwardPrepacked(shape, batch, x, 0, w, wOff, packed, packedOff, bias, biasOff, y, yOff, workspace);
  }

  /**
   * A residual branch at inference: two convolutions in a row, each after its folded batch norm
   * with the ReLU, m = first(z), then y = second(m) ({@link FoldedConvolution} says what each
   * computes); bit for bit {@link #forwardAffineReluPrepacked} twice, which is this default, with m
   * in {@code mid} (batch × the first's outputs). The second's input is the first's output.
   * {@code mid} and {@code x} (batch × the larger of the two inputs) are scratch, written by this
   * default; the direct 1-D kernels apply the second map to the first convolution's results as
   * they leave the registers, straight into the second's zero-padded input, so m is never
   * written and never copied. workspace: {@link #pairWorkspaceSize} floats.
   */
  default void forwardPairAffineReluPrepacked(FoldedConvolution first, FoldedConvolution second, int batch,
                                              float[] z, int zOff, float[] mid, float[] x, float[] y, int yOff,
                                              float[] workspace) {
    ConvChecks.pair(first == null ? null : first.shape(), second == null ? null : second.shape(), batch, mid);
    forwardAffineReluPrepacked(first.shape(), batch, z, zOff, first.scale(), first.scaleOff(), first.shift(),
        first.shiftOff(), x, first.w(), first.wOff(), first.packed(), first.packedOff(), first.bias(),
        first.biasOff(), mid, 0, workspace);
    forwardAffineReluPrepacked(second.shape(), batch, mid, 0, second.scale(), second.scaleOff(), second.shift(),
        second.shiftOff(), x, second.w(), second.wOff(), second.packed(), second.packedOff(), second.bias(),
        second.biasOff(), y, yOff, workspace);
  }

  /**
   * Workspace floats {@link #forwardPairAffineReluPrepacked} needs for a batch of the two shapes:
   * by default the larger of the two convolutions' {@link #workspaceSize}.
   */
  default int pairWorkspaceSize(ConvShape first, ConvShape second, int batch) {
    return Math.max(workspaceSize(first, batch), workspaceSize(second, batch));
  }

  /**
   * x = max(fma((z − mean[c])·invStd[c], gamma[c], beta[c]), 0) per input channel c, or with mean
   * == null (an inference's folded map) max(fma(z, gamma[c], beta[c]), 0), as affineRelu (the
   * arguments checked).
   */
  private static void batchNormReluInto(ConvShape shape, int batch, float[] z, int zOff, float[] mean, int meanOff,
                                        float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta,
                                        int betaOff, float[] x) {
    int channels = shape.inChannels();
    int plane = shape.height() * shape.width();
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        int at = (n * channels + c) * plane;
        float s = gamma[gammaOff + c];
        float t = beta[betaOff + c];
        if (mean == null) {
          for (int i = 0; i < plane; i++) {
            x[at + i] = Math.max(Math.fma(z[zOff + at + i], s, t), 0f);
          }
          continue;
        }
        float shift = mean[meanOff + c];
        float scale = invStd[invStdOff + c];
        for (int i = 0; i < plane; i++) {
          x[at + i] = Math.max(Math.fma((z[zOff + at + i] - shift) * scale, s, t), 0f);
        }
      }
    }
  }
}
