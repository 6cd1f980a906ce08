package drsn.cli.internal;

import drsn.data.Dataset;
import drsn.nn.Model;
import drsn.nn.Predictor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per recording (window origins' unit) of an evaluated dataset: its class, its windows, the share
 * of them classified correctly and the share predicted as each class, in time order, with the
 * changes of the predicted state. What a single accuracy over all windows hides: one recording
 * wholly wrong among many right ones.
 */
public final class RecordingSummary {

  /** One recording's result. */
  public record Row(String name, String trueClass, int windows, double accuracy, double[] share, int changes) {
  }

  private RecordingSummary() {
  }

  /** One row per unit, in unit order; empty for data not cut from recordings. */
  public static List<Row> of(Model m, Dataset d, List<String> unitNames) {
    if (!d.hasWindowOrigins() || d.size() == 0) {
      return List.of();
    }
    Predictor p = m.predictor();
    int k = m.architecture().classes();
    int size = d.exampleSize();
    int[] predicted = new int[d.size()];
    int batch = 64;
    float[] in = new float[batch * size];
    float[] out = new float[batch * k];
    for (int first = 0; first < d.size(); first += batch) {
      int n = Math.min(batch, d.size() - first);
      for (int i = 0; i < n; i++) {
        d.copyExample(first + i, in, i * size);
      }
      float[] x = n == batch ? in : Arrays.copyOf(in, n * size);
      p.predictBatch(x, n, out);
      for (int i = 0; i < n; i++) {
        predicted[first + i] = Timeline.argmax(Arrays.copyOfRange(out, i * k, (i + 1) * k));
      }
    }
    Map<Integer, List<Integer>> byUnit = new TreeMap<>();
    for (int i = 0; i < d.size(); i++) {
      byUnit.computeIfAbsent(d.windowOrigin(i).recording(), u -> new ArrayList<>()).add(i);
    }
    List<Row> rows = new ArrayList<>();
    for (var e : byUnit.entrySet()) {
      List<Integer> idx = new ArrayList<>(e.getValue());
      idx.sort((a, b) -> Integer.compare(d.windowOrigin(a).start(), d.windowOrigin(b).start()));
      double[] share = new double[k];
      int right = 0;
      int changes = 0;
      int previousClass = -1;
      for (int i : idx) {
        share[predicted[i]] += 1.0 / idx.size();
        right += predicted[i] == d.label(i) ? 1 : 0;
        if (previousClass >= 0 && predicted[i] != previousClass) {
          changes++;
        }
        previousClass = predicted[i];
      }
      int u = e.getKey();
      String name = u < unitNames.size() ? unitNames.get(u) : "recording " + u;
      rows.add(new Row(name, d.classNames().get(d.label(idx.getFirst())), idx.size(), (double) right / idx.size(),
          share, changes));
    }
    return rows;
  }

  public static void print(PrintWriter o, List<Row> rows, List<String> classNames) {
    if (rows.isEmpty()) {
      return;
    }
    o.println("per recording (windows, accuracy, share of windows per predicted class, changes of state):");
    for (Row r : rows) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %s [%s]: %d windows, accuracy %.3f;",
          r.name(), r.trueClass(), r.windows(), r.accuracy()));
      for (int c = 0; c < r.share().length; c++) {
        if (r.share()[c] > 0) {
          b.append(String.format(Locale.ROOT, " %s %.0f %%", classNames.get(c), 100 * r.share()[c]));
        }
      }
      b.append("; ").append(r.changes()).append(r.changes() == 1 ? " change" : " changes");
      o.println(b);
    }
  }

  public static List<Object> toJson(List<Row> rows, List<String> classNames) {
    List<Object> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("recording", r.name());
      m.put("class", r.trueClass());
      m.put("windows", r.windows());
      m.put("accuracy", r.accuracy());
      Map<String, Object> share = new LinkedHashMap<>();
      for (int c = 0; c < r.share().length; c++) {
        share.put(classNames.get(c), r.share()[c]);
      }
      m.put("share", share);
      m.put("changes", r.changes());
      out.add(m);
    }
    return out;
  }
}
