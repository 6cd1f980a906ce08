package drsn.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Comma-separated values holding signals, in one of two layouts:
 * <ul>
 *   <li>{@link #readExamples one example per row}, with a label column chosen by header name or
 *       by index; every other column is a sample;</li>
 *   <li>{@link #readColumns one signal per column}, rows being time steps.</li>
 * </ul>
 *
 * <p>Text is UTF-8 (a byte-order mark is ignored). Fields may be quoted with {@code "} (a doubled
 * quote inside stands for one) but cannot span lines; spaces around fields are ignored; blank
 * lines are skipped. Every row must have as many fields as the first. Samples must be finite
 * decimal numbers ({@code 1}, {@code -2.5}, {@code 3e-4}); anything else, including NaN and
 * infinities, is an error naming the file, line and column.
 *
 * <p>A label column that the file does not have (no such header name, an index beyond its
 * columns) is a {@link SignalFormatException} too: the file is not what the caller needs.
 *
 * <p>Header detection ({@link Header#AUTO}): the first row is a header if one of its cells (the
 * label column excepted) is not a number. A label column given by name requires a header.
 *
 * <p>Labels are class names: they map to 0..K−1 in increasing numeric order when every label is a
 * number, otherwise in lexicographic order; the label text is kept as the class name.
 */
public final class CsvFile {

  /** Whether the first row is a header. */
  public enum Header { AUTO, PRESENT, ABSENT }

  /**
   * Reading options.
   *
   * @param delimiter the field separator (',' by default; ';' and '\t' are common); not '"'
   * @param header    how to treat the first row
   */
  public record Options(char delimiter, Header header) {

    public static final Options DEFAULT = new Options(',', Header.AUTO);

    public Options {
      Objects.requireNonNull(header, "header");
      if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
        throw new IllegalArgumentException("delimiter must not be a quote or a line break, got "
            + (int) delimiter);
      }
    }

    public Options withDelimiter(char d) {
      return new Options(d, header);
    }

    public Options withHeader(Header h) {
      return new Options(delimiter, h);
    }
  }

  /** Which column holds the labels: by header name or by 0-based index (negative counts from the end). */
  public record LabelColumn(String name, int index) {

    public static LabelColumn named(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("label column name must be non-empty, got " + name);
      }
      return new LabelColumn(name, 0);
    }

    /** By 0-based index; -1 is the last column. */
    public static LabelColumn at(int index) {
      return new LabelColumn(null, index);
    }
  }

  private CsvFile() {
  }

  // ---------------------------------------------------------------- examples

  public static LabelledSeries readExamples(Path path, LabelColumn label) throws IOException {
    return readExamples(path, label, Options.DEFAULT);
  }

  public static LabelledSeries readExamples(Path path, LabelColumn label, Options options) throws IOException {
    return examples(SourceBytes.read(path), path.toString(), label, options);
  }

  public static LabelledSeries readExamples(byte[] bytes, String name, LabelColumn label, Options options)
      throws SignalFormatException {
    SourceBytes.checkArgs(bytes, name);
    return examples(bytes, name, label, options);
  }

  public static LabelledSeries readExamples(InputStream in, String name, LabelColumn label, Options options)
      throws IOException {
    return examples(SourceBytes.read(in, name), name, label, options);
  }

  // ---------------------------------------------------------------- columns

  public static CsvColumns readColumns(Path path) throws IOException {
    return readColumns(path, Options.DEFAULT);
  }

  public static CsvColumns readColumns(Path path, Options options) throws IOException {
    return columns(SourceBytes.read(path), path.toString(), options);
  }

  public static CsvColumns readColumns(byte[] bytes, String name, Options options) throws SignalFormatException {
    SourceBytes.checkArgs(bytes, name);
    return columns(bytes, name, options);
  }

  public static CsvColumns readColumns(InputStream in, String name, Options options) throws IOException {
    return columns(SourceBytes.read(in, name), name, options);
  }

  // ---------------------------------------------------------------- implementation

  private static LabelledSeries examples(byte[] bytes, String source, LabelColumn label, Options options)
      throws SignalFormatException {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(options, "options");
    if (label.name() != null && options.header() == Header.ABSENT) {
      throw new IllegalArgumentException("a label column given by name (\"" + label.name()
          + "\") needs a header, but the options say there is none");
    }
    List<TextRows.Row> rows = table(bytes, source, options);
    int width = rows.get(0).fields().size();
    int labelIndex = label.name() == null ? (label.index() < 0 ? width + label.index() : label.index()) : -1;
    if (label.name() == null && (labelIndex < 0 || labelIndex >= width)) {
      throw SignalFormatException.atLine(source, rows.get(0).line(), 0, "label column index " + label.index()
          + " is outside the file's " + width + " columns");
    }
    boolean header = label.name() != null || hasHeader(rows.get(0), labelIndex, options);
    if (label.name() != null) {
      labelIndex = rows.get(0).fields().indexOf(label.name());
      if (labelIndex < 0) {
        throw SignalFormatException.atLine(source, rows.get(0).line(), 0, "no column named \"" + label.name()
            + "\"; the header is " + rows.get(0).fields());
      }
    }
    List<TextRows.Row> data = header ? rows.subList(1, rows.size()) : rows;
    if (width < 2) {
      throw SignalFormatException.atLine(source, rows.get(0).line(), 0,
          "expected a label column and at least one sample column, got " + width + " column(s)");
    }
    double[][] series = new double[data.size()][];
    String[] texts = new String[data.size()];
    for (int r = 0; r < data.size(); r++) {
      TextRows.Row row = data.get(r);
      double[] s = new double[width - 1];
      for (int c = 0, k = 0; c < width; c++) {
        String cell = row.fields().get(c);
        if (c == labelIndex) {
          if (cell.isEmpty()) {
            throw SignalFormatException.atLine(source, row.line(), c + 1, "empty label");
          }
          texts[r] = cell;
        } else {
          s[k++] = TextRows.number(cell, source, row.line(), c + 1, "sample", false);
        }
      }
      series[r] = s;
    }
    // Class order: numeric when all labels are numbers, else lexicographic; first spelling names a class.
    boolean numeric = true;
    for (String t : texts) {
      numeric &= TextRows.isDecimal(t);
    }
    Map<String, String> keyToName = new LinkedHashMap<>();
    for (String t : texts) {
      keyToName.putIfAbsent(numeric ? Double.toString(Double.parseDouble(t) + 0.0) : t, t);
    }
    List<String> keys = new ArrayList<>(keyToName.keySet());
    keys.sort(numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
    Map<String, Integer> index = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (String k : keys) {
      index.put(k, names.size());
      names.add(keyToName.get(k));
    }
    int[] labels = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      labels[i] = index.get(numeric ? Double.toString(Double.parseDouble(texts[i]) + 0.0) : texts[i]);
    }
    return new LabelledSeries(source, series, labels, names);
  }

  private static CsvColumns columns(byte[] bytes, String source, Options options) throws SignalFormatException {
    Objects.requireNonNull(options, "options");
    List<TextRows.Row> rows = table(bytes, source, options);
    int width = rows.get(0).fields().size();
    boolean header = hasHeader(rows.get(0), -1, options);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      names.add(header ? rows.get(0).fields().get(c) : "column " + (c + 1));
    }
    List<TextRows.Row> data = header ? rows.subList(1, rows.size()) : rows;
    double[][] columns = new double[width][data.size()];
    for (int r = 0; r < data.size(); r++) {
      TextRows.Row row = data.get(r);
      for (int c = 0; c < width; c++) {
        columns[c][r] = TextRows.number(row.fields().get(c), source, row.line(), c + 1, "sample", false);
      }
    }
    return new CsvColumns(source, names, header, columns);
  }

  /** Decodes and splits the file, requiring at least one row and the same field count in every row. */
  private static List<TextRows.Row> table(byte[] bytes, String source, Options options) throws SignalFormatException {
    List<TextRows.Row> rows = TextRows.rows(TextRows.decode(bytes, source), options.delimiter(), source);
    if (rows.isEmpty()) {
      throw SignalFormatException.ofFile(source, "no data lines");
    }
    int width = rows.get(0).fields().size();
    for (TextRows.Row row : rows) {
      if (row.fields().size() != width) {
        throw SignalFormatException.atLine(source, row.line(), 0, "expected " + width + " fields like line "
            + rows.get(0).line() + ", got " + row.fields().size());
      }
    }
    return rows;
  }

  private static boolean hasHeader(TextRows.Row first, int labelIndex, Options options) {
    return switch (options.header()) {
      case PRESENT -> true;
      case ABSENT -> false;
      case AUTO -> {
        boolean anyText = false;
        for (int c = 0; c < first.fields().size(); c++) {
          anyText |= c != labelIndex && !TextRows.looksNumeric(first.fields().get(c));
        }
        yield anyText;
      }
    };
  }
}
