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
 * Everything a finished training run reports: model, history (its validation set is the test
 * split), final test metrics, inspection.
 */
public record RunResult(String name, Model model, List<EpochSummary> history, Evaluation test, double trainSeconds,
                        List<ShrinkageStatistics> thresholds, Inspection.ShrinkageExample example) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("model", ModelSummary.describe(model.architecture()));
    m.put("train_seconds", trainSeconds);
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
