package drsn.train;

import java.util.Map;

/**
 * SGD with momentum as PyTorch computes it (dampening 0):
 * <pre>
 *   d = g + λ·w                      (λ only where the decay mask is set)
 *   b = d                 on the first step,   b = μ·b + d   afterwards
 *   d = d + μ·b (Nesterov)   or   d = b
 *   w = w − lr·d
 * </pre>
 */
final class Sgd extends OptimizerBase implements Optimizer {

  private final float[] buffer;

  Sgd(OptimizerSettings settings, boolean[] decayMask) {
    super(settings, decayMask);
    this.buffer = new float[decayMask.length];
  }

  @Override
  public void step(float[] w, float[] g, double learningRate) {
    checkArrays(w, g);
    float lr = (float) learningRate;
    float mu = (float) settings.momentum();
    float wd = (float) settings.weightDecay();
    boolean first = steps == 0;
    boolean nesterov = settings.nesterov();
    for (int i = 0; i < w.length; i++) {
      float d = decay[i] ? g[i] + wd * w[i] : g[i];
      if (mu != 0f) {
        float b = first ? d : mu * buffer[i] + d;
        buffer[i] = b;
        d = nesterov ? d + mu * b : b;
      }
      w[i] -= lr * d;
    }
    steps++;
  }

  @Override
  public Map<String, float[]> state() {
    return Map.of("momentum_buffer", buffer);
  }

  @Override
  public void restore(long steps, Map<String, float[]> state) {
    restoreInto("momentum_buffer", buffer, state);
    restoreSteps(steps);
  }
}
