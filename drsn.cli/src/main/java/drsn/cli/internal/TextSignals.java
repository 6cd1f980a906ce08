package drsn.cli.internal;

import drsn.data.io.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Numbers as text (standard input of {@code predict}): every non-empty line that does not start
 * with {@code #} is one row of numbers separated by commas, semicolons or white space.
 *
 * <p>The text is scanned in place, one number at a time, into one growing float array per line:
 * no array of every token of a line, so a line of millions of numbers costs four bytes each. The
 * text, the lines and the numbers per line are bounded by {@link Limits}, checked as they arrive.
 */
final class TextSignals {

  private TextSignals() {
  }

  /** The rows of numbers of the text on {@code in}; {@code source} names it in messages. */
  static List<float[]> parse(InputStream in, String source) {
    long max = Limits.TEXT_BYTES.value();
    byte[] bytes;
    try {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max + 1));
    } catch (IOException e) {
      throw new CliException("cannot read " + source + ": " + e.getMessage(), e);
    }
    if (bytes.length > max) {
      throw new CliException(source + ": " + Limits.TEXT_BYTES.exceeded(bytes.length) + " (or more)");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    bytes = null; // the decoded text is all that is needed from here
    List<float[]> rows = new ArrayList<>();
    int n = text.length();
    int lineNo = 0;
    for (int start = 0; start < n; ) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      lineNo++;
      float[] row = line(text, start, end, source, lineNo);
      if (row != null) {
        if (!Limits.SIGNALS_PER_FILE.allows(rows.size() + 1L)) {
          throw new CliException(source + " line " + lineNo + ": " + Limits.SIGNALS_PER_FILE.exceeded(rows.size() + 1L));
        }
        rows.add(row);
      }
      start = end + 1;
    }
    return rows;
  }

  /** The numbers of text[start, end), or null for a blank or comment line. */
  private static float[] line(String text, int start, int end, String source, int lineNo) {
    int i = start;
    while (i < end && isSeparator(text.charAt(i))) {
      i++;
    }
    if (i == end || text.charAt(i) == '#') {
      return null;
    }
    long maxValues = Limits.SAMPLES_PER_SIGNAL.value();
    float[] v = new float[16];
    int count = 0;
    while (i < end) {
      int j = i;
      while (j < end && !isSeparator(text.charAt(j))) {
        j++;
      }
      if (count == maxValues) {
        throw new CliException(source + " line " + lineNo + ": " + Limits.SAMPLES_PER_SIGNAL.exceeded(count + 1L));
      }
      if (count == v.length) {
        v = Arrays.copyOf(v, (int) Math.min(maxValues, 2L * count));
      }
      v[count] = number(text.substring(i, j), source, lineNo, count + 1);
      count++;
      i = j;
      while (i < end && isSeparator(text.charAt(i))) {
        i++;
      }
    }
    return Arrays.copyOf(v, count);
  }

  private static float number(String token, String source, int lineNo, int index) {
    float f;
    try {
      f = Float.parseFloat(token);
    } catch (NumberFormatException e) {
      throw new CliException(source + " line " + lineNo + ", value " + index + ": '" + Limits.excerpt(token)
          + "' is not a number");
    }
    if (!Float.isFinite(f)) {
      throw new CliException(source + " line " + lineNo + ", value " + index + ": " + Limits.excerpt(token)
          + " is not a finite number");
    }
    return f;
  }

  private static boolean isSeparator(char c) {
    return c == ',' || c == ';' || Character.isWhitespace(c);
  }
}
