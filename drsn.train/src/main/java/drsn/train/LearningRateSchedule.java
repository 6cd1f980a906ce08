package drsn.train;

import java.util.Arrays;

/**
 * The learning rate at each optimisation step, as a pure function of the step (0-based) and the
 * run's total number of steps, so that a resumed run follows exactly the same rates.
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /** The learning rate for step {@code step} of {@code totalSteps}. */
  double rate(long step, long totalSteps);

  /** The same rate throughout. */
  static LearningRateSchedule constant(double lr) {
    positive("learning rate", lr);
    return (step, total) -> lr;
  }

  /**
   * Step decay: lr, multiplied by {@code factor} once the step reaches each fraction of training
   * (fractions in (0, 1), increasing): step ≥ ⌊fraction·totalSteps⌋.
   */
  static LearningRateSchedule steps(double lr, double factor, double... fractions) {
    positive("learning rate", lr);
    positive("decay factor", factor);
    double[] f = fractions.clone();
    for (int i = 0; i < f.length; i++) {
      if (!(f[i] > 0 && f[i] < 1) || (i > 0 && f[i] <= f[i - 1])) {
        throw new IllegalArgumentException("step fractions must increase within (0, 1), got "
            + Arrays.toString(f));
      }
    }
    return (step, total) -> {
      double r = lr;
      for (double x : f) {
        if (step >= (long) Math.floor(x * total)) {
          r *= factor;
        }
      }
      return r;
    };
  }

  /** The paper's schedule: lr, then ×0.1 at 40 % and again at 80 % of training (0.1 → 0.01 → 0.001). */
  static LearningRateSchedule paper(double lr) {
    return steps(lr, 0.1, 0.4, 0.8);
  }

  /** Cosine annealing from lr at step 0 to minLr at the last step. */
  static LearningRateSchedule cosine(double lr, double minLr) {
    positive("learning rate", lr);
    if (!(minLr >= 0 && minLr <= lr)) {
      throw new IllegalArgumentException("minimum learning rate must be in [0, " + lr + "], got " + minLr);
    }
    return (step, total) -> {
      double progress = total <= 1 ? 0 : (double) Math.min(step, total - 1) / (total - 1);
      return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * progress));
    };
  }

  /**
   * This schedule after a linear warm-up: during the first {@code warmupSteps} steps the rate is
   * this schedule's rate scaled by (step + 1)/warmupSteps.
   */
  default LearningRateSchedule withWarmup(long warmupSteps) {
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
    }
    LearningRateSchedule base = this;
    return (step, total) -> {
      double r = base.rate(step, total);
      return step < warmupSteps ? r * (step + 1) / warmupSteps : r;
    };
  }

  private static void positive(String what, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
    }
  }
}
