package drsn.cli.internal;

import drsn.train.ConfusionMatrix;
import drsn.train.EpochSummary;
import drsn.train.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's JSON layout of drsn.train's results, as written to metrics.json and by eval --json:
 * flat keys that users' scripts read (test_loss, support, class_names, confusion), kept stable
 * independently of drsn.train's own toJsonObject layouts.
 */
public final class ReportJson {

  private ReportJson() {
  }

  /** samples, accuracy, loss, per_class (precision, recall, f1, support), class_names, confusion rows. */
  public static Map<String, Object> evaluation(Evaluation e) {
    ConfusionMatrix cm = e.confusion();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", e.examples());
    m.put("accuracy", e.accuracy());
    m.put("loss", e.loss());
    List<Object> per = new ArrayList<>();
    for (int c = 0; c < cm.classes(); c++) {
      Map<String, Object> pc = new LinkedHashMap<>();
      pc.put("class", cm.classNames().get(c));
      pc.put("precision", cm.precision(c));
      pc.put("recall", cm.recall(c));
      pc.put("f1", cm.f1(c));
      pc.put("support", cm.support(c));
      per.add(pc);
    }
    m.put("per_class", per);
    m.put("class_names", cm.classNames());
    List<Object> rows = new ArrayList<>();
    for (int a = 0; a < cm.classes(); a++) {
      List<Long> r = new ArrayList<>();
      for (int p = 0; p < cm.classes(); p++) {
        r.add(cm.count(a, p));
      }
      rows.add(r);
    }
    m.put("confusion", rows);
    return m;
  }

  /** One epoch, with its results on the validation part of the training data (null without one). */
  public static Map<String, Object> epoch(EpochSummary e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", e.epoch());
    m.put("train_loss", e.trainLoss());
    m.put("train_accuracy", e.trainAccuracy());
    m.put("validation_loss", e.validation() == null ? null : validationLoss(e));
    m.put("validation_accuracy", e.validation() == null ? null : e.validationAccuracy());
    m.put("learning_rate", e.learningRate());
    m.put("seconds", e.seconds());
    m.put("samples_per_second", e.samplesPerSecond());
    return m;
  }

  /** The epoch's loss on the validation split, NaN without one. */
  public static double validationLoss(EpochSummary e) {
    return e.validation() == null ? Double.NaN : e.validation().loss();
  }
}
