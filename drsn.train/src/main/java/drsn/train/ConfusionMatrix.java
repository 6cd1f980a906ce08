package drsn.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of (actual class, predicted class) over a set of examples, with accuracy and per-class
 * precision, recall and F1. A metric whose denominator is zero (a class never predicted, or
 * absent) is 0, as scikit-learn's {@code zero_division=0}. Immutable.
 */
public final class ConfusionMatrix {

  private final List<String> classNames;
  private final long[] counts;

  /** From counts laid out [actual][predicted] row-major (copied). */
  public ConfusionMatrix(List<String> classNames, long[] counts) {
    if (classNames == null || classNames.isEmpty()) {
      throw new IllegalArgumentException("need at least one class name, got " + classNames);
    }
    int k = classNames.size();
    if (counts == null || counts.length != (long) k * k) {
      throw new IllegalArgumentException("expected " + k + "x" + k + " counts, got "
          + (counts == null ? "null" : counts.length));
    }
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("counts must be >= 0, got " + c);
      }
    }
    this.classNames = List.copyOf(classNames);
    this.counts = counts.clone();
  }

  /** Tallies predictions against labels. */
  public static ConfusionMatrix of(List<String> classNames, int[] labels, int[] predictions) {
    int k = classNames.size();
    if (labels == null || predictions == null || labels.length != predictions.length) {
      throw new IllegalArgumentException("labels and predictions must have the same length, got "
          + (labels == null ? "null" : labels.length) + " and " + (predictions == null ? "null" : predictions.length));
    }
    long[] c = new long[k * k];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= k || predictions[i] < 0 || predictions[i] >= k) {
        throw new IllegalArgumentException("example " + i + ": label " + labels[i] + " and prediction "
            + predictions[i] + " must be in [0, " + k + ")");
      }
      c[labels[i] * k + predictions[i]]++;
    }
    return new ConfusionMatrix(classNames, c);
  }

  public int classes() {
    return classNames.size();
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Examples of class {@code actual} predicted as {@code predicted}. */
  public long count(int actual, int predicted) {
    int k = classes();
    if (actual < 0 || actual >= k || predicted < 0 || predicted >= k) {
      throw new IllegalArgumentException("classes must be in [0, " + k + "), got " + actual + ", " + predicted);
    }
    return counts[actual * k + predicted];
  }

  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** Fraction predicted correctly (0 for no examples). */
  public double accuracy() {
    long t = total();
    long correct = 0;
    for (int c = 0; c < classes(); c++) {
      correct += count(c, c);
    }
    return t == 0 ? 0 : (double) correct / t;
  }

  /** Of the examples predicted as c, the fraction that are c. */
  public double precision(int c) {
    long predicted = 0;
    for (int a = 0; a < classes(); a++) {
      predicted += count(a, c);
    }
    return predicted == 0 ? 0 : (double) count(c, c) / predicted;
  }

  /** Number of examples of class c (the sum of its row). */
  public long support(int c) {
    long actual = 0;
    for (int p = 0; p < classes(); p++) {
      actual += count(c, p);
    }
    return actual;
  }

  /** Of the examples of class c, the fraction predicted as c. */
  public double recall(int c) {
    long actual = support(c);
    return actual == 0 ? 0 : (double) count(c, c) / actual;
  }

  /** Harmonic mean of precision and recall of class c. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Unweighted mean of the per-class F1 scores. */
  public double macroF1() {
    double s = 0;
    for (int c = 0; c < classes(); c++) {
      s += f1(c);
    }
    return s / classes();
  }

  /** A JSON-ready view: class names, the matrix rows, and per-class metrics. */
  public Map<String, Object> toJsonObject() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("classes", classNames);
    List<Object> rows = new ArrayList<>();
    List<Object> perClass = new ArrayList<>();
    for (int a = 0; a < classes(); a++) {
      List<Object> row = new ArrayList<>();
      for (int p = 0; p < classes(); p++) {
        row.add(count(a, p));
      }
      rows.add(row);
      Map<String, Object> pc = new LinkedHashMap<>();
      pc.put("class", classNames.get(a));
      pc.put("precision", precision(a));
      pc.put("recall", recall(a));
      pc.put("f1", f1(a));
      perClass.add(pc);
    }
    m.put("matrix", rows);
    m.put("per_class", perClass);
    m.put("macro_f1", macroF1());
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix c && c.classNames.equals(classNames) && Arrays.equals(c.counts, counts);
  }

  @Override
  public int hashCode() {
    return classNames.hashCode() * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ConfusionMatrix (rows: actual, columns: predicted)\n");
    for (int a = 0; a < classes(); a++) {
      sb.append(classNames.get(a)).append(':');
      for (int p = 0; p < classes(); p++) {
        sb.append(' ').append(count(a, p));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
