package drsn.train;

/**
 * Train until the model has converged on a validation set, instead of for a fixed number of epochs.
 * After every epoch the model is evaluated on the validation set; an epoch <em>improves</em> when
 * its validation accuracy is higher than the best so far, or equal with a validation loss lower by
 * a relative margin of {@value #MIN_RELATIVE_IMPROVEMENT}. The kept model is the best one.
 * Accuracy ranks first: on a validation set of a few examples the loss bottoms out after a handful
 * of steps, driven by a few confident mistakes, long before the model is best.
 * <ul>
 *   <li>after {@code plateauEpochs} epochs without improvement the learning rate is multiplied by
 *       {@code decayFactor} (as long as it stays at or above {@code minRateScale} of the initial
 *       rate) — a reduce-on-plateau schedule on top of the configured one;</li>
 *   <li>after {@code patienceEpochs} epochs without improvement training stops;</li>
 *   <li>it never stops before {@code minEpochs}, and never runs past the configured number of
 *       epochs ({@link TrainingConfig#epochs()}, the budget's cap).</li>
 * </ul>
 * Every decision depends only on the validation results, so a run is as deterministic as its
 * training steps, and a resumed run replays the decisions from its saved history.
 *
 * @param patienceEpochs epochs without improvement before stopping (≥ 1)
 * @param plateauEpochs  epochs without improvement before each learning-rate decay (≥ 1)
 * @param decayFactor    learning-rate factor per plateau, in (0, 1]
 * @param minRateScale   smallest learning-rate scale the plateaus may reach, in (0, 1]
 * @param minEpochs      epochs always trained (≥ 1)
 */
public record EarlyStopping(int patienceEpochs, int plateauEpochs, double decayFactor, double minRateScale,
                            int minEpochs) {

  /** The relative validation-loss drop that counts as an improvement when the accuracy ties. */
  public static final double MIN_RELATIVE_IMPROVEMENT = 1e-3;

  /**
   * Optimisation steps without improvement before training stops: the patience scales with the
   * data, so that a set of twenty series (one step per epoch) gets hundreds of epochs and a set of
   * a hundred thousand windows (thousands of steps per epoch) a few.
   */
  public static final int PATIENCE_STEPS = 400;
  /** Fewest epochs of patience, whatever the data size. */
  public static final int MIN_PATIENCE_EPOCHS = 6;
  /** Steps always trained before stopping is considered. */
  public static final int MIN_STEPS = 200;

  public EarlyStopping {
    if (patienceEpochs < 1 || plateauEpochs < 1 || minEpochs < 1) {
      throw new IllegalArgumentException("patience, plateau and minimum epochs must be >= 1, got " + patienceEpochs
          + ", " + plateauEpochs + ", " + minEpochs);
    }
    if (!(decayFactor > 0 && decayFactor <= 1)) {
      throw new IllegalArgumentException("learning-rate decay factor must be in (0, 1], got " + decayFactor);
    }
    if (!(minRateScale > 0 && minRateScale <= 1)) {
      throw new IllegalArgumentException("minimum learning-rate scale must be in (0, 1], got " + minRateScale);
    }
  }

  /**
   * The rule for a run of {@code stepsPerEpoch} optimisation steps per epoch: patience of
   * max({@value #MIN_PATIENCE_EPOCHS}, ⌈{@value #PATIENCE_STEPS} / stepsPerEpoch⌉) epochs, the
   * learning rate halved after a third of that without improvement (down to 1/16 of the initial
   * rate), at least max(3, ⌈{@value #MIN_STEPS} / stepsPerEpoch⌉) epochs.
   */
  public static EarlyStopping forStepsPerEpoch(int stepsPerEpoch) {
    if (stepsPerEpoch < 1) {
      throw new IllegalArgumentException("steps per epoch must be >= 1, got " + stepsPerEpoch);
    }
    int patience = Math.max(MIN_PATIENCE_EPOCHS, ceilDiv(PATIENCE_STEPS, stepsPerEpoch));
    int plateau = Math.max(2, patience / 3);
    int min = Math.max(3, ceilDiv(MIN_STEPS, stepsPerEpoch));
    return new EarlyStopping(patience, plateau, 0.5, 1.0 / 16, min);
  }

  /** A fresh monitor of this rule. */
  public ConvergenceMonitor monitor() {
    return new ConvergenceMonitor(this);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
