package drsn.nn.layer;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.Elementwise;
import drsn.tensor.FoldedConvolution;
import drsn.tensor.KernelProvider;
import drsn.tensor.Reductions;
import java.util.List;

/**
 * Batch normalisation over x [N, C, S] (S = 1 after a fully connected layer, L for signals, H·W
 * for images), as PyTorch's BatchNorm1d/2d: ε = 1e-5, momentum 0.1.
 *
 * <pre>
 *   training:   μ, σ² = mean and biased variance of channel c over the m = N·S values
 *               x̂ = (x − μ)/√(σ² + ε);  y = γ·x̂ + β
 *               running_mean ← 0.9·running_mean + 0.1·μ
 *               running_var  ← 0.9·running_var  + 0.1·σ²·m/(m − 1)    (unbiased)
 *   evaluation: y = γ·(x − running_mean)/√(running_var + ε) + β
 * </pre>
 * Parameters {@code <name>.weight} (γ), {@code <name>.bias} (β); statistics
 * {@code <name>.running_mean}, {@code <name>.running_var}.
 *
 * <p>x̂ is written to a scratch array in the forward and not kept: the backward recomputes it from
 * x where it reads it (bit for bit the forward's x̂), so that callers can share one scratch across
 * layers instead of every layer keeping an activation-sized x̂; the forward overloads without a
 * scratch use a buffer of the layer's own.
 *
 * <p>Over a {@linkplain ParamBinding#fixed() fixed} binding (inference over a model's immutable
 * parameters) the evaluation-mode scale and shift are folded once, at construction, by the same
 * expression as the per-call fold (so the floats are identical), and training mode is refused.
 */
public final class BatchNorm {

  public static final double EPS = 1e-5;
  private static final double MOMENTUM = 0.1;

  private final int channels;
  private final int spatial;
  private final Elementwise ew;
  private final Reductions red;
  private final float[] values;
  private final float[] stats;
  private final float[] grads;
  private final int gOff;
  private final int bOff;
  private final int rmOff;
  private final int rvOff;

  // Per-channel state of the last forward pass (sized once: C only, not the batch).
  private final float[] mean;
  private final float[] var;
  private final float[] invStd;
  private final float[] scale;
  private final float[] shift;
  private float[] xhat = new float[0];
  private final boolean fixed;
  private boolean lastTraining;

  public BatchNorm(ParamBinding binding, String name, int channels, int spatial, KernelProvider kernels) {
    this.channels = channels;
    this.spatial = spatial;
    this.ew = kernels.elementwise();
    this.red = kernels.reductions();
    this.values = binding.values();
    this.stats = binding.statistics();
    this.grads = binding.grads();
    List<Integer> shape = List.of(channels);
    this.gOff = binding.offset(name + ".weight", shape);
    this.bOff = binding.offset(name + ".bias", shape);
    this.rmOff = binding.offset(name + ".running_mean", shape);
    this.rvOff = binding.offset(name + ".running_var", shape);
    this.mean = new float[channels];
    this.var = new float[channels];
    this.invStd = new float[channels];
    this.scale = new float[channels];
    this.shift = new float[channels];
    this.fixed = binding.fixed();
    if (fixed) {
      foldEvaluation();
    }
  }

  public int channels() {
    return channels;
  }

  /**
   * Ghost batch norm: folds the observations of a batch cut into micro-batches into running
   * statistics, the data-parallel form of the update above:
   * <pre>
   *   running[i] ← (1 − momentum)·running[i] + Σ_k shares[k]·observed[k][i]     (k = 0 … count − 1, in order)
   * </pre>
   * where observed[k] holds the statistics a training forward pass over micro-batch k left when
   * they started at zero (exactly momentum·its batch statistic) and shares[k] = n_k/B its share
   * of the batch's samples. Accumulated in double, rounded once per statistic.
   */
  public static void mergeRunningStatistics(float[] running, float[][] observed, double[] shares, int count) {
    for (int i = 0; i < running.length; i++) {
      double acc = decayed(running[i]);
      for (int k = 0; k < count; k++) {
        acc += shares[k] * observed[k][i];
      }
      running[i] = (float) acc;
    }
  }

