package drsn.cli.internal;

import drsn.data.NoiseAugmentation;
import drsn.data.NoiseKind;
import drsn.nn.Model;
import drsn.train.EarlyStopping;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.TrainingConfig;
import drsn.train.TrainingListener;
import java.nio.file.Path;

/**
 * The command line's training options, checked with messages naming the option, and turned into
 * drsn.train's {@link TrainingConfig}. The defaults ({@link Defaults}) are the same for train,
 * compare and demo.
 *
 * @param epochs             epochs to train, or 0 for "auto": until converged on the validation
 *                           split ({@link EarlyStopping#forStepsPerEpoch}), at most
 *                           {@link Defaults#MAX_STEPS} steps
 * @param batchSize          examples per step, or 0 for {@link Defaults#batchFor}
 * @param validationFraction share of the training data carved off for validation (model selection
 *                           and early stopping); 0 = none (train exactly --epochs, keep the final model)
 * @param optimizer          sgd, adam or adamw
 * @param schedule           auto (constant with reduce-on-plateau under early stopping, cosine for a
 *                           fixed number of epochs), step (×0.1 at 40 % and 80 % of training, as the
 *                           paper), cosine or constant
 * @param warmupEpochs       linear learning-rate warm-up over this many epochs (may be fractional)
 * @param clipNorm           clip the gradient's L2 norm to this (0 = off)
 * @param augment            auto ({@link Defaults#augmentsNoise}), noise (fresh white Gaussian noise on
 *                           every training example of every batch, at an SNR drawn from
 *                           [{@link Defaults#AUGMENT_MIN_SNR_DB}, {@link Defaults#AUGMENT_MAX_SNR_DB}] dB
 *                           relative to the example) or none
 */
public record TrainConfig(int epochs, int batchSize, double validationFraction, String optimizer,
                          double learningRate, double momentum, boolean nesterov, double weightDecay,
                          String schedule, double warmupEpochs, double clipNorm, int threads, long seed,
                          String augment) {

  /** Samples per micro-batch: the unit of parallel work and of batch-norm statistics. */
  static final int MICRO_BATCH = 32;

  public TrainConfig {
    if (epochs < 0 || epochs > 1_000_000) {
      throw new CliException("--epochs must be auto or in [1, 1000000], got " + epochs);
    }
    if (batchSize != 0 && (batchSize < 2 || batchSize > 65536)) {
      throw new CliException("--batch must be auto or in [2, 65536] (batch norm needs 2 samples), got " + batchSize);
    }
    if (!(validationFraction >= 0 && validationFraction <= 0.5)) {
      throw new CliException("--validation must be in [0, 0.5] (0 = no validation split), got " + validationFraction);
    }
    if (epochs == 0 && validationFraction == 0) {
      throw new CliException("--epochs auto stops when the model has converged on a validation split: give "
          + "--validation > 0, or a fixed --epochs N with --validation 0");
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new CliException("--lr must be a positive number, got " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new CliException("--momentum must be in [0, 1), got " + momentum);
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new CliException("--weight-decay must be >= 0, got " + weightDecay);
    }
    if (!(warmupEpochs >= 0) || !Double.isFinite(warmupEpochs)) {
      throw new CliException("--warmup must be >= 0, got " + warmupEpochs);
    }
    if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
      throw new CliException("--clip must be >= 0, got " + clipNorm);
    }
    if (threads < 1 || threads > TrainingConfig.MAX_THREADS) {
      throw new CliException("--threads must be in [1, " + TrainingConfig.MAX_THREADS + "], got " + threads);
    }
    switch (optimizer) {
      case "sgd", "adam", "adamw" -> {
      }
      default -> throw new CliException("--optimizer must be sgd, adam or adamw, got " + optimizer);
    }
    switch (schedule) {
      case "auto", "step", "cosine", "constant" -> {
      }
      default -> throw new CliException("--schedule must be auto, step, cosine or constant, got " + schedule);
    }
    switch (augment) {
      case "auto", "noise", "none" -> {
      }
      default -> throw new CliException("--augment must be auto, noise or none, got " + augment);
    }
    if (nesterov && !optimizer.equals("sgd")) {
      throw new CliException("--nesterov needs --optimizer sgd");
    }
  }

  /** True when the run stops on convergence rather than after a fixed number of epochs. */
  public boolean adaptive() {
    return epochs == 0;
  }

  /** The batch size for a training set of trainSize examples. */
  public int batchFor(int trainSize) {
    return batchSize > 0 ? batchSize : Defaults.batchFor(trainSize);
  }

  OptimizerSettings optimizerSettings() {
    return switch (optimizer) {
      case "sgd" -> OptimizerSettings.sgd(momentum, nesterov && momentum > 0, weightDecay);
      case "adam" -> OptimizerSettings.adam(0.9, 0.999, 1e-8, weightDecay);
      default -> OptimizerSettings.adamW(0.9, 0.999, 1e-8, weightDecay);
    };
  }

  LearningRateSchedule scheduleFor(int batchesPerEpoch) {
    String s = schedule.equals("auto") ? (adaptive() ? "constant" : "cosine") : schedule;
    LearningRateSchedule r = switch (s) {
      case "step" -> LearningRateSchedule.paper(learningRate);
      case "cosine" -> LearningRateSchedule.cosine(learningRate, 0);
      default -> LearningRateSchedule.constant(learningRate);
    };
    long warm = Math.round(warmupEpochs * batchesPerEpoch);
    return warm > 0 ? r.withWarmup(warm) : r;
  }

  /** True when training examples of this length get fresh noise in every batch. */
  public boolean augmentsNoise(int exampleLength) {
    return augment.equals("noise") || (augment.equals("auto") && Defaults.augmentsNoise(exampleLength));
  }

  /**
   * drsn.train's configuration for a training set of trainSize examples of exampleLength samples,
   * starting from an initial model's weights (null: seeded initialisation).
   */
  public TrainingConfig toTrainingConfig(int trainSize, int exampleLength, TrainingListener listener, Path checkpoints,
                                         Model initial) {
    int batch = batchFor(trainSize);
    int batches = Math.max(1, trainSize / batch + (trainSize % batch > 1 ? 1 : 0));
    TrainingConfig.Builder b = TrainingConfig.builder().batchSize(batch)
        .microBatchSize(Math.min(MICRO_BATCH, batch)).threads(threads).seed(seed)
        .optimizer(optimizerSettings()).schedule(scheduleFor(batches)).clipGradientNorm(clipNorm)
        .evaluationBatchSize(128);
    if (adaptive()) {
      EarlyStopping rule = EarlyStopping.forStepsPerEpoch(batches);
      b.epochs(Math.max(rule.minEpochs(), (Defaults.MAX_STEPS + batches - 1) / batches)).earlyStopping(rule);
    } else {
      b.epochs(epochs);
    }
    if (augmentsNoise(exampleLength)) {
      b.augmentation(new NoiseAugmentation(NoiseKind.WHITE_GAUSSIAN, Defaults.AUGMENT_MIN_SNR_DB,
          Defaults.AUGMENT_MAX_SNR_DB));
    }
    if (listener != null) {
      b.listener(listener);
    }
    if (checkpoints != null) {
      b.checkpoints(checkpoints, 1);
    }
    if (initial != null) {
      b.initialModel(initial);
    }
    return b.build();
  }
}
