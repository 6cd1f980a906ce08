package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.cli.internal.Inspection;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import drsn.tensor.KernelProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report's "before shrinkage" signal is recomputed outside the network; it is right if the
 * thresholds derived from it through the unit's own subnetwork equal the network's thresholds.
 */
class InspectionTest {

  @Test
  void recomputedBranchOutputGivesTheNetworksThresholds() {
    for (Family f : new Family[] {Family.DRSN_CW, Family.DRSN_CS}) {
      Architecture a = new Architecture(f, 1, 1, 1, 96, List.of(4, 8), List.of(1, 1), 3, 2, 2, 3,
          List.of("a", "b", "c"), List.of(0.1f), List.of(2f), 4, false);
      ParameterSet p = ParameterSet.initialise(a, 5);
      // Non-trivial running statistics so that evaluation-mode batch norm matters.
      java.util.SplittableRandom r = new java.util.SplittableRandom(9);
      float[] st = p.statistics();
      for (int i = 0; i < st.length; i++) {
        st[i] = (float) r.nextDouble(0.5, 1.5);
      }
      Model m = Model.of(a, p);
      float[] raw = Cli.signal(17, 96);
      float[] x = Inspection.firstUnitBranch(m, raw);
      int c = 4;
      int len = x.length / c;
      assertEquals(24, len, "96 samples, stem stride 2, stage stride 2");
      float[] expected = tau(m, x, c, len, f == Family.DRSN_CW);
      Network net = m.newNetwork(KernelProvider.scalar()).training(false);
      net.forward(raw, 1);
      float[] actual = net.thresholds(0);
      for (int ch = 0; ch < c; ch++) {
        assertEquals(expected[ch], actual[ch], 1e-4 * Math.max(1, Math.abs(expected[ch])), f + " channel " + ch);
      }
      Dataset d = Dataset.of(raw, new int[] {1}, new int[] {1, 96}, List.of("a", "b", "c"));
      Inspection.ShrinkageExample ex = Inspection.example(m, d, 0);
      for (int t = 0; t < ex.before().length; t++) {
        float b = ex.before()[t];
        float y = ex.after()[t];
        assertTrue(Math.abs(b) <= ex.tau() ? y == 0 : Math.abs(Math.abs(y) - (Math.abs(b) - ex.tau())) < 1e-6);
      }
    }
  }

  /** τ from the branch output by the definition: g = mean|x|, α = σ(FC2(ReLU(BN(FC1 g)))), τ = α·g (or α·mean g). */
  static float[] tau(Model m, float[] x, int c, int len, boolean channelWise) {
    double[] g = new double[c];
    for (int ch = 0; ch < c; ch++) {
      for (int t = 0; t < len; t++) {
        g[ch] += Math.abs(x[ch * len + t]) / len;
      }
    }
    float[] w1 = m.tensor("units.0.fc1.weight");
    float[] b1 = m.tensor("units.0.fc1.bias");
    float[] bw = m.tensor("units.0.bnf.weight");
    float[] bb = m.tensor("units.0.bnf.bias");
    float[] rm = m.tensor("units.0.bnf.running_mean");
    float[] rv = m.tensor("units.0.bnf.running_var");
    double[] h = new double[c];
    for (int o = 0; o < c; o++) {
      double s = b1[o];
      for (int i = 0; i < c; i++) {
        s += w1[o * c + i] * g[i];
      }
      s = (s - rm[o]) / Math.sqrt(rv[o] + 1e-5) * bw[o] + bb[o];
      h[o] = Math.max(0, s);
    }
    float[] w2 = m.tensor("units.0.fc2.weight");
    float[] b2 = m.tensor("units.0.fc2.bias");
    int outs = channelWise ? c : 1;
    float[] tau = new float[c];
    double meanG = 0;
    for (double v : g) {
      meanG += v / c;
    }
    for (int o = 0; o < outs; o++) {
      double z = b2[o];
      for (int i = 0; i < c; i++) {
        z += w2[o * c + i] * h[i];
      }
      double alpha = 1 / (1 + Math.exp(-z));
      if (channelWise) {
        tau[o] = (float) (alpha * g[o]);
      } else {
        java.util.Arrays.fill(tau, (float) (alpha * meanG));
      }
    }
    return tau;
  }
}
