package drsn.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification metrics from a confusion matrix {@code counts[true][predicted]}: accuracy and,
 * per class, precision, recall, F1 and support (a class never predicted has precision 0).
 */
public record Metrics(List<String> classNames, long[][] confusion, double loss) {

  public static Metrics of(List<String> classNames, int[] truth, int[] predicted, double loss) {
    int k = classNames.size();
    long[][] m = new long[k][k];
    for (int i = 0; i < truth.length; i++) {
      m[truth[i]][predicted[i]]++;
    }
    return new Metrics(classNames, m, loss);
  }

  public long total() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  public double accuracy() {
    long n = total();
    long ok = 0;
    for (int i = 0; i < confusion.length; i++) {
      ok += confusion[i][i];
    }
    return n == 0 ? 0 : (double) ok / n;
  }

  public long support(int c) {
    long s = 0;
    for (long v : confusion[c]) {
      s += v;
    }
    return s;
  }

  public double precision(int c) {
    long col = 0;
    for (long[] row : confusion) {
      col += row[c];
    }
    return col == 0 ? 0 : (double) confusion[c][c] / col;
  }

  public double recall(int c) {
    long s = support(c);
    return s == 0 ? 0 : (double) confusion[c][c] / s;
  }

  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** As a JSON-ready map: accuracy, loss, per-class metrics, confusion matrix. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", total());
    m.put("accuracy", accuracy());
    m.put("loss", loss);
    List<Object> per = new ArrayList<>();
    for (int c = 0; c < classNames.size(); c++) {
      Map<String, Object> pc = new LinkedHashMap<>();
      pc.put("class", classNames.get(c));
      pc.put("precision", precision(c));
      pc.put("recall", recall(c));
      pc.put("f1", f1(c));
      pc.put("support", support(c));
      per.add(pc);
    }
    m.put("per_class", per);
    m.put("class_names", classNames);
    List<Object> rows = new ArrayList<>();
    for (long[] row : confusion) {
      List<Long> r = new ArrayList<>();
      for (long v : row) {
        r.add(v);
      }
      rows.add(r);
    }
    m.put("confusion", rows);
    return m;
  }
}
