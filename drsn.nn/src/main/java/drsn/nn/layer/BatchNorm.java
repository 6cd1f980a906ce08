package drsn.nn.layer;

import drsn.nn.internal.TemporaryOps;
import java.util.List;

/**
 * Batch normalisation over x [N, C, S] (S = 1 after a fully connected layer, L for signals, H·W
 * for images), as PyTorch's BatchNorm1d/2d: ε = 1e-5, momentum 0.1.
 *
 * <pre>
 *   training:   μ, σ² = mean and biased variance of channel c over the N·S values
 *               y = γ·(x − μ)/√(σ² + ε) + β
 *               running_mean ← 0.9·running_mean + 0.1·μ
 *               running_var  ← 0.9·running_var  + 0.1·σ²·m/(m − 1)    (unbiased, m = N·S)
 *   evaluation: y = γ·(x − running_mean)/√(running_var + ε) + β
 * </pre>
 * Parameters {@code <name>.weight} (γ), {@code <name>.bias} (β); statistics
 * {@code <name>.running_mean}, {@code <name>.running_var}.
 *
 * <p>The statistics loops are plain Java until drsn.tensor's Reductions kernel defines the
 * per-channel batch-norm statistics (see {@link TemporaryOps}).
 */
public final class BatchNorm {

  public static final double EPS = 1e-5;
  public static final double MOMENTUM = 0.1;

  private final int channels;
  private final int spatial;
  private final float[] values;
  private final float[] stats;
  private final float[] grads;
  private final int gOff;
  private final int bOff;
  private final int rmOff;
  private final int rvOff;

  // Per-channel state of the last forward pass (sized once: C only, not the batch).
  private final double[] mean;
  private final double[] var;
  private final double[] invStd;
  private final float[] scale;
  private final float[] shift;
  private boolean lastTraining;

  public BatchNorm(ParamBinding binding, String name, int channels, int spatial) {
    this.channels = channels;
    this.spatial = spatial;
    this.values = binding.params().values();
    this.stats = binding.params().statistics();
    this.grads = binding.grads();
    List<Integer> shape = List.of(channels);
    this.gOff = binding.offset(name + ".weight", shape);
    this.bOff = binding.offset(name + ".bias", shape);
    this.rmOff = binding.offset(name + ".running_mean", shape);
    this.rvOff = binding.offset(name + ".running_var", shape);
    this.mean = new double[channels];
    this.var = new double[channels];
    this.invStd = new double[channels];
    this.scale = new float[channels];
    this.shift = new float[channels];
  }

  public int channels() {
    return channels;
  }

  /** y = BN(x); y may alias x. In training mode, also updates the running statistics. */
  public void forward(int n, float[] x, float[] y, boolean training) {
    lastTraining = training;
    if (training) {
      long m = (long) n * spatial;
      if (m < 2) {
        throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got "
            + n + " sample(s) of " + spatial + " position(s)");
      }
      TemporaryOps.channelMeanVar(x, n, channels, spatial, mean, var);
      for (int c = 0; c < channels; c++) {
        invStd[c] = 1.0 / Math.sqrt(var[c] + EPS);
        stats[rmOff + c] = (float) ((1 - MOMENTUM) * stats[rmOff + c] + MOMENTUM * mean[c]);
        stats[rvOff + c] = (float) ((1 - MOMENTUM) * stats[rvOff + c] + MOMENTUM * var[c] * m / (m - 1));
      }
    } else {
      for (int c = 0; c < channels; c++) {
        mean[c] = stats[rmOff + c];
        invStd[c] = 1.0 / Math.sqrt(stats[rvOff + c] + EPS);
      }
    }
    for (int c = 0; c < channels; c++) {
      double a = values[gOff + c] * invStd[c];
      scale[c] = (float) a;
      shift[c] = (float) (values[bOff + c] - mean[c] * a);
    }
    TemporaryOps.channelAffine(x, y, n, channels, spatial, scale, shift);
  }

  /**
   * Given the forward input x and dy, accumulates dγ, dβ and writes dx (which may alias dy).
   * Uses the statistics of the last forward pass and its mode.
   */
  public void backward(int n, float[] x, float[] dy, float[] dx) {
    double m = (double) n * spatial;
    for (int c = 0; c < channels; c++) {
      double sumDy = 0;
      double sumDyXhat = 0;
      double mu = mean[c];
      double is = invStd[c];
      for (int s = 0; s < n; s++) {
        int base = (s * channels + c) * spatial;
        for (int i = 0; i < spatial; i++) {
          double g = dy[base + i];
          sumDy += g;
          sumDyXhat += g * (x[base + i] - mu) * is;
        }
      }
      grads[gOff + c] += (float) sumDyXhat;
      grads[bOff + c] += (float) sumDy;
      double gamma = values[gOff + c];
      if (lastTraining) {
        double k = gamma * is;
        double meanDy = sumDy / m;
        double meanDyXhat = sumDyXhat / m;
        for (int s = 0; s < n; s++) {
          int base = (s * channels + c) * spatial;
          for (int i = 0; i < spatial; i++) {
            double xhat = (x[base + i] - mu) * is;
            dx[base + i] = (float) (k * (dy[base + i] - meanDy - xhat * meanDyXhat));
          }
        }
      } else {
        float k = (float) (gamma * is);
        for (int s = 0; s < n; s++) {
          int base = (s * channels + c) * spatial;
          for (int i = 0; i < spatial; i++) {
            dx[base + i] = dy[base + i] * k;
          }
        }
      }
    }
  }
}
