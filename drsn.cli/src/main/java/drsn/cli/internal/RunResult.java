package drsn.cli.internal;

import drsn.nn.ShrinkageStatistics;
import drsn.nn.Model;
import drsn.train.EpochSummary;
import drsn.train.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a finished training run reports: the kept model, the history (its validation results
 * are on the validation part carved from the training data, never on the test split), the test
 * metrics of the kept model, inspection, and how the run ended.
 *
 * @param chosenEpoch    the epoch whose model was kept (the best on validation; the last without
 *                       a validation split)
 * @param stopReason     why training ended (convergence, epoch budget, time limit)
 * @param validationSize examples in the validation part (0 without one)
 * @param trainSize      examples actually trained on
 */
public record RunResult(String name, Model model, List<EpochSummary> history, Evaluation test, double trainSeconds,
                        List<ShrinkageStatistics> thresholds, Inspection.ShrinkageExample example, int chosenEpoch,
                        String stopReason, int validationSize, int trainSize) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("model", ModelSummary.describe(model.architecture()));
    m.put("train_seconds", trainSeconds);
    m.put("train_examples", trainSize);
    m.put("validation_examples", validationSize);
    m.put("epochs_trained", history.size());
    m.put("chosen_epoch", chosenEpoch);
    m.put("stop_reason", stopReason);
    List<Object> h = new ArrayList<>();
    for (EpochSummary e : history) {
      h.add(ReportJson.epoch(e));
    }
    m.put("history", h);
    m.put("test", ReportJson.evaluation(test));
    List<Object> t = new ArrayList<>();
    for (ShrinkageStatistics u : thresholds) {
      t.add(Inspection.toMap(u));
    }
    m.put("thresholds", t);
    return m;
  }
}
