package drsn.cli.internal;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.nn.NetworkPlan;
import drsn.nn.ShrinkageStatistics;
import drsn.tensor.KernelProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report shows of a trained shrinkage network: threshold statistics per unit on test
 * samples, and one signal before and after the first unit's soft thresholding.
 */
public final class Inspection {

  private static final float BN_EPS = 1e-5f;

  /**
   * One example: the model input (raw, first channel), the first shrinkage unit's input to soft
   * thresholding (its residual branch output, one channel) and the thresholded output, with τ.
   */
  public record ShrinkageExample(String className, float[] signal, float[] before, float[] after, float tau, int channel) {
  }

  private Inspection() {
  }

  /** Statistics of every shrinkage unit over the first (up to) maxSamples examples. */
  public static List<ShrinkageStatistics> thresholds(Model model, Dataset data, int maxSamples) {
    Architecture a = model.architecture();
    if (!a.family().shrinks()) {
      return List.of();
    }
    int n = Math.min(maxSamples, data.size());
    float[] x = new float[n * a.inputSize()];
    for (int i = 0; i < n; i++) {
      data.copyExample(i, x, i * a.inputSize());
    }
    Network net = model.newNetwork(KernelProvider.get()).training(false);
    net.forward(x, n);
    return ShrinkageStatistics.of(net);
  }

  /**
   * The first unit's branch output x for one example, recomputed here in plain Java (the network
   * does not expose intermediate activations), and softThreshold(x, τ) with the τ the network
   * computed for that example. Only for 1-D networks whose first unit shrinks.
   */
  public static ShrinkageExample example(Model model, Dataset data, int index) {
    Architecture a = model.architecture();
    if (!a.family().shrinks() || a.dimensions() != 1) {
      return null;
    }
    int len = a.inputWidth();
    float[] raw = data.example(index);
    float[] c2 = firstUnitBranch(model, raw);
    int c1n = a.plan().units().getFirst().outChannels();
    int l1 = c2.length / c1n;
    Network net = model.newNetwork(KernelProvider.get()).training(false);
    net.forward(raw, 1);
    float[] tau = net.thresholds(0);
    // The channel whose threshold removes the largest share of its values: the clearest picture.
    int best = 0;
    double bestShare = -1;
    for (int c = 0; c < c1n; c++) {
      int zeroed = 0;
      for (int t = 0; t < l1; t++) {
        if (Math.abs(c2[c * l1 + t]) <= tau[c]) {
          zeroed++;
        }
      }
      double share = (double) zeroed / l1;
      if (share > bestShare) {
        bestShare = share;
        best = c;
      }
    }
    float[] before = Arrays.copyOfRange(c2, best * l1, (best + 1) * l1);
    float[] after = new float[l1];
    for (int t = 0; t < l1; t++) {
      float v = before[t];
      after[t] = Math.signum(v) * Math.max(Math.abs(v) - tau[best], 0f);
    }
    return new ShrinkageExample(data.classNames().get(data.label(index)), Arrays.copyOf(raw, len), before,
        after, tau[best], best);
  }

  /**
   * The residual branch output [C, L'] of unit 0 of a 1-D network for one raw input [C_in, L]:
   * normalise → stem conv → BN → ReLU → conv1 (stage stride) → BN → ReLU → conv2, with the
   * running statistics (evaluation mode) — what the unit soft-thresholds. Walks the
   * architecture's plan.
   */
  public static float[] firstUnitBranch(Model model, float[] raw) {
    Architecture a = model.architecture();
    if (a.dimensions() != 1) {
      throw new IllegalArgumentException("only for 1-D networks");
    }
    int cin = a.inputChannels();
    int len = a.inputWidth();
    float[] x = new float[cin * len];
    for (int c = 0; c < cin; c++) {
      for (int t = 0; t < len; t++) {
        x[c * len + t] = (raw[c * len + t] - a.inputMean().get(c)) / a.inputStd().get(c);
      }
    }
    NetworkPlan plan = a.plan();
    NetworkPlan.UnitPlan unit = plan.units().getFirst();
    float[] s0 = conv(model, plan.stem(), x);
    float[] a1 = bnRelu(model, unit.bn1(), s0);
    float[] c1 = conv(model, unit.conv1(), a1);
    float[] a2 = bnRelu(model, unit.bn2(), c1);
    return conv(model, unit.conv2(), a2);
  }

  /** y[o, t] = b[o] + Σ_i Σ_j w[o, i, j]·x[i, t·s + j − pad], zero outside (a 1-D layer of the plan). */
  private static float[] conv(Model m, NetworkPlan.ConvLayer layer, float[] x) {
    float[] w = m.tensor(layer.name() + ".weight");
    float[] b = m.tensor(layer.name() + ".bias");
    int cin = layer.inChannels();
    int len = layer.width();
    int k = layer.kernel();
    int s = layer.stride();
    int pad = layer.padding();
    int lout = layer.outWidth();
    float[] y = new float[layer.outChannels() * lout];
    for (int o = 0; o < layer.outChannels(); o++) {
      for (int t = 0; t < lout; t++) {
        double acc = b[o];
        for (int i = 0; i < cin; i++) {
          for (int j = 0; j < k; j++) {
            int p = t * s + j - pad;
            if (p >= 0 && p < len) {
              acc += (double) w[(o * cin + i) * k + j] * x[i * len + p];
            }
          }
        }
        y[o * lout + t] = (float) acc;
      }
    }
    return y;
  }

  /** Batch norm with running statistics (evaluation mode), then ReLU. */
  private static float[] bnRelu(Model m, NetworkPlan.NormLayer layer, float[] x) {
    float[] w = m.tensor(layer.name() + ".weight");
    float[] b = m.tensor(layer.name() + ".bias");
    float[] mean = m.tensor(layer.name() + ".running_mean");
    float[] var = m.tensor(layer.name() + ".running_var");
    int len = layer.spatial();
    float[] y = new float[x.length];
    for (int ch = 0; ch < layer.channels(); ch++) {
      float scale = (float) (w[ch] / Math.sqrt(var[ch] + BN_EPS));
      for (int t = 0; t < len; t++) {
        y[ch * len + t] = Math.max(0f, (x[ch * len + t] - mean[ch]) * scale + b[ch]);
      }
    }
    return y;
  }

  public static Map<String, Object> toMap(ShrinkageStatistics u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", u.unit());
    m.put("channels", u.channels());
    m.put("tau_mean", u.meanThreshold());
    m.put("tau_min", u.minThreshold());
    m.put("tau_max", u.maxThreshold());
    m.put("tau_mean_per_channel", u.meanPerChannel());
    m.put("alpha_mean", u.meanScale());
    m.put("zeroed_fraction", u.zeroedFraction());
    return m;
  }
}
