package drsn.cli.internal;

import drsn.nn.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a finished training run reports: model, history, final test metrics, inspection. */
public record RunResult(String name, Model model, List<EpochStats> history, Metrics test, double trainSeconds,
                        List<Inspection.UnitThresholds> thresholds, Inspection.ShrinkageExample example) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("model", ModelSummary.describe(model.architecture()));
    m.put("train_seconds", trainSeconds);
    List<Object> h = new ArrayList<>();
    for (EpochStats e : history) {
      h.add(e.toMap());
    }
    m.put("history", h);
    m.put("test", test.toMap());
    List<Object> t = new ArrayList<>();
    for (Inspection.UnitThresholds u : thresholds) {
      t.add(Inspection.toMap(u));
    }
    m.put("thresholds", t);
    return m;
  }
}
