package drsn.cli.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** One epoch of a run: training loss/accuracy (running means), test loss/accuracy, rate, time. */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double learningRate, double seconds, double samplesPerSecond) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("train_loss", trainLoss);
    m.put("train_accuracy", trainAccuracy);
    m.put("test_loss", testLoss);
    m.put("test_accuracy", testAccuracy);
    m.put("learning_rate", learningRate);
    m.put("seconds", seconds);
    m.put("samples_per_second", samplesPerSecond);
    return m;
  }
}
