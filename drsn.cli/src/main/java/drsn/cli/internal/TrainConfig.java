package drsn.cli.internal;

import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.TrainingConfig;
import drsn.train.TrainingListener;
import java.nio.file.Path;

/**
 * The command line's training options, checked with messages naming the option, and turned into
 * drsn.train's {@link TrainingConfig}.
 *
 * @param optimizer    sgd, adam or adamw
 * @param schedule     step (×0.1 at 40 % and 80 % of training, as the paper), cosine or constant
 * @param warmupEpochs linear learning-rate warm-up over this many epochs (may be fractional)
 * @param clipNorm     clip the gradient's L2 norm to this (0 = off)
 */
public record TrainConfig(int epochs, int batchSize, String optimizer, double learningRate, double momentum,
                          boolean nesterov, double weightDecay, String schedule, double warmupEpochs,
                          double clipNorm, int threads, long seed) {

  /** Samples per micro-batch: the unit of parallel work and of batch-norm statistics. */
  static final int MICRO_BATCH = 32;

  public TrainConfig {
    if (epochs < 1 || epochs > 1_000_000) {
      throw new CliException("--epochs must be in [1, 1000000], got " + epochs);
    }
    if (batchSize < 2 || batchSize > 65536) {
      throw new CliException("--batch must be in [2, 65536] (batch norm needs 2 samples), got " + batchSize);
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
      case "step", "cosine", "constant" -> {
      }
      default -> throw new CliException("--schedule must be step, cosine or constant, got " + schedule);
    }
    if (nesterov && !optimizer.equals("sgd")) {
      throw new CliException("--nesterov needs --optimizer sgd");
    }
  }

  OptimizerSettings optimizerSettings() {
    return switch (optimizer) {
      case "sgd" -> OptimizerSettings.sgd(momentum, nesterov && momentum > 0, weightDecay);
      case "adam" -> OptimizerSettings.adam(0.9, 0.999, 1e-8, weightDecay);
      default -> OptimizerSettings.adamW(0.9, 0.999, 1e-8, weightDecay);
    };
  }

  LearningRateSchedule scheduleFor(int batchesPerEpoch) {
    LearningRateSchedule s = switch (schedule) {
      case "step" -> LearningRateSchedule.paper(learningRate);
      case "cosine" -> LearningRateSchedule.cosine(learningRate, 0);
      default -> LearningRateSchedule.constant(learningRate);
    };
    long warm = Math.round(warmupEpochs * batchesPerEpoch);
    return warm > 0 ? s.withWarmup(warm) : s;
  }

  /** drsn.train's configuration for a training set of trainSize examples. */
  public TrainingConfig toTrainingConfig(int trainSize, TrainingListener listener, Path checkpoints) {
    return toTrainingConfig(trainSize, listener, checkpoints, null);
  }

  /** As above, starting from an initial model's weights (null: seeded initialisation). */
  public TrainingConfig toTrainingConfig(int trainSize, TrainingListener listener, Path checkpoints,
                                         drsn.nn.Model initial) {
    int batches = Math.max(1, trainSize / batchSize + (trainSize % batchSize > 1 ? 1 : 0));
    TrainingConfig.Builder b = TrainingConfig.builder().epochs(epochs).batchSize(batchSize)
        .microBatchSize(Math.min(MICRO_BATCH, batchSize)).threads(threads).seed(seed)
        .optimizer(optimizerSettings()).schedule(scheduleFor(batches)).clipGradientNorm(clipNorm)
        .evaluationBatchSize(128);
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
