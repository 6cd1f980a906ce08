package drsn.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The UCR time-series archive's text format: one series per line, the class label first, then
 * the samples, separated by tabs (the 2018 archive) or commas (older releases; chosen when the
 * first line has no tab).
 *
 * <p>Labels are numbers (the archive uses -1/1, or integers from 0 or 1); they are mapped to
 * class indices 0..K−1 in increasing numeric order, and the text of each label is kept as its
 * class name. Read a train and a test file with {@link #readPair} so both use the same mapping
 * even if a class is missing from one of them.
 *
 * <p>Every line must have the same number of fields, and every sample must be a finite number.
 * Some archive sets of varying length pad short series with NaN at the end: with
 * {@code allowNaNPadding} such trailing NaNs are dropped (the series then differ in length) and
 * lines may differ in field count; a NaN followed by a number is still an error.
 */
public final class UcrTsv {

  private UcrTsv() {
  }

  /** Reads one file, strictly (no NaN). */
  public static LabelledSeries read(Path path) throws IOException {
    return read(path, false);
  }

  /** Reads one file; see the class documentation for {@code allowNaNPadding}. */
  public static LabelledSeries read(Path path, boolean allowNaNPadding) throws IOException {
    String name = path.toString();
    return map(List.of(parse(SourceBytes.readText(path), name, allowNaNPadding))).get(0);
  }

  /** Reads from memory; {@code name} is used in messages. */
  public static LabelledSeries read(byte[] bytes, String name, boolean allowNaNPadding) throws SignalFormatException {
    SourceBytes.checkArgs(bytes, name);
    return map(List.of(parse(bytes, name, allowNaNPadding))).get(0);
  }

  /** Reads a whole stream (not closed); {@code name} is used in messages. */
  public static LabelledSeries read(InputStream in, String name, boolean allowNaNPadding) throws IOException {
    return map(List.of(parse(SourceBytes.read(in, name), name, allowNaNPadding))).get(0);
  }

  /**
   * Reads a train and a test file with one label mapping built from the labels of both.
   *
   * @return the train set at index 0, the test set at index 1
   */
  public static List<LabelledSeries> readPair(Path train, Path test, boolean allowNaNPadding) throws IOException {
    Raw a = parse(SourceBytes.readText(train), train.toString(), allowNaNPadding);
    Raw b = parse(SourceBytes.readText(test), test.toString(), allowNaNPadding);
    return map(List.of(a, b));
  }

  /** Parsed rows before the label mapping. */
  private record Raw(String source, double[][] series, double[] labelValues, String[] labelTexts) {
  }

  private static Raw parse(byte[] bytes, String source, boolean allowNaNPadding) throws SignalFormatException {
    String text = TextRows.decode(bytes, source);
    int firstBreak = text.indexOf('\n');
    String firstLine = firstBreak < 0 ? text : text.substring(0, firstBreak);
    char delimiter = firstLine.indexOf('\t') >= 0 || firstLine.indexOf(',') < 0 ? '\t' : ',';
    // Rows are converted as they are split, so only one row's text fields exist at a time.
    List<double[]> series = new ArrayList<>();
    List<String> labelTexts = new ArrayList<>();
    TextRows.Row[] first = new TextRows.Row[1];
    TextRows.forEachRow(text, delimiter, source, Limits.SAMPLES_PER_SIGNAL, 1, row -> {
      if (first[0] == null) {
        first[0] = row;
      }
      int fields = first[0].fields().size();
      List<String> f = row.fields();
      if (!allowNaNPadding && f.size() != fields) {
        throw SignalFormatException.atLine(source, row.line(), 0, "expected " + fields + " fields like line "
            + first[0].line() + ", got " + f.size());
      }
      if (f.size() < 2) {
        throw SignalFormatException.atLine(source, row.line(), 0, "expected a label and at least one sample, got "
            + f.size() + " field(s)");
      }
      if (!Limits.SIGNALS_PER_FILE.allows(series.size() + 1L)) {
        throw SignalFormatException.atLine(source, row.line(), 0, Limits.SIGNALS_PER_FILE.exceeded(series.size() + 1L));
      }
      TextRows.number(f.get(0), source, row.line(), 1, "label", false);
      labelTexts.add(f.get(0));
      double[] s = new double[f.size() - 1];
      int length = s.length;
      for (int i = 0; i < s.length; i++) {
        s[i] = TextRows.number(f.get(i + 1), source, row.line(), i + 2, "sample", allowNaNPadding);
        if (Double.isNaN(s[i])) {
          if (length == s.length) {
            length = i; // start of the padding
          }
        } else if (length != s.length) {
          throw SignalFormatException.atLine(source, row.line(), i + 2,
              "sample after NaN padding: NaN is accepted only at the end of a series");
        }
      }
      if (length == 0) {
        throw SignalFormatException.atLine(source, row.line(), 2, "series has no samples before its NaN padding");
      }
      series.add(length == s.length ? s : Arrays.copyOf(s, length));
    });
    if (series.isEmpty()) {
      throw SignalFormatException.ofFile(source, "no data lines");
    }
    double[] labelValues = new double[labelTexts.size()];
    for (int i = 0; i < labelValues.length; i++) {
      labelValues[i] = Double.parseDouble(labelTexts.get(i));
    }
    return new Raw(source, series.toArray(new double[0][]), labelValues, labelTexts.toArray(new String[0]));
  }

  /** Maps the labels of all files to 0..K-1 in numeric order, naming each class by its first spelling. */
  private static List<LabelledSeries> map(List<Raw> raws) {
    Map<Double, String> names = new TreeMap<>();
    for (Raw raw : raws) {
      for (int i = 0; i < raw.labelValues.length; i++) {
        names.putIfAbsent(canonical(raw.labelValues[i]), raw.labelTexts[i]);
      }
    }
    List<Double> values = new ArrayList<>(names.keySet());
    List<LabelledSeries> out = new ArrayList<>();
    for (Raw raw : raws) {
      int[] labels = new int[raw.labelValues.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = Collections.binarySearch(values, canonical(raw.labelValues[i]));
      }
      out.add(new LabelledSeries(raw.source, raw.series, labels, new ArrayList<>(names.values())));
    }
    return out;
  }

  /** -0.0 and 0.0 are one label. */
  private static Double canonical(double v) {
    return v == 0 ? 0.0 : v;
  }
}
