package drsn.data.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared text handling for the delimited formats: strict UTF-8 decoding, splitting into rows of
 * fields (with RFC 4180 quoting inside one line), and a strict number grammar.
 */
final class TextRows {

  /** One non-blank line: its 1-based number and its fields (unquoted, trimmed of spaces). */
  record Row(long line, List<String> fields) {
  }

  /** Receives the rows of a text one at a time, so that only one row's fields exist at once. */
  @FunctionalInterface
  interface RowVisitor {
    void row(Row row) throws SignalFormatException;
  }

  private TextRows() {
  }

  /** Decodes strict UTF-8 (a leading byte-order mark is dropped); malformed bytes are an error with their offset. */
  static String decode(byte[] bytes, String source) throws SignalFormatException {
    if (!Limits.TEXT_BYTES.allows(bytes.length)) {
      // Decoding doubles the memory and a table this size belongs in a binary format (NPY).
      throw SignalFormatException.ofFile(source, Limits.TEXT_BYTES.exceeded(bytes.length)
          + "; use NPY for data this large");
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw SignalFormatException.atByte(source, in.position(),
          "not UTF-8 text (a binary file?): malformed byte sequence of " + result.length() + " byte(s)");
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * Splits text into rows, handing each to {@code visitor}; blank lines (empty or only spaces) are
   * skipped. A field may be quoted with {@code "}, doubling a quote inside it; a quoted field cannot
   * span lines. A line with more than {@code limit} + {@code extraFields} fields is refused while it
   * is being split.
   */
  static void forEachRow(String text, char delimiter, String source, Limits.Limit limit, int extraFields,
      RowVisitor visitor) throws SignalFormatException {
    int n = text.length();
    int start = 0;
    long line = 0;
    while (start < n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      line++;
      int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      String s = text.substring(start, stop);
      if (!s.isBlank()) {
        visitor.row(new Row(line, split(s, delimiter, source, line, limit, extraFields)));
      }
      start = end + 1;
    }
  }

  private static List<String> split(String s, char delimiter, String source, long line, Limits.Limit limit,
      int extraFields) throws SignalFormatException {
    long maxFields = limit.value() + extraFields;
    List<String> fields = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (true) {
      if (fields.size() >= maxFields) {
        // Checked while splitting: a single line of millions of fields is refused before it is held.
        throw SignalFormatException.atLine(source, line, 0, "more than " + maxFields + " fields: "
            + limit.exceeded(fields.size() + 1L - extraFields));
      }
      // Skip spaces before a field (not the delimiter itself, which may be a tab).
      while (i < n && s.charAt(i) == ' ' && delimiter != ' ') {
        i++;
      }
      if (i < n && s.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw SignalFormatException.atLine(source, line, fields.size() + 1,
                "unterminated quoted field (a quoted field cannot span lines)");
          }
          char c = s.charAt(i++);
          if (c == '"') {
            if (i < n && s.charAt(i) == '"') {
              b.append('"');
              i++;
            } else {
              break;
            }
          } else {
            b.append(c);
          }
        }
        while (i < n && s.charAt(i) == ' ') {
          i++;
        }
        if (i < n && s.charAt(i) != delimiter) {
          throw SignalFormatException.atLine(source, line, fields.size() + 1,
              "unexpected character '" + s.charAt(i) + "' after a closing quote");
        }
        fields.add(b.toString());
      } else {
        int j = s.indexOf(delimiter, i);
        if (j < 0) {
          j = n;
        }
        fields.add(s.substring(i, j).strip());
        i = j;
      }
      if (i >= n) {
        return fields;
      }
      i++; // the delimiter
      if (i == n) {
        fields.add(""); // a trailing delimiter ends with an empty field
        return fields;
      }
    }
  }

  /** Whether {@code s} matches the strict decimal grammar {@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?}. */
  static boolean isDecimal(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  /** Whether {@code s} spells a NaN or an infinity the way common tools write them. */
  static boolean isNonFiniteWord(String s) {
    String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    return t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity");
  }

  /** Whether a cell is a number, finite or not (used to detect header rows). */
  static boolean looksNumeric(String s) {
    return isDecimal(s) || isNonFiniteWord(s);
  }

  /**
   * Parses a cell as a finite number, or, when {@code allowNaN}, also a NaN (returned as NaN).
   * {@code what} describes the cell for the message.
   */
  static double number(String cell, String source, long line, long column, String what, boolean allowNaN)
      throws SignalFormatException {
    if (isDecimal(cell)) {
      double v = Double.parseDouble(cell);
      if (Double.isInfinite(v)) {
        throw SignalFormatException.atLine(source, line, column,
            what + " \"" + Limits.excerpt(cell) + "\" is too large for a double (infinite)");
      }
      return v;
    }
    if (isNonFiniteWord(cell)) {
      String t = cell.startsWith("+") || cell.startsWith("-") ? cell.substring(1) : cell;
      if (allowNaN && t.equalsIgnoreCase("nan")) {
        return Double.NaN;
      }
      throw SignalFormatException.atLine(source, line, column,
          what + " is " + cell + "; NaN and infinite values are refused");
    }
    throw SignalFormatException.atLine(source, line, column,
        what + " \"" + Limits.excerpt(cell) + "\" is not a number" + (cell.isEmpty() ? " (empty cell)" : ""));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
