package drsn.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * What one residual shrinkage unit did in a network's last forward pass, over all its samples:
 * the thresholds τ (mean, least, largest, and the mean per channel), their scales α = τ / mean|x|
 * (mean; standard deviation over samples and channels together; standard deviation over samples
 * alone, averaged over channels — how much the unit adapts α to the individual input), and the
 * fraction of its residual-branch features that soft thresholding set to zero.
 *
 * @param unit              the unit's index in the network
 * @param channels          its output channels
 * @param meanPerChannel    mean τ per channel over the samples
 */
public record ShrinkageStatistics(int unit, int channels, double meanThreshold, double minThreshold,
                                  double maxThreshold, float[] meanPerChannel, double meanScale, double scaleSpread,
                                  double scaleSampleSpread, double zeroedFraction) {

  /** One entry per shrinkage unit of the network's last forward pass; empty for families without them. */
  public static List<ShrinkageStatistics> of(Network net) {
    List<ShrinkageStatistics> out = new ArrayList<>();
    int n = net.lastBatchSize();
    for (int u = 0; u < net.unitCount(); u++) {
      if (!net.hasThresholds(u)) {
        continue;
      }
      int c = net.unitChannels(u);
      float[] tau = net.thresholds(u);
      float[] alpha = net.thresholdScales(u);
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double scale = 0;
      float[] perChannel = new float[c];
      for (int i = 0; i < tau.length; i++) {
        sum += tau[i];
        min = Math.min(min, tau[i]);
        max = Math.max(max, tau[i]);
        perChannel[i % c] += tau[i] / n;
        scale += alpha[i];
      }
      scale /= alpha.length;
      double var = 0;
      for (float v : alpha) {
        var += (v - scale) * (v - scale);
      }
      out.add(new ShrinkageStatistics(u, c, sum / tau.length, min, max, perChannel, scale,
          Math.sqrt(var / alpha.length), sampleSpread(alpha, n, c), net.zeroedFraction(u)));
    }
    return out;
  }

  /** Mean over channels of the standard deviation over the n samples of values[s·c + ch]. */
  private static double sampleSpread(float[] values, int n, int c) {
    double sum = 0;
    for (int ch = 0; ch < c; ch++) {
      double mean = 0;
      for (int s = 0; s < n; s++) {
        mean += values[s * c + ch];
      }
      mean /= n;
      double var = 0;
      for (int s = 0; s < n; s++) {
        double d = values[s * c + ch] - mean;
        var += d * d;
      }
      sum += Math.sqrt(var / n);
    }
    return sum / c;
  }
}
