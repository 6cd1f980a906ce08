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
  /**
   * The paper's optimiser: SGD with momentum 0.9 at 0.1 (halved on plateaus). Measured against Adam
   * at 0.003 with everything else default (docs/results.md section 7): UCR 5 of 6 sets within 2
   * points of the published ResNet against 4 of 6; on CWRU at −4 dB (seeds 1–3) DRSN-CW
   * 96.96 ± 0.56 % against 96.79 ± 2.22 %. Under Adam the shrinkage networks fit their training data
   * more slowly than ResNet (docs/results/research17.md).
   */
  public static final String OPTIMIZER = "sgd";
  public static final double LEARNING_RATE = 0.1;
  public static final double WEIGHT_DECAY = 1e-4;
  /** Most optimisation steps of a run that stops on convergence. */
  public static final int MAX_STEPS = 20_000;
  public static final long SEED = 42;
  /**
   * Examples at least this long are taken for windows of a recorded signal (vibration, sound): they
   * get the paper's network and noise augmentation by default. Shorter ones are taken for short
   * series (a heartbeat, a shape) and get the compact network without augmentation.
   */
  public static final int LONG_WINDOW = 1024;
  /** Noise augmentation: the SNR range, in dB relative to each (already noisy) training window. */
  public static final double AUGMENT_MIN_SNR_DB = -6;
  public static final double AUGMENT_MAX_SNR_DB = 20;

  /**
   * Whether training windows of this length get fresh white Gaussian noise in every batch. A model
   * trained on windows that all carry one noise condition learns the noise floor as a feature and
   * fails when the noise changes — also on cleaner data (docs/results.md, robustness across noise
   * levels); noise at a random SNR in every batch removes that cue and costs nothing at the
   * training SNR.
   */
  public static boolean augmentsNoise(int exampleLength) {
    return exampleLength >= LONG_WINDOW;
  }

  private Defaults() {
  }

  /**
   * Examples per step: a tenth of the training set within [16, 64] as the target, then evened out
   * over the epoch's steps (⌈n / steps⌉), so that no step trains on a sliver of a batch — batch
   * norm over two examples is mostly noise. Small sets get several steps per epoch instead of one
   * step over everything; large ones stay at 64.
   */
  public static int batchFor(int trainSize) {
    if (trainSize <= 2) {
      return 2;
    }
    int target = Math.max(16, Math.min(64, (trainSize + 9) / 10));
    int steps = (trainSize + target - 1) / target;
    return Math.max(2, (trainSize + steps - 1) / steps);
  }
}
