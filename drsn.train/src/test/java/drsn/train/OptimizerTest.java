package drsn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every optimiser against a direct transcription of PyTorch's update rules in double precision,
 * over several steps on tiny vectors with a weight-decay mask (relative tolerance 1e-5, float
 * state versus double reference).
 */
class OptimizerTest {

  private static final boolean[] MASK = {true, false, true, false, true};

  private static float[][] gradients(int steps, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] g = new float[steps][MASK.length];
    for (float[] row : g) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) (r.nextDouble(-2, 2));
      }
    }
    return g;
  }

  private static final float[] W0 = {0.5f, -1.25f, 2f, 0.1f, -0.75f};

  private static void close(double[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "element " + i);
    }
  }

  @Test
  void sgdWithMomentumAndDecayMatchesReference() {
    for (boolean nesterov : new boolean[] {false, true}) {
      double mu = 0.9;
      double wd = 1e-2;
      double lr = 0.05;
      float[][] g = gradients(6, 1);
      Optimizer opt = OptimizerSettings.sgd(mu, nesterov, wd).create(MASK);
      float[] w = W0.clone();
      double[] rw = new double[W0.length];
      double[] buf = new double[W0.length];
      for (int i = 0; i < rw.length; i++) {
        rw[i] = W0[i];
      }
      for (int t = 0; t < g.length; t++) {
        opt.step(w, g[t], lr);
        for (int i = 0; i < rw.length; i++) {
          double d = g[t][i] + (MASK[i] ? wd * rw[i] : 0);
          buf[i] = t == 0 ? d : mu * buf[i] + d;
          double upd = nesterov ? d + mu * buf[i] : buf[i];
          rw[i] -= lr * upd;
        }
        close(rw, w);
      }
      assertEquals(g.length, opt.steps());
    }
  }

  @Test
  void plainSgdIsGradientDescent() {
    Optimizer opt = OptimizerSettings.sgd(0, false, 0).create(new boolean[2]);
    float[] w = {1f, 2f};
    opt.step(w, new float[] {0.5f, -1f}, 0.1);
    assertArrayEquals(new float[] {1f - 0.05f, 2f + 0.1f}, w, 1e-7f);
  }

  @Test
  void adamAndAdamWMatchReference() {
    for (OptimizerSettings.Kind kind : new OptimizerSettings.Kind[] {OptimizerSettings.Kind.ADAM,
        OptimizerSettings.Kind.ADAMW}) {
      double b1 = 0.9;
      double b2 = 0.99;
      double eps = 1e-8;
      double wd = 0.1;
      double lr = 0.01;
      OptimizerSettings s = kind == OptimizerSettings.Kind.ADAM ? OptimizerSettings.adam(b1, b2, eps, wd)
          : OptimizerSettings.adamW(b1, b2, eps, wd);
      Optimizer opt = s.create(MASK);
      float[][] g = gradients(8, 2);
      float[] w = W0.clone();
      double[] rw = new double[W0.length];
      double[] m = new double[W0.length];
      double[] v = new double[W0.length];
      for (int i = 0; i < rw.length; i++) {
        rw[i] = W0[i];
      }
      for (int t = 1; t <= g.length; t++) {
        opt.step(w, g[t - 1], lr);
        for (int i = 0; i < rw.length; i++) {
          double gi = g[t - 1][i];
          if (MASK[i]) {
            if (kind == OptimizerSettings.Kind.ADAMW) {
              rw[i] *= 1 - lr * wd;
            } else {
              gi += wd * rw[i];
            }
          }
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          double mhat = m[i] / (1 - Math.pow(b1, t));
          double vhat = v[i] / (1 - Math.pow(b2, t));
          rw[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
        }
        close(rw, w);
      }
    }
  }

  @Test
  void stateRestoresToTheSameTrajectory() {
    for (OptimizerSettings s : new OptimizerSettings[] {OptimizerSettings.sgd(0.9, true, 1e-3),
        OptimizerSettings.adamW(0.9, 0.999, 1e-8, 0.01)}) {
      float[][] g = gradients(6, 3);
      Optimizer a = s.create(MASK);
      float[] wa = W0.clone();
      for (float[] gt : g) {
        a.step(wa, gt, 0.01);
      }
      Optimizer b = s.create(MASK);
      float[] wb = W0.clone();
      for (int t = 0; t < 3; t++) {
        b.step(wb, g[t], 0.01);
      }
      Optimizer c = s.create(MASK);
      Map<String, float[]> saved = b.state();
      c.restore(b.steps(), saved);
      for (int t = 3; t < 6; t++) {
        c.step(wb, g[t], 0.01);
      }
      assertArrayEquals(wa, wb, 0f, s.kind() + ": resumed trajectory must be bit-identical");
    }
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.sgd(1.5, false, 0));
    assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.sgd(0, true, 0));
    assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.adam(0.9, 0.999, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.adamW(0.9, 0.999, 1e-8, -1));
    Optimizer o = OptimizerSettings.adam().create(new boolean[3]);
    assertThrows(IllegalArgumentException.class, () -> o.step(new float[2], new float[3], 0.1));
    assertThrows(IllegalArgumentException.class, () -> o.restore(1, Map.of("exp_avg", new float[3])));
  }
}
