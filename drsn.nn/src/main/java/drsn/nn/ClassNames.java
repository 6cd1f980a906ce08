package drsn.nn;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules for class names, checked whenever an architecture is built (so when a model is
 * written and when it is loaded): 1 to a bounded number of characters, printable (no control,
 * format or separator characters, which would let a model file rewrite a terminal or forge output
 * lines), and unique (two classes of one name would merge into one key of a JSON object).
 */
final class ClassNames {

  /** Characters of a bad name quoted in a message. */
  private static final int EXCERPT = 40;

  private ClassNames() {
  }

  static void check(List<String> names, int maxLength) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null || n.isEmpty() || n.length() > maxLength) {
        throw new IllegalArgumentException("class name " + i + " must have 1.." + maxLength + " characters, got "
            + (n == null ? "null" : n.length() + ": '" + excerpt(n) + "'"));
      }
      int bad = firstUnprintable(n);
      if (bad >= 0) {
        throw new IllegalArgumentException("class name " + i + " '" + excerpt(n) + "' holds the unprintable "
            + "character U+" + String.format("%04X", n.codePointAt(bad)) + " at index " + bad);
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException("class name '" + excerpt(n) + "' occurs more than once; class names "
            + "must be unique");
      }
    }
  }

  /** The index of the first code point that is not printable, or -1. */
  static int firstUnprintable(String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      switch (Character.getType(cp)) {
        case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
            Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> {
          return i;
        }
        default -> {
          // printable
        }
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** At most {@link #EXCERPT} characters of a bad name or metadata value, control characters shown as \\uXXXX. */
  static String excerpt(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(s.length(), EXCERPT); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
          ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return s.length() > EXCERPT ? b + "…" : b.toString();
  }
}
