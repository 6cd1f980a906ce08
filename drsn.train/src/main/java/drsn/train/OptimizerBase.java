package drsn.train;

import java.util.Map;

/**
 * What the optimisers share: their settings, the weight-decay mask (one flag per parameter
 * scalar), the step count, and the checks on the arrays they update and the state they restore.
 */
abstract class OptimizerBase {

  final OptimizerSettings settings;
  final boolean[] decay;
  long steps;

  OptimizerBase(OptimizerSettings settings, boolean[] decayMask) {
    this.settings = settings;
    this.decay = decayMask.clone();
  }

  public OptimizerSettings settings() {
    return settings;
  }

  public long steps() {
    return steps;
  }

  /** Parameters and gradients must both have one float per scalar of the mask. */
  final void checkArrays(float[] w, float[] g) {
    int n = decay.length;
    if (w == null || g == null || w.length != n || g.length != n) {
      throw new IllegalArgumentException("expected parameters and gradients of " + n + " floats, got "
          + (w == null ? "null" : w.length) + " and " + (g == null ? "null" : g.length));
    }
  }

  /** Restores the step count (checked) before the buffers are copied in with {@link #restoreInto}. */
  final void restoreSteps(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("optimiser steps must be >= 0, got " + steps);
    }
    this.steps = steps;
  }

  static void restoreInto(String name, float[] target, Map<String, float[]> state) {
    float[] src = state == null ? null : state.get(name);
    if (src == null || src.length != target.length) {
      throw new IllegalArgumentException("optimiser state '" + name + "': expected " + target.length
          + " floats, got " + (src == null ? "none" : src.length));
    }
    System.arraycopy(src, 0, target, 0, target.length);
  }
}