  /** What remains of a running statistic before a batch's observation is added: (1 − momentum)·running. */
  private static double decayed(float running) {
    return (1 - MOMENTUM) * running;
  }

  /** Allocates the layer's own x̂ buffer (used by the overloads without scratch) for batches of up to capacity. */
  public void prepare(int capacity) {
    if (xhat.length < capacity * channels * spatial) {
      xhat = new float[capacity * channels * spatial];
    }
  }

  /** y = BN(x) using the layer's own x̂ buffer; see {@link #forward(int, float[], float[], boolean, float[])}. */
  public void forward(int n, float[] x, float[] y, boolean training) {
    prepare(n);
    forward(n, x, y, training, xhat);
  }

  /** y = ReLU(BN(x)) using the layer's own x̂ buffer; see {@link #forwardRelu(int, float[], float[], boolean, float[])}. */
  public void forwardRelu(int n, float[] x, float[] y, boolean training) {
    prepare(n);
    forwardRelu(n, x, y, training, xhat);
  }

  /**
   * y = BN(x); y may alias x (scratch must alias neither; at least n·C·S floats). In training
   * mode, also updates the running statistics.
   */
  public void forward(int n, float[] x, float[] y, boolean training, float[] scratch) {
    forward(n, x, y, training, scratch, false);
  }

  /**
   * y = ReLU(BN(x)), bit for bit {@link #forward} followed by a ReLU; in evaluation mode in one
   * pass over memory (the folded scale and shift and the ReLU together).
   */
  public void forwardRelu(int n, float[] x, float[] y, boolean training, float[] scratch) {
    forward(n, x, y, training, scratch, true);
  }

  private void forward(int n, float[] x, float[] y, boolean training, float[] scratch, boolean relu) {
    if (training && fixed) {
      throw new IllegalStateException("batch norm over fixed parameters cannot train");
    }
    lastTraining = training;
    if (training) {
      batchStatistics(n, x);
      // x̂ is not written: the backward recomputes it from x. With the ReLU, one pass over memory.
      ew.batchNormForward(n, channels, spatial, x, 0, mean, 0, invStd, 0, values, gOff, values, bOff, y, 0, relu);
    } else {
      if (!fixed) {
        foldEvaluation();
      }
      if (spatial == 1) {
        // One position per channel (the shrinkage units' [N, C, 1]): one call per sample, not per channel.
        for (int s = 0; s < n; s++) {
          ew.affinePerElement(x, s * channels, scale, 0, shift, 0, y, s * channels, channels, relu);
        }
        return;
      }
      for (int s = 0; s < n; s++) {
        for (int c = 0; c < channels; c++) {
          int at = (s * channels + c) * spatial;
          if (relu) {
            ew.affineRelu(x, at, scale[c], shift[c], y, at, spatial);
          } else {
            ew.affine(x, at, scale[c], shift[c], y, at, spatial);
          }
        }
      }
    }
  }

  /**
   * Folds the running statistics, γ and β into one scale and shift per channel, y = x·a + b
   * (also the mean and 1/σ the evaluation-mode backward reads).
   */
  private void foldEvaluation() {
    for (int c = 0; c < channels; c++) {
      mean[c] = stats[rmOff + c];
      invStd[c] = (float) (1.0 / Math.sqrt(stats[rvOff + c] + EPS));
      double a = (double) values[gOff + c] * invStd[c];
      scale[c] = (float) a;
      shift[c] = (float) (values[bOff + c] - mean[c] * a);
    }
  }

