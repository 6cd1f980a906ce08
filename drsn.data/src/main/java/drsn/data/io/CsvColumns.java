package drsn.data.io;

import java.util.List;

/**
 * A CSV file read as one signal per column.
 *
 * @param source    the file path or the name given
 * @param names     the column names from the header, or {@code "column 1"}, {@code "column 2"}, ...
 *                  when the file has none
 * @param hasHeader whether the file had a header row
 * @param columns   one array per column, in file order (not copied: it belongs to the caller)
 */
public record CsvColumns(String source, List<String> names, boolean hasHeader, double[][] columns) {

  public CsvColumns {
    names = List.copyOf(names);
    if (names.size() != columns.length) {
      throw new IllegalArgumentException("expected one name per column (" + columns.length + "), got "
          + names.size());
    }
  }

  /** The column with this header name. */
  public double[] column(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(source + ": no column named \"" + name + "\"; columns are " + names);
    }
    return columns[i];
  }
}
