package drsn.nn.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) parser and writer, enough for safetensors headers and the
 * architecture metadata, so that drsn.nn depends on the JDK only.
 *
 * <p>Values map to: object → {@code Map<String, Object>} (insertion order, duplicate keys
 * rejected), array → {@code List<Object>}, string → {@code String}, integer → {@code Long}
 * (integers beyond the long range → {@code Double}), other numbers → {@code Double},
 * true/false → {@code Boolean}, null → {@link #NULL}. Nesting deeper than the given limit, trailing
 * content, lone surrogates, control characters in strings, leading zeros and the like are
 * rejected with a {@link JsonException} that gives the character position.
 */
public final class Json {

  /** The JSON null value (a sentinel, since maps here do not hold Java nulls). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** Thrown for malformed JSON. */
  public static final class JsonException extends Exception {
    public JsonException(String message) {
      super(message);
    }
  }

  private final String s;
  private final int maxDepth;
  private long valuesLeft;
  private int pos;

  private Json(String s, int maxDepth, long maxValues) {
    this.s = s;
    this.maxDepth = maxDepth;
    this.valuesLeft = maxValues;
  }

  /** Parses one JSON value that must span the whole text (surrounding whitespace allowed). */
  public static Object parse(String text, int maxDepth) throws JsonException {
    return parse(text, maxDepth, Long.MAX_VALUE);
  }

  /**
   * As {@link #parse(String, int)}, with at most maxValues values in total (every object, array,
   * string, number, literal counts one), so that a hostile text of many tiny values cannot make
   * the parsed tree many times larger than the text itself.
   */
  public static Object parse(String text, int maxDepth, long maxValues) throws JsonException {
    if (text == null) {
      throw new JsonException("JSON text must not be null");
    }
    Json p = new Json(text, maxDepth, maxValues);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected trailing content");
    }
    return v;
  }

  private JsonException error(String what) {
    return new JsonException("malformed JSON at character " + pos + ": " + what);
  }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        break;
      }
    }
  }

  private Object value(int depth) throws JsonException {
    if (--valuesLeft < 0) {
      throw error("more values than the limit");
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
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + printable(c) + "', expected a value");
      }
    };
  }

  private Object literal(String word, Object v) throws JsonException {
    if (!s.startsWith(word, pos)) {
      throw error("expected '" + word + "'");
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) throws JsonException {
    if (depth > maxDepth) {
      throw error("nesting deeper than " + maxDepth);
    }
    pos++; // '{'
    Map<String, Object> map = new LinkedHashMap<>();
    skipWs();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWs();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      String key = string();
      skipWs();
      if (peek() != ':') {
        throw error("expected ':' after key \"" + key + "\"");
      }
      pos++;
      skipWs();
      Object v = value(depth);
      if (map.putIfAbsent(key, v) != null) {
        throw error("duplicate key \"" + key + "\"");
      }
      skipWs();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return map;
      } else {
        throw error("expected ',' or '}' in object");
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    if (depth > maxDepth) {
      throw error("nesting deeper than " + maxDepth);
    }
    pos++; // '['
    List<Object> list = new ArrayList<>();
    skipWs();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWs();
      list.add(value(depth));
      skipWs();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return list;
      } else {
        throw error("expected ',' or ']' in array");
      }
    }
  }

  private char peek() throws JsonException {
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    return s.charAt(pos);
  }

  private String string() throws JsonException {
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        break;
      }
      if (c < 0x20) {
        throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in string");
      }
      if (c == '\\') {
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
      } else {
        b.append(c);
      }
    }
    String out = b.toString();
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(i + 1))) {
          throw error("lone surrogate in string");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw error("lone surrogate in string");
      }
    }
    return out;
  }

  private char hex4() throws JsonException {
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

  private Object number() throws JsonException {
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
    } else if (c >= '1' && c <= '9') {
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
    } else {
      throw error("invalid number");
    }
    boolean integer = true;
    if (pos < s.length() && s.charAt(pos) == '.') {
      integer = false;
      pos++;
      digits();
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      integer = false;
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      digits();
    }
    String text = s.substring(start, pos);
    if (integer && text.length() <= 19) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException ignored) {
        // beyond the long range: fall through to double
      }
    }
    return Double.parseDouble(text);
  }

  private void digits() throws JsonException {
    int start = pos;
    while (pos < s.length() && isDigit(s.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw error("expected digits in number");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
  }

  // ---- writer ----

  /** Serialises maps, lists, strings, integral numbers, finite doubles, booleans and {@link #NULL}. */
  public static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String str -> quote(b, str);
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
          write(b, e.getValue());
        }
        b.append('}');
      }
      case List<?> list -> {
        b.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          write(b, list.get(i));
        }
        b.append(']');
      }
      case Long l -> b.append(l.longValue());
      case Integer i -> b.append(i.intValue());
      case Double d -> {
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException("JSON cannot represent " + d);
        }
        b.append(d.doubleValue());
      }
      case Boolean bool -> b.append(bool.booleanValue());
      default -> {
        if (v == NULL) {
          b.append("null");
        } else {
          throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
      }
    }
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
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
