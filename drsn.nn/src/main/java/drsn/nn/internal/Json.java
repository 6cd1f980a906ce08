package drsn.nn.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one strict JSON (RFC 8259) parser and writer of drsn (JDK only), shared by drsn.nn
 * (safetensors headers, architecture metadata), drsn.train (training-state metadata, histories)
 * and drsn.cli (HTTP request bodies, reports and command output) through a qualified export.
 *
 * <p>Parsing: object → {@code Map<String, Object>} (insertion order, duplicate keys rejected),
 * array → {@code List<Object>}, string → {@code String}, integer → {@code Long} (integers beyond
 * the long range → {@code Double}), other numbers → {@code Double}, true/false → {@code Boolean},
 * null → {@link #NULL}. Read numbers with {@link #asDouble} / {@link #asInt} whatever their type.
 * Everything outside the grammar (trailing commas, comments, single quotes, NaN/Infinity, leading
 * zeros, control characters in strings, trailing content), numbers beyond the
 * range of a double, nesting deeper than a limit and more values than a limit are rejected with a
 * {@link JsonException} naming the character position — so a hostile text can cost neither a stack
 * overflow nor memory much beyond its own size.
 *
 * <p>Writing: see {@link #write(Object, Format)}; the {@link Format} says what happens to
 * non-finite numbers and how numbers are spelled.
 */
public final class Json {

  /** The JSON null value (a sentinel, since maps and lists here hold no Java nulls). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** Malformed or over-limit JSON; the message names the character position. */
  public static final class JsonException extends IllegalArgumentException {
    public JsonException(String message) {
      super(message);
    }
  }

  /** How the writer spells numbers and what it does with NaN and infinities (which JSON cannot hold). */
  public enum Format {
    /**
     * Files read back by drsn (checkpoint headers): numbers as Java's shortest round-trip text,
     * non-finite numbers and objects of unknown type rejected with an IllegalArgumentException.
     */
    STRICT,
    /**
     * Training state and histories: as STRICT, but non-finite numbers are written as null (the
     * reader maps null back to NaN).
     */
    NON_FINITE_AS_NULL,
    /**
     * Output for people and other programs (reports, command output, HTTP responses): non-finite
     * numbers as null, integral floating-point values as integers ({@code 3} rather than
     * {@code 3.0}), objects of unknown type as the string of their {@code toString()}.
     */
    REPORT
  }

  private Json() {
  }

  // ---- reading numbers ----

  /** The value of a parsed number (Long or Double) as a double; anything else is an error. */
  public static double asDouble(Object v) {
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("expected a JSON number, got " + describe(v));
    }
    return n.doubleValue();
  }

  /** The value of a parsed integer as an int; fractions, non-numbers and values beyond int are errors. */
  public static int asInt(Object v) {
    if (!(v instanceof Long l) || l != (int) l.longValue()) {
      throw new IllegalArgumentException("expected a JSON integer in the int range, got " + describe(v));
    }
    return (int) l.longValue();
  }

  private static String describe(Object v) {
    return v == null ? "nothing" : v instanceof String s ? "the string \"" + s + "\"" : String.valueOf(v);
  }

  // ---- parsing ----

  /** Parses one JSON value spanning the whole text (surrounding whitespace allowed). */
  public static Object parse(String text, int maxDepth) {
    return parse(text, maxDepth, Long.MAX_VALUE);
  }

  /**
   * As {@link #parse(String, int)}, with at most maxValues values in total (every object, array,
   * string, number, literal counts one), so that a hostile text of many tiny values cannot make
   * the parsed tree many times larger than the text itself.
   */
  public static Object parse(String text, int maxDepth, long maxValues) {
    if (text == null) {
      throw new JsonException("malformed JSON at character 0: no text (null)");
    }
    Parser p = new Parser(text, maxDepth, maxValues);
    p.skipWs();
    if (p.pos >= text.length()) {
      throw p.error("empty input, expected a JSON value");
    }
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected '" + printable(text.charAt(p.pos)) + "' after the JSON value");
    }
    return v;
  }

  private static final class Parser {
    private final String s;
    private final int maxDepth;
    private final long maxValues;
    private long values;
    private int pos;

    Parser(String s, int maxDepth, long maxValues) {
      this.s = s;
      this.maxDepth = maxDepth;
      this.maxValues = maxValues;
    }

    JsonException error(String what) {
      return new JsonException("malformed JSON at character " + pos + ": " + what);
    }

    void skipWs() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (++values > maxValues) {
        throw error("more JSON values than the limit of " + maxValues);
      }
      if (pos >= s.length()) {
        throw error("unexpected end of input, expected a value");
      }
      char c = s.charAt(pos);
      return switch (c) {
        case '{' -> object(depth + 1);
        case '[' -> array(depth + 1);
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", NULL);
        default -> {
          if (c == '-' || isDigit(c)) {
            yield number();
          }
          throw error("unexpected '" + printable(c) + "', expected a value");
        }
      };
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected '" + word + "'");
      }
      pos += word.length();
      return v;
    }

    Map<String, Object> object(int depth) {
      if (depth > maxDepth) {
        throw error("nesting deeper than " + maxDepth);
      }
      pos++; // '{'
      Map<String, Object> map = new LinkedHashMap<>();
      skipWs();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWs();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a string key");
        }
        String key = string();
        skipWs();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw error("expected ':' after key \"" + key + "\"");
        }
        pos++;
        skipWs();
        Object v = value(depth);
        if (map.putIfAbsent(key, v) != null) {
          throw error("duplicate key \"" + key + "\"");
        }
        skipWs();
        if (pos >= s.length()) {
          throw error("unexpected end of input in an object");
        }
        char c = s.charAt(pos);
        if (c == '}') {
          pos++;
          return map;
        }
        if (c != ',') {
          throw error("expected ',' or '}' in an object");
        }
        pos++;
      }
    }

    List<Object> array(int depth) {
      if (depth > maxDepth) {
        throw error("nesting deeper than " + maxDepth);
      }
      pos++; // '['
      List<Object> list = new ArrayList<>();
      skipWs();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWs();
        list.add(value(depth));
        skipWs();
        if (pos >= s.length()) {
          throw error("unexpected end of input in an array");
        }
        char c = s.charAt(pos);
        if (c == ']') {
          pos++;
          return list;
        }
        if (c != ',') {
          throw error("expected ',' or ']' in an array");
        }
        pos++;
      }
    }

    String string() {
      pos++; // opening quote
      // Most strings (every key and name in a model file) have no escapes: one scan, one substring.
      for (int end = pos; end < s.length(); end++) {
        char c = s.charAt(end);
        if (c == '"') {
          String plain = s.substring(pos, end);
          pos = end + 1;
          return plain;
        }
        if (c == '\\' || c < 0x20) {
          break;
        }
      }
      StringBuilder b = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          pos++;
          break;
        }
        if (c < 0x20) {
          throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
        }
        pos++;
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"' -> b.append('"');
          case '\\' -> b.append('\\');
          case '/' -> b.append('/');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> b.append(hex4());
          default -> throw error("invalid escape '\\" + printable(e) + "'");
        }
      }
      // Escaped lone surrogates (backslash-u D800) are kept, as most parsers do: the grammar allows them, and
      // the writer escapes them, so any Java string round-trips.
      return b.toString();
    }

    char hex4() {
      if (pos + 4 > s.length()) {
        throw error("truncated \\u escape");
      }
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int d = Character.digit(s.charAt(pos + i), 16);
        if (d < 0) {
          throw error("invalid hex digit in \\u escape");
        }
        v = v * 16 + d;
      }
      pos += 4;
      return (char) v;
    }

    Object number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos >= s.length()) {
        throw error("truncated number");
      }
      char c = s.charAt(pos);
      if (c == '0') {
        pos++;
        if (pos < s.length() && isDigit(s.charAt(pos))) {
          throw error("leading zero in a number");
        }
      } else if (isDigit(c)) {
        digits();
      } else {
        throw error("expected a digit");
      }
      boolean integer = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        integer = false;
        pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) {
          throw error("expected a digit after '.'");
        }
        digits();
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integer = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (pos >= s.length() || !isDigit(s.charAt(pos))) {
          throw error("expected a digit in the exponent");
        }
        digits();
      }
      // Bounds the cost of Double.parseDouble on hostile input; no real number needs this many digits.
      if (pos - start > 400) {
        throw error("number longer than 400 characters");
      }
      String text = s.substring(start, pos);
      if (integer && text.length() <= 20) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException beyondLong) {
          // fall through to double
        }
      }
      double d = Double.parseDouble(text);
      if (Double.isInfinite(d)) {
        pos = start;
        throw error("number out of the range of a double");
      }
      return d;
    }

    void digits() {
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
  }

  // ---- writing ----

  /**
   * Compact JSON of a value: {@code Map} (keys as strings, in iteration order), {@code Collection},
   * {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}, {@code int[][]},
   * {@code CharSequence}, {@code Number} (Float and Double as Java's shortest round-trip text),
   * {@code Boolean}, {@link #NULL} and Java null. Non-finite numbers and other types as the
   * format says.
   */
  public static String write(Object value, Format format) {
    StringBuilder b = new StringBuilder();
    write(b, value, format);
    return b.toString();
  }

  /** As {@link #write(Object, Format)}, appending to b. */
  public static void write(StringBuilder b, Object v, Format format) {
    switch (v) {
      case null -> b.append("null");
      case CharSequence str -> quote(b, str.toString());
      case Boolean bool -> b.append(bool.booleanValue());
      case Float f -> number(b, f.floatValue(), format);
      case Double d -> number(b, d.doubleValue(), format);
      case Long l -> b.append(l.longValue());
      case Integer i -> b.append(i.intValue());
      case Short sh -> b.append(sh.shortValue());
      case Byte by -> b.append(by.byteValue());
      case Map<?, ?> map -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            b.append(',');
          }
          first = false;
          quote(b, String.valueOf(e.getKey()));
          b.append(':');
          write(b, e.getValue(), format);
        }
        b.append('}');
      }
      case Collection<?> c -> {
        b.append('[');
        boolean first = true;
        for (Object o : c) {
          if (!first) {
            b.append(',');
          }
          first = false;
          write(b, o, format);
        }
        b.append(']');
      }
      case float[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          b.append(i > 0 ? "," : "");
          number(b, a[i], format);
        }
        b.append(']');
      }
      case double[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          b.append(i > 0 ? "," : "");
          number(b, a[i], format);
        }
        b.append(']');
      }
      case int[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          b.append(i > 0 ? "," : "").append(a[i]);
        }
        b.append(']');
      }
      case long[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          b.append(i > 0 ? "," : "").append(a[i]);
        }
        b.append(']');
      }
      case int[][] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          b.append(i > 0 ? "," : "");
          write(b, a[i], format);
        }
        b.append(']');
      }
      default -> {
        if (v == NULL) {
          b.append("null");
        } else if (format == Format.REPORT && v instanceof Number n) {
          b.append(n); // BigInteger, BigDecimal and the like print as JSON numbers
        } else if (format == Format.REPORT) {
          quote(b, v.toString());
        } else {
          throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
      }
    }
  }

  private static void number(StringBuilder b, double d, Format format) {
    if (!Double.isFinite(d)) {
      nonFinite(b, d, format);
    } else if (format == Format.REPORT && d == Math.rint(d) && Math.abs(d) < 1e15) {
      b.append((long) d);
    } else {
      b.append(d);
    }
  }

  private static void number(StringBuilder b, float f, Format format) {
    if (!Float.isFinite(f)) {
      nonFinite(b, f, format);
    } else if (format == Format.REPORT && f == Math.rint(f) && Math.abs(f) < 1e7) {
      b.append((long) f);
    } else {
      b.append(f);
    }
  }

  private static void nonFinite(StringBuilder b, double d, Format format) {
    if (format == Format.STRICT) {
      throw new IllegalArgumentException("JSON cannot represent " + d);
    }
    b.append("null");
  }

  /** Whether s[i] is half of no surrogate pair (UTF-8 cannot encode it, so it is written escaped). */
  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
  }

  /** Appends s as a JSON string literal. */
  public static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '<' -> b.append("\\u003c"); // keeps the text safe inside an HTML <script> element
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
