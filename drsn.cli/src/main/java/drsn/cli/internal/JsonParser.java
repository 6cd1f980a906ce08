package drsn.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for request bodies that come from the network: objects
 * become {@link LinkedHashMap}s, arrays {@link ArrayList}s, numbers {@link Double}s, strings
 * {@link String}s, true/false {@link Boolean}s and null {@link #NULL}. It refuses, with a message
 * naming the position, anything outside the grammar (trailing commas, comments, single quotes,
 * NaN/Infinity, leading zeros, unescaped control characters, trailing garbage), duplicate keys,
 * numbers too large for a double, nesting deeper than a limit, and more values than a limit — so
 * a hostile body can cost neither a stack overflow nor unbounded memory beyond its own size.
 */
public final class JsonParser {

  /** JSON null (a marker, so that maps and lists never hold Java null). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** Malformed or over-limit JSON, with the character offset where it went wrong. */
  public static final class JsonException extends IllegalArgumentException {
    public JsonException(String message) {
      super(message);
    }
  }

  private final String s;
  private final int maxDepth;
  private final long maxValues;
  private long values;
  private int pos;

  private JsonParser(String s, int maxDepth, long maxValues) {
    this.s = s;
    this.maxDepth = maxDepth;
    this.maxValues = maxValues;
  }

  /** Parses one JSON document with at most maxDepth nested arrays/objects and maxValues values. */
  public static Object parse(String text, int maxDepth, long maxValues) {
    if (text == null) {
      throw new JsonException("no JSON text");
    }
    JsonParser p = new JsonParser(text, maxDepth, maxValues);
    p.skipSpace();
    if (p.pos >= text.length()) {
      throw new JsonException("empty body: expected a JSON value");
    }
    Object v = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected '" + p.s.charAt(p.pos) + "' after the JSON value");
    }
    return v;
  }

  private JsonException error(String what) {
    return new JsonException("malformed JSON at character " + pos + ": " + what);
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        break;
      }
    }
  }

  private Object value(int depth) {
    if (++values > maxValues) {
      throw new JsonException("more than " + maxValues + " JSON values");
    }
    if (pos >= s.length()) {
      throw error("unexpected end of input");
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
        throw error("unexpected '" + c + "'");
      }
    };
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) {
    if (depth > maxDepth) {
      throw error("nesting deeper than " + maxDepth);
    }
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw error("expected a string key");
      }
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      Object v = value(depth);
      if (m.put(key, v) != null) {
        throw error("duplicate key \"" + key + "\"");
      }
      skipSpace();
      if (pos >= s.length()) {
        throw error("unexpected end of input in an object");
      }
      char c = s.charAt(pos++);
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    if (depth > maxDepth) {
      throw error("nesting deeper than " + maxDepth);
    }
    pos++;
    List<Object> list = new ArrayList<>();
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipSpace();
      list.add(value(depth));
      skipSpace();
      if (pos >= s.length()) {
        throw error("unexpected end of input in an array");
      }
      char c = s.charAt(pos++);
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private void expect(char c) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private String string() {
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string");
      }
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
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("truncated \\u escape");
          }
          int v = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos++), 16);
            if (d < 0) {
              throw error("bad hex digit in \\u escape");
            }
            v = v * 16 + d;
          }
          b.append((char) v);
        }
        default -> throw error("bad escape '\\" + e + "'");
      }
    }
  }

  private Double number() {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    if (pos >= s.length()) {
      throw error("truncated number");
    }
    if (s.charAt(pos) == '0') {
      pos++;
      if (pos < s.length() && isDigit(s.charAt(pos))) {
        throw error("leading zero in a number");
      }
    } else if (isDigit(s.charAt(pos))) {
      digits();
    } else {
      throw error("expected a digit");
    }
    if (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      if (pos >= s.length() || !isDigit(s.charAt(pos))) {
        throw error("expected a digit after '.'");
      }
      digits();
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      if (pos >= s.length() || !isDigit(s.charAt(pos))) {
        throw error("expected a digit in the exponent");
      }
      digits();
    }
    if (pos - start > 400) {
      throw error("number longer than 400 characters");
    }
    double d = Double.parseDouble(s.substring(start, pos));
    if (Double.isInfinite(d)) {
      pos = start;
      throw error("number out of the range of a double");
    }
    return d;
  }

  private void digits() {
    while (pos < s.length() && isDigit(s.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
