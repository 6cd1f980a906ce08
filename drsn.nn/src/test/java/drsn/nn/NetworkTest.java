package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.KernelProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTest {

  static final Architecture CW = Architecture.paper(Family.DRSN_CW, 128, 4);

  @Test
  void thresholdsAreReadablePerSampleAndChannel() {
    Network cw = Network.create(CW, 1);
    float[] x = CheckpointTest.randomInput(CW, 3, 1);
    cw.forward(x, 3);
    assertEquals(12, cw.unitCount());
    assertTrue(cw.hasThresholds(11));
    float[] t = cw.thresholds(11);
    assertEquals(3 * 16, t.length);
    Network cs = Network.create(CW.withFamily(Family.DRSN_CS), 1);
    cs.forward(x, 3);
    float[] ts = cs.thresholds(4);
    assertEquals(3 * 8, ts.length);
    for (int s = 0; s < 3; s++) {
      for (int c = 1; c < 8; c++) {
        assertEquals(ts[s * 8], ts[s * 8 + c], "channel-shared threshold repeated across channels");
      }
    }
    Network res = Network.create(CW.withFamily(Family.RESNET), 1);
    res.forward(x, 3);
    assertFalse(res.hasThresholds(0));
    assertThrows(IllegalArgumentException.class, () -> res.thresholds(0));
    assertThrows(IllegalArgumentException.class, () -> cw.thresholds(12));
    assertThrows(IllegalStateException.class, () -> Network.create(CW, 1).thresholds(0));
  }

  @Test
  void thresholdScalesAndZeroedFractionsAreReadablePerUnit() {
    float[] x = CheckpointTest.randomInput(CW, 3, 1);
    for (Family f : new Family[] {Family.DRSN_CW, Family.DRSN_CS}) {
      Network net = Network.create(CW.withFamily(f), 1);
      net.forward(x, 3);
      for (int u = 0; u < net.unitCount(); u++) {
        float[] tau = net.thresholds(u);
        float[] alpha = net.thresholdScales(u);
        assertEquals(tau.length, alpha.length);
        for (int i = 0; i < tau.length; i++) {
          assertTrue(alpha[i] > 0 && alpha[i] <= 1, "alpha " + alpha[i]);
          assertTrue(tau[i] > 0, "tau " + tau[i]);
        }
        double z = net.zeroedFraction(u);
        assertTrue(z > 0 && z < 1, f + " unit " + u + ": an initialised unit zeroes some but not all features, got " + z);
      }
      float[] into = new float[2 + 3 * net.unitChannels(0)];
      net.thresholdScales(0, into, 2);
      assertEquals(net.thresholdScales(0)[0], into[2]);
      assertThrows(IllegalArgumentException.class, () -> net.thresholdScales(0, new float[3], 0));
    }
    // The per-unit summary agrees with the accessors it summarises.
    Network cs = Network.create(CW.withFamily(Family.DRSN_CS), 1);
    cs.forward(x, 3);
    java.util.List<ShrinkageStatistics> stats = ShrinkageStatistics.of(cs);
    assertEquals(cs.unitCount(), stats.size());
    for (ShrinkageStatistics st : stats) {
      float[] tau = cs.thresholds(st.unit());
      float[] alpha = cs.thresholdScales(st.unit());
      double tauMax = 0;
      double alphaSum = 0;
      for (int i = 0; i < tau.length; i++) {
        tauMax = Math.max(tauMax, tau[i]);
        alphaSum += alpha[i];
      }
      assertEquals(tauMax, st.maxThreshold());
      assertTrue(st.minThreshold() <= st.meanThreshold() && st.meanThreshold() <= st.maxThreshold());
      assertEquals(alphaSum / alpha.length, st.meanScale(), 1e-12);
      assertEquals(cs.zeroedFraction(st.unit()), st.zeroedFraction());
      assertEquals(cs.unitChannels(st.unit()), st.meanPerChannel().length);
      // Channel-shared scales: the spread over samples is the whole spread.
      assertEquals(st.scaleSpread(), st.scaleSampleSpread(), 1e-6);
    }
    Network res = Network.create(CW.withFamily(Family.RESNET), 1);
    res.forward(x, 3);
    assertTrue(ShrinkageStatistics.of(res).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> res.thresholdScales(0));
    assertThrows(IllegalArgumentException.class, () -> res.zeroedFraction(0));
    assertThrows(IllegalStateException.class, () -> Network.create(CW, 1).zeroedFraction(0));
  }

  @Test
  void trainingModeUpdatesRunningStatisticsAsPyTorch() {
    Architecture a = Architecture.paper(Family.RESNET, 64, 3);
    Network net = Network.create(a, 2).training(true);
    float[] x = CheckpointTest.randomInput(a, 5, 2);
    net.forward(x, 5);
    // units.0.bn1 normalises the stem output [5, 4, 32]: recompute the stem in double.
    float[] w = net.parameters().copyOf("stem.weight");
    float[] b = net.parameters().copyOf("stem.bias");
    int len = 32;
    for (int c = 0; c < 4; c++) {
      double sum = 0;
      double sq = 0;
      double[] vals = new double[5 * len];
      for (int s = 0; s < 5; s++) {
        for (int o = 0; o < len; o++) {
          double v = b[c];
          for (int k = 0; k < 3; k++) {
            int i = 2 * o - 1 + k;
            if (i >= 0 && i < 64) {
              v += w[c * 3 + k] * (double) x[s * 64 + i];
            }
          }
          vals[s * len + o] = v;
          sum += v;
        }
      }
      double mean = sum / vals.length;
      for (double v : vals) {
        sq += (v - mean) * (v - mean);
      }
      double unbiased = sq / (vals.length - 1);
      float[] rm = net.parameters().copyOf("units.0.bn1.running_mean");
      float[] rv = net.parameters().copyOf("units.0.bn1.running_var");
      assertEquals(0.1 * mean, rm[c], 1e-5);
      assertEquals(0.9 + 0.1 * unbiased, rv[c], 1e-5);
    }
  }

  @Test
  void aFewGradientStepsLowerTheLoss() {
    for (Family f : Family.values()) {
      Architecture a = Architecture.paper(f, 64, 3);
      Network net = Network.create(a, 3).training(true);
      float[] x = CheckpointTest.randomInput(a, 8, 3);
      int[] labels = {0, 1, 2, 0, 1, 2, 0, 1};
      net.forward(x, 8);
      float first = net.loss(labels);
      float last = first;
      for (int step = 0; step < 30; step++) {
        net.zeroGradients();
        net.forward(x, 8);
        last = net.loss(labels);
        net.backward();
        float[] v = net.parameters().values();
        float[] g = net.gradients();
        for (int i = 0; i < v.length; i++) {
          v[i] -= 0.05f * g[i];
        }
      }
      assertTrue(last < 0.7 * first, f + ": loss " + first + " -> " + last);
    }
  }

  @Test
  void parameterOnlyBackwardGivesTheSameGradientsBitForBit() {
    for (Family f : Family.values()) {
      Architecture a = Architecture.paper(f, 64, 3);
      ParameterSet p = Network.create(a, 6).parameters();
      float[] x = CheckpointTest.randomInput(a, 5, 6);
      float[] dz = CheckpointTest.randomInput(a, 5, 7);
      float[] want = null;
      for (boolean parametersOnly : new boolean[] {false, true}) {
        Network net = Network.create(a, 6).training(true);
        System.arraycopy(p.values(), 0, net.parameters().values(), 0, p.values().length);
        net.zeroGradients();
        net.forward(x, 5);
        if (parametersOnly) {
          net.backwardParameters(dz);
          assertArrayEquals(want, net.gradients(), f + ": gradients of backwardParameters vs backward");
        } else {
          assertTrue(net.backward(dz).length >= 5 * a.inputSize());
          want = net.gradients().clone();
        }
      }
      double norm = 0;
      for (float g : want) {
        norm += g * g;
      }
      assertTrue(norm > 0, f + ": some gradient is non-zero");
    }
    Network fresh = Network.create(CW, 1);
    assertThrows(IllegalStateException.class, () -> fresh.backwardParameters(new float[4]));
    fresh.forward(CheckpointTest.randomInput(CW, 2, 1), 2);
    assertThrows(IllegalArgumentException.class, () -> fresh.backwardParameters(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> fresh.backwardParameters(null));
  }

  @Test
  void smallerBatchesReuseTheBuffersWithTheSameResults() {
    Architecture a = Architecture.cifar(Family.DRSN_CW, 10);
    Model m = Network.create(a, 4).toModel();
    Network big = m.newNetwork(KernelProvider.get());
    float[] x = CheckpointTest.randomInput(a, 4, 4);
    big.forward(x, 4);
    float[] again = big.forward(x, 2).clone();
    float[] fresh = m.newNetwork(KernelProvider.get()).forward(x, 2);
    assertArrayEquals(fresh, java.util.Arrays.copyOf(again, fresh.length));
  }

  @Test
  void badCallsAreRejected() {
    Network net = Network.create(CW, 5);
    assertThrows(IllegalArgumentException.class, () -> net.forward(new float[10], 1));
    assertThrows(IllegalArgumentException.class, () -> net.forward(new float[128], 0));
    assertThrows(IllegalStateException.class, net::backward);
    net.forward(new float[128], 1);
    assertThrows(IllegalArgumentException.class, () -> net.loss(new int[] {4}));
    assertThrows(IllegalArgumentException.class, () -> net.loss(new int[] {0, 1}));
    Network train = Network.create(CW, 5).training(true);
    // Like PyTorch: batch statistics of one value per channel are undefined.
    assertThrows(IllegalArgumentException.class, () -> train.forward(new float[128], 1));
    assertThrows(IllegalArgumentException.class, () -> new Network(CW, ParameterSet.initialise(
        CW.withFamily(Family.RESNET), 1), KernelProvider.get()));
    assertEquals(List.of(4, 8, 16), net.architecture().widths());
  }
}
