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
final class Sgd implements Optimizer {

  private final OptimizerSettings settings;
  private final boolean[] decay;
  private final float[] buffer;
  private long steps;

  Sgd(OptimizerSettings settings, boolean[] decayMask) {
    this.settings = settings;
    this.decay = decayMask.clone();
    this.buffer = new float[decayMask.length];
  }

  @Override
  public OptimizerSettings settings() {
    return settings;
  }

  @Override
  public void step(float[] w, float[] g, double learningRate) {
    Optimizers.checkArrays(w, g, decay.length);
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
  public long steps() {
    return steps;
  }

  @Override
  public Map<String, float[]> state() {
    return Map.of("momentum_buffer", buffer);
  }

  @Override
  public void restore(long steps, Map<String, float[]> state) {
    Optimizers.restoreInto("momentum_buffer", buffer, state);
    if (steps < 0) {
      throw new IllegalArgumentException("optimiser steps must be >= 0, got " + steps);
    }
    this.steps = steps;
  }
}
