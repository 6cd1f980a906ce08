package drsn.cli.internal;

/**
 * Hyper-parameters of a run.
 *
 * @param optimizer   sgd, adam or adamw
 * @param schedule    step (×0.1 at 40 % and 80 % of training, as the paper), cosine or constant
 * @param warmupEpochs linear learning-rate warm-up over this many epochs (may be fractional)
 * @param clipNorm    clip the gradient's L2 norm to this (0 = off)
 */
public record TrainConfig(int epochs, int batchSize, String optimizer, double learningRate, double momentum,
                          boolean nesterov, double weightDecay, String schedule, double warmupEpochs,
                          double clipNorm, int threads, long seed) {

  public TrainConfig {
    if (epochs < 1) {
      throw new CliException("--epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 1 || batchSize > 65536) {
      throw new CliException("--batch must be in [1, 65536], got " + batchSize);
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
    if (!(warmupEpochs >= 0)) {
      throw new CliException("--warmup must be >= 0, got " + warmupEpochs);
    }
    if (!(clipNorm >= 0)) {
      throw new CliException("--clip must be >= 0, got " + clipNorm);
    }
    if (threads < 1 || threads > 256) {
      throw new CliException("--threads must be in [1, 256], got " + threads);
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
  }

  /** Learning rate at fractional epoch t (0 ≤ t < epochs). */
  public double learningRateAt(double t) {
    double p = t / epochs;
    double lr = switch (schedule) {
      case "step" -> learningRate * (p < 0.4 ? 1 : p < 0.8 ? 0.1 : 0.01);
      case "cosine" -> 0.5 * learningRate * (1 + Math.cos(Math.PI * p));
      default -> learningRate;
    };
    if (warmupEpochs > 0 && t < warmupEpochs) {
      lr *= (t + 1e-3) / warmupEpochs;
    }
    return lr;
  }
}
