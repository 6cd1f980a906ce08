package drsn.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    return examples(SourceBytes.readText(path), path.toString(), label, options);
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
    return columns(SourceBytes.readText(path), path.toString(), options);
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
    // Rows are converted as they are split, so only one row's text fields exist at a time.
    List<double[]> series = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    TextRows.Row[] first = new TextRows.Row[1];
    int[] layout = new int[2]; // width, label index
    TextRows.forEachRow(TextRows.decode(bytes, source), options.delimiter(), source, Limits.SAMPLES_PER_SIGNAL, 1,
        row -> {
          if (first[0] == null) {
            first[0] = row;
            int width = row.fields().size();
            int labelIndex = label.name() == null ? (label.index() < 0 ? width + label.index() : label.index()) : -1;
            if (label.name() == null && (labelIndex < 0 || labelIndex >= width)) {
              throw SignalFormatException.atLine(source, row.line(), 0, "label column index " + label.index()
                  + " is outside the file's " + width + " columns");
            }
            boolean header = label.name() != null || hasHeader(row, labelIndex, options);
            if (label.name() != null) {
              labelIndex = row.fields().indexOf(label.name());
              if (labelIndex < 0) {
                throw SignalFormatException.atLine(source, row.line(), 0, "no column named \""
                    + Limits.excerpt(label.name()) + "\"; the header has " + width + " columns");
              }
            }
            if (width < 2) {
              throw SignalFormatException.atLine(source, row.line(), 0,
                  "expected a label column and at least one sample column, got " + width + " column(s)");
            }
            layout[0] = width;
            layout[1] = labelIndex;
            if (header) {
              return;
            }
          }
          int width = layout[0];
          checkWidth(row, first[0], width, source);
          if (!Limits.SIGNALS_PER_FILE.allows(series.size() + 1L)) {
            throw SignalFormatException.atLine(source, row.line(), 0, Limits.SIGNALS_PER_FILE.exceeded(series.size() + 1L));
          }
          double[] x = new double[width - 1];
          for (int c = 0, k = 0; c < width; c++) {
            String cell = row.fields().get(c);
            if (c == layout[1]) {
              if (cell.isEmpty()) {
                throw SignalFormatException.atLine(source, row.line(), c + 1, "empty label");
              }
              texts.add(cell);
            } else {
              x[k++] = TextRows.number(cell, source, row.line(), c + 1, "sample", false);
            }
          }
          series.add(x);
        });
    if (first[0] == null) {
      throw SignalFormatException.ofFile(source, "no data lines");
    }
    if (series.isEmpty()) {
      throw SignalFormatException.ofFile(source, "holds only a header, no examples");
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
    int[] labels = new int[texts.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = index.get(numeric ? Double.toString(Double.parseDouble(texts.get(i)) + 0.0) : texts.get(i));
    }
    return new LabelledSeries(source, series.toArray(new double[0][]), labels, names);
  }

  private static CsvColumns columns(byte[] bytes, String source, Options options) throws SignalFormatException {
    Objects.requireNonNull(options, "options");
    List<String> names = new ArrayList<>();
    TextRows.Row[] first = new TextRows.Row[1];
    // One growing array per column: 8 bytes a cell, never an object per cell or per row.
    double[][][] cols = new double[1][][];
    int[] rows = new int[1];
    TextRows.forEachRow(TextRows.decode(bytes, source), options.delimiter(), source, Limits.SIGNALS_PER_FILE, 0,
        row -> {
          if (first[0] == null) {
            first[0] = row;
            int width = row.fields().size();
            boolean header = hasHeader(row, -1, options);
            for (int c = 0; c < width; c++) {
              names.add(header ? row.fields().get(c) : "column " + (c + 1));
            }
            cols[0] = new double[width][16];
            if (header) {
              return;
            }
          }
          checkWidth(row, first[0], cols[0].length, source);
          int r = rows[0];
          if (!Limits.SAMPLES_PER_SIGNAL.allows(r + 1L)) {
            throw SignalFormatException.atLine(source, row.line(), 0, Limits.SAMPLES_PER_SIGNAL.exceeded(r + 1L));
          }
          for (int c = 0; c < cols[0].length; c++) {
            if (r == cols[0][c].length) {
              cols[0][c] = Arrays.copyOf(cols[0][c], (int) Math.min(Integer.MAX_VALUE - 8, 2L * r));
            }
            cols[0][c][r] = TextRows.number(row.fields().get(c), source, row.line(), c + 1, "sample", false);
          }
          rows[0] = r + 1;
        });
    if (first[0] == null) {
      throw SignalFormatException.ofFile(source, "no data lines");
    }
    if (rows[0] == 0) {
      throw SignalFormatException.ofFile(source, "holds only a header, no samples");
    }
    double[][] columns = cols[0];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = Arrays.copyOf(columns[c], rows[0]);
    }
    boolean header = !names.isEmpty() && first[0] != null && hasHeader(first[0], -1, options);
    return new CsvColumns(source, names, header, columns);
  }

  /** Every row must have as many fields as the first. */
  private static void checkWidth(TextRows.Row row, TextRows.Row first, int width, String source)
      throws SignalFormatException {
    if (row.fields().size() != width) {
      throw SignalFormatException.atLine(source, row.line(), 0, "expected " + width + " fields like line "
          + first.line() + ", got " + row.fields().size());
    }
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
