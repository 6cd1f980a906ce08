package drsn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch achieved.
 *
 * @param epoch            the epoch's number, 1-based
 * @param trainLoss        mean training loss over the epoch's batches (batch-norm in training mode)
 * @param trainAccuracy    fraction of training examples the network classified correctly while training
 * @param learningRate     the learning rate of the epoch's last step
 * @param seconds          wall-clock seconds the epoch's training took (evaluation excluded)
 * @param samplesPerSecond training throughput of the epoch
 * @param validation       results on the validation set, or null without one
 */
public record EpochSummary(int epoch, double trainLoss, double trainAccuracy, double learningRate, double seconds,
                           double samplesPerSecond, Evaluation validation) {

  /** Validation accuracy, or NaN without a validation set. */
  public double validationAccuracy() {
    return validation == null ? Double.NaN : validation.accuracy();
  }

  public Map<String, Object> toJsonObject() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("train_loss", trainLoss);
    m.put("train_accuracy", trainAccuracy);
    m.put("learning_rate", learningRate);
    m.put("seconds", seconds);
    m.put("samples_per_second", samplesPerSecond);
    m.put("validation", validation == null ? null : validation.toJsonObject());
    return m;
  }
}
