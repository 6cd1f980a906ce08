package drsn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's results on a dataset, evaluated in evaluation mode (running batch-norm statistics):
 * mean cross-entropy loss, accuracy and the confusion matrix with per-class metrics.
 */
public record Evaluation(double loss, ConfusionMatrix confusion) {

  public Evaluation {
    if (confusion == null) {
      throw new IllegalArgumentException("confusion matrix must not be null");
    }
  }

  public double accuracy() {
    return confusion.accuracy();
  }

  /** Number of examples evaluated. */
  public long examples() {
    return confusion.total();
  }

  public Map<String, Object> toJsonObject() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("accuracy", accuracy());
    m.put("examples", examples());
    m.putAll(confusion.toJsonObject());
    return m;
  }
}