  /** The training forward's statistics of x (mean, 1/std) and the running statistics' update. */
  private void batchStatistics(int n, float[] x) {
    long m = (long) n * spatial;
    if (m < 2) {
      throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got "
          + n + " sample(s) of " + spatial + " position(s)");
    }
    red.channelMeanVariance(n, channels, spatial, x, 0, mean, 0, var, 0);
    for (int c = 0; c < channels; c++) {
      invStd[c] = (float) (1.0 / Math.sqrt(var[c] + EPS));
      stats[rmOff + c] = (float) (decayed(stats[rmOff + c]) + MOMENTUM * mean[c]);
      stats[rvOff + c] = (float) (decayed(stats[rvOff + c]) + MOMENTUM * (double) var[c] * m / (m - 1));
    }
  }

  /**
   * The training forward of ReLU(BN(z)) straight into {@code kernel}'s forward (y = conv(ReLU(BN(z))),
   * weights and bias at wOff and biasOff of w): this batch's statistics, then the convolution
   * normalises z as it reads it ({@link Convolution#forwardFromBatchNormRelu}), bit for bit
   * {@code forwardRelu(n, z, x, true, …)} then the convolution's forward over x. x is scratch: the
   * direct kernels do not write it, so batch norm's output is never written to memory.
   */
  void trainingForwardInto(Convolution kernel, ConvShape shape, int n, float[] z, float[] x, float[] w, int wOff,
                           int biasOff, float[] y, float[] workspace) {
    if (fixed) {
      throw new IllegalStateException("batch norm over fixed parameters cannot train");
    }
    lastTraining = true;
    batchStatistics(n, z);
    kernel.forwardFromBatchNormRelu(shape, n, z, 0, mean, 0, invStd, 0, values, gOff, values, bOff, x, w, wOff, w,
        biasOff, y, 0, workspace);
  }

  /** Whether the parameters are fixed (an inference's: the folded map never changes). */
  boolean fixed() {
    return fixed;
  }

  /**
   * The evaluation forward of ReLU(BN(z)) over fixed parameters straight into {@code kernel}'s
   * forward with its prepacked weights: the folded map applied as the convolution copies its
   * input ({@link Convolution#forwardAffineReluPrepacked}), bit for bit {@code forwardRelu(n, z, x,
   * false, …)} then the convolution. x is scratch (the direct kernels do not write it).
   */
  void evaluationForwardInto(Convolution kernel, ConvShape shape, int n, float[] z, float[] x, float[] w, int wOff,
                             float[] packed, int biasOff, float[] y, float[] workspace) {
    if (!fixed) {
      throw new IllegalStateException("the folded map is kept up to date only over fixed parameters");
    }
    lastTraining = false;
    kernel.forwardAffineReluPrepacked(shape, n, z, 0, scale, 0, shift, 0, x, w, wOff, packed, 0, w, biasOff, y, 0,
        workspace);
  }

  /**
   * The convolution after this batch norm as a {@link FoldedConvolution}: this layer's folded map
   * and ReLU before it (fixed parameters only: over them the map never changes, so the
   * description holds for good).
   */
  FoldedConvolution foldedBefore(ConvShape shape, float[] w, int wOff, float[] packed, int biasOff) {
    if (!fixed) {
      throw new IllegalStateException("the folded map is kept up to date only over fixed parameters");
    }
    return new FoldedConvolution(shape, scale, 0, shift, 0, w, wOff, packed, 0, w, biasOff);
  }

  /**
   * Two convolutions after their batch norms at inference, {@code first} after this one and
   * {@code second} after {@code next} (see {@link Convolution#forwardPairAffineReluPrepacked}):
   * bit for bit {@link #evaluationForwardInto} of each. mid receives the first's output where the
   * kernel writes it; x is scratch.
   */
  void evaluationForwardPair(Convolution kernel, BatchNorm next, FoldedConvolution first, FoldedConvolution second,
                             int n, float[] z, float[] x, float[] mid, float[] y, float[] workspace) {
    if (!fixed || !next.fixed) {
      throw new IllegalStateException("the folded map is kept up to date only over fixed parameters");
    }
    lastTraining = false;
    next.lastTraining = false;
    kernel.forwardPairAffineReluPrepacked(first, second, n, z, 0, mid, x, y, 0, workspace);
  }

  /** Whether the last forward pass ran in training mode (its statistics were the batch's). */
  boolean trainedLast() {
    return lastTraining;
  }

  /**
   * {@code kernel}'s weight gradient of a convolution whose input is this layer's ReLU output over
   * z in the last (training-mode) forward, rebuilt from z with that pass's batch statistics, γ and
   * β (see {@link Convolution#backwardWeightsFromBatchNormRelu}).
   */
  void backwardWeightsOf(Convolution kernel, ConvShape shape, int n, float[] z, float[] x, float[] dy, float[] dw,
                         int dwOff, float[] dbias, int dbiasOff, float[] workspace) {
    kernel.backwardWeightsFromBatchNormRelu(shape, n, z, 0, mean, 0, invStd, 0, values, gOff, values, bOff, x, dy, 0,
        dw, dwOff, dbias, dbiasOff, workspace);
  }

  /**
   * The backward of {@link #forwardRelu}: ReLU's backward over its output y, then {@link #backward};
   * accumulates dγ, dβ. dx is overwritten, or added to when {@code accumulate} (the sum rounded as
   * {@code ew.add(result, dx)} would). In training mode in two passes over memory, the ReLU's mask
   * recomputed from x as the forward computed it (bit for bit the separate passes); dy may then
   * alias dx when not accumulating. dy may be overwritten (used as scratch); dx must not alias x.
   */
  public void backwardRelu(int n, float[] x, float[] y, float[] dy, float[] dx, boolean accumulate) {
    if (lastTraining) {
      ew.batchNormReluBackwardFromInput(n, channels, spatial, dy, 0, x, 0, mean, 0, values, gOff, values, bOff,
          invStd, 0, dx, 0, accumulate, grads, gOff, grads, bOff);
      return;
    }
    int size = n * channels * spatial;
    ew.reluBackward(y, 0, dy, 0, dy, 0, size);
    if (accumulate) {
      backward(n, x, dy, dy);
      ew.add(dy, 0, dx, 0, dx, 0, size);
    } else {
      backward(n, x, dy, dx);
    }
  }

  /**
   * {@link #backwardRelu} with dx = the result + addend (rounded as {@code ew.add(result, addend)}
   * would): bit for bit copying addend into dx and accumulating, without the copy. addend must not
   * alias x, dy or dx.
   */
  public void backwardReluPlus(int n, float[] x, float[] y, float[] dy, float[] addend, float[] dx) {
    if (lastTraining) {
      ew.batchNormReluBackwardFromInputPlus(n, channels, spatial, dy, 0, x, 0, mean, 0, values, gOff, values, bOff,
          invStd, 0, addend, 0, dx, 0, grads, gOff, grads, bOff);
      return;
    }
    int size = n * channels * spatial;
    ew.reluBackward(y, 0, dy, 0, dy, 0, size);
    backward(n, x, dy, dy);
    ew.add(dy, 0, addend, 0, dx, 0, size);
  }

  /**
   * Given the forward input x and dy, accumulates dγ, dβ and writes dx (which may alias dy, not x),
   * with the statistics and mode of the last forward pass.
   */
  public void backward(int n, float[] x, float[] dy, float[] dx) {
    if (lastTraining) {
      // x̂ exactly as the forward computed it, recomputed from x where the kernel reads it (not stored).
      ew.batchNormBackwardFromInput(n, channels, spatial, dy, 0, x, 0, mean, 0, values, gOff, invStd, 0, dx, 0,
          grads, gOff, grads, bOff);
      return;
    }
    // Evaluation mode: the statistics are constants, dx = γ·invStd·dy.
    for (int c = 0; c < channels; c++) {
      double sumDy = 0;
      double sumDyX = 0;
      for (int s = 0; s < n; s++) {
        int at = (s * channels + c) * spatial;
        sumDy += red.sum(dy, at, spatial);
        sumDyX += red.dot(dy, at, x, at, spatial);
      }
      grads[gOff + c] += (float) ((sumDyX - mean[c] * sumDy) * invStd[c]);
      grads[bOff + c] += (float) sumDy;
      for (int s = 0; s < n; s++) {
        int at = (s * channels + c) * spatial;
        ew.scale(scale[c], dy, at, dx, at, spatial);
      }
    }
  }
}
