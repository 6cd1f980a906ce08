package drsn.cli.internal;

/**
 * Text made safe for a terminal line: what a file name, a CSV header or a model's class name may
 * carry (escape sequences, carriage returns, line breaks that would forge output lines, bidi
 * controls) is shown as {@code \}{@code uXXXX} instead of being interpreted.
 */
public final class Printable {

  private Printable() {
  }

  /** {@code s} with every control, format and line/paragraph separator character escaped. */
  public static String line(String s) {
    return line(s, Integer.MAX_VALUE);
  }

  /** As {@link #line(String)}, cut after {@code maxChars} characters (marked with "… (cut)"). */
  public static String line(String s, int maxChars) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (i >= maxChars) {
        return (b == null ? s.substring(0, i) : b) + "… (cut)";
      }
      boolean unsafe = switch (Character.getType(c)) {
        case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
        default -> false;
      };
      if (unsafe && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (unsafe) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }
}
