package drsn.data.io;

import java.util.List;

/**
 * Labelled examples read from a table: one series per example, a class index per example, and
 * the class names as they were written in the file.
 *
 * <p>Class indices run from 0 to {@code classNames.size() - 1}, in the order the loader documents
 * (numeric order for numeric labels). The arrays are not copied: they belong to the caller.
 *
 * @param source     the file path or the name given
 * @param series     one array of samples per example (all the same length unless the loader
 *                   was asked to accept varying lengths)
 * @param labels     the class index of each example
 * @param classNames the original label of each class index
 */
public record LabelledSeries(String source, double[][] series, int[] labels, List<String> classNames) {

  public LabelledSeries {
    classNames = List.copyOf(classNames);
    if (series.length != labels.length) {
      throw new IllegalArgumentException("series and labels must have the same count, got " + series.length
          + " and " + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("label " + i + " must be in [0, " + classNames.size() + "), got "
            + labels[i]);
      }
    }
  }

  /** The number of examples. */
  public int size() {
    return series.length;
  }

  /** The number of classes. */
  public int classCount() {
    return classNames.size();
  }

  /** The common series length, or -1 if the series differ in length (or there are none). */
  public int length() {
    if (series.length == 0) {
      return -1;
    }
    int len = series[0].length;
    for (double[] s : series) {
      if (s.length != len) {
        return -1;
      }
    }
    return len;
  }

  /** The series converted to float (rounded to nearest), for tensors. */
  public float[][] toFloats() {
    float[][] f = new float[series.length][];
    for (int i = 0; i < series.length; i++) {
      f[i] = new float[series[i].length];
      for (int t = 0; t < f[i].length; t++) {
        f[i][t] = (float) series[i][t];
      }
    }
    return f;
  }

  @Override
  public String toString() {
    return "LabelledSeries[" + source + ": " + size() + " examples, length " + length() + ", classes " + classNames
        + "]";
  }
}
