package drsn.example.classify;

/** One signal written as a line of numbers separated by spaces, tabs or commas. */
final class SignalLine {

  private SignalLine() {
  }

  /**
   * Parses {@code line} into all of {@code signal}; returns null, or what is wrong with the line
   * (too few or too many numbers, something that is not a finite number).
   */
  static String parse(String line, float[] signal) {
    int count = 0;
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && isSeparator(line.charAt(i))) {
        i++;
      }
      if (i == n) {
        break;
      }
      int start = i;
      while (i < n && !isSeparator(line.charAt(i))) {
        i++;
      }
      if (count == signal.length) {
        return "expected " + signal.length + " numbers, got more";
      }
      String token = line.substring(start, i);
      float v;
      try {
        v = Float.parseFloat(token);
      } catch (NumberFormatException e) {
        return "value " + (count + 1) + " is not a number: " + shorten(token);
      }
      if (!Float.isFinite(v)) {
        return "value " + (count + 1) + " is not finite: " + shorten(token);
      }
      signal[count++] = v;
    }
    return count == signal.length ? null : "expected " + signal.length + " numbers, got " + count;
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '\t' || c == ',' || c == '\r';
  }

  /** A token as a message may quote it: short, and printable. */
  private static String shorten(String token) {
    String s = token.length() > 20 ? token.substring(0, 20) + "..." : token;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return "'" + b + "'";
  }
}
