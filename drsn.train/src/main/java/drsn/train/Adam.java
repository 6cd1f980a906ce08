package drsn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam and AdamW as PyTorch computes them (no AMSGrad), at step t = 1, 2, …:
 * <pre>
 *   AdamW: w = w·(1 − lr·λ)              Adam: g = g + λ·w      (λ only where the mask is set)
 *   m = β1·m + (1 − β1)·g
 *   v = β2·v + (1 − β2)·g²
 *   w = w − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 */
final class Adam extends OptimizerBase implements Optimizer {

  private final boolean decoupled;
  private final float[] m;
  private final float[] v;

  Adam(OptimizerSettings settings, boolean[] decayMask) {
    super(settings, decayMask);
    this.decoupled = settings.kind() == OptimizerSettings.Kind.ADAMW;
    this.m = new float[decayMask.length];
    this.v = new float[decayMask.length];
  }

  @Override
  public void step(float[] w, float[] g, double learningRate) {
    checkArrays(w, g);
    long t = steps + 1;
    double b1 = settings.beta1();
    double b2 = settings.beta2();
    float stepSize = (float) (learningRate / (1 - Math.pow(b1, t)));
    float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(b2, t)));
    float eps = (float) settings.epsilon();
    float wd = (float) settings.weightDecay();
    float shrink = (float) (1 - learningRate * settings.weightDecay());
    float fb1 = (float) b1;
    float fb2 = (float) b2;
    float c1 = (float) (1 - b1);
    float c2 = (float) (1 - b2);
    for (int i = 0; i < w.length; i++) {
      float gi = g[i];
      if (decay[i]) {
        if (decoupled) {
          w[i] *= shrink;
        } else {
          gi += wd * w[i];
        }
      }
      float mi = fb1 * m[i] + c1 * gi;
      float vi = fb2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) * invSqrtBc2 + eps;
      w[i] -= stepSize * (mi / denom);
    }
    steps = t;
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    s.put("exp_avg", m);
    s.put("exp_avg_sq", v);
    return s;
  }

  @Override
  public void restore(long steps, Map<String, float[]> state) {
    restoreSteps(steps);
    restoreInto("exp_avg", m, state);
    restoreInto("exp_avg_sq", v, state);
  }
}
