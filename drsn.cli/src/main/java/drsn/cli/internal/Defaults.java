package drsn.cli.internal;

/**
 * The defaults of every training command (train, compare, demo), written once. They are meant to
 * give a good model without tuning on a user's own data, from a few hundred short series to a
 * hundred thousand windows; each rule is documented where it is applied.
 */
public final class Defaults {

  /** Window length for windowed sources (built-in data, CWRU). */
  public static final int WINDOW = 2048;
  /** Built-in data: examples per class. */
  public static final int PER_CLASS = 100;
  /** Share of the training data held out for validation. */
  public static final double VALIDATION = 0.2;
  public static final String OPTIMIZER = "adam";
  public static final double LEARNING_RATE = 0.003;
  public static final double WEIGHT_DECAY = 1e-4;
  /** Most optimisation steps of a run that stops on convergence. */
  public static final int MAX_STEPS = 20_000;
  public static final long SEED = 42;

  private Defaults() {
  }

  /**
   * Examples per step: a tenth of the training set, within [16, 64] (at least 2). Small sets get
   * several steps per epoch instead of one step over everything; large ones stay at 64.
   */
  public static int batchFor(int trainSize) {
    return Math.max(2, Math.min(trainSize, Math.max(16, Math.min(64, (trainSize + 9) / 10))));
  }
}
