package drsn.train.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny JSON writer and strict parser (JDK only), for training histories and the headers of
 * training-state files.
 *
 * <p>Writing: {@code Map} → object (keys as strings, in iteration order), {@code List} → array,
 * {@code CharSequence} → string, {@code Integer}/{@code Long} → integer, {@code Float}/{@code Double}
 * → the shortest text that reads back to the same value ({@code null} for NaN and infinities,
 * which JSON cannot hold), {@code Boolean}, {@code null} → null.
 *
 * <p>Parsing: object → {@code LinkedHashMap} (duplicate keys rejected), array → {@code List},
 * integer → {@code Long}, other number → {@code Double}, null → {@link #NULL}. Depth is limited and
 * every error names the character position.
 */
public final class Json {

  /** The JSON null (maps here hold no Java nulls). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private Json() {
  }

  // ---- writing ----

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  public static void write(StringBuilder sb, Object v) {
    switch (v) {
      case null -> sb.append("null");
      case Map<?, ?> m -> {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          string(sb, String.valueOf(e.getKey()));
          sb.append(':');
          write(sb, e.getValue());
        }
        sb.append('}');
      }
      case List<?> l -> {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(sb, l.get(i));
        }
        sb.append(']');
      }
      case int[] a -> {
        sb.append('[');
        for (int i = 0; i < a.length; i++) {
          sb.append(i > 0 ? "," : "").append(a[i]);
        }
        sb.append(']');
      }
      case CharSequence s -> string(sb, s.toString());
      case Integer i -> sb.append(i.intValue());
      case Long l -> sb.append(l.longValue());
      case Float f -> number(sb, f.isNaN() || f.isInfinite() ? Double.NaN : f.doubleValue(), Float.toString(f));
      case Double d -> number(sb, d, Double.toString(d));
      case Boolean b -> sb.append(b.booleanValue());
      default -> {
        if (v == NULL) {
          sb.append("null");
        } else {
          throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }
      }
    }
  }

  private static void number(StringBuilder sb, double d, String text) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      sb.append("null");
    } else {
      // Java's shortest round-trip text is valid JSON except for forms like "1.0E-5" (allowed) and
      // "Infinity" (excluded above).
      sb.append(text);
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // ---- parsing ----

  /** Malformed JSON. */
  public static final class JsonException extends Exception {
    public JsonException(String message) {
      super(message);
    }
  }

  /** Parses one value spanning the whole text; nesting deeper than maxDepth is an error. */
  public static Object parse(String text, int maxDepth) throws JsonException {
    Parser p = new Parser(text, maxDepth);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.pos != text.length()) {
      throw p.error("unexpected content after the value");
    }
    return v;
  }

  private static final class Parser {
    private final String s;
    private final int maxDepth;
    private int pos;

    Parser(String s, int maxDepth) {
      this.s = s;
      this.maxDepth = maxDepth;
    }

    JsonException error(String what) {
      return new JsonException("malformed JSON at character " + pos + ": " + what);
    }

    void ws() {
      while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    Object value(int depth) throws JsonException {
      if (pos >= s.length()) {
        throw error("expected a value, found the end");
      }
      char c = s.charAt(pos);
      if (c == '{' || c == '[') {
        if (depth >= maxDepth) {
          throw error("nesting deeper than " + maxDepth);
        }
        return c == '{' ? object(depth + 1) : array(depth + 1);
      }
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", pos)) {
        pos += 4;
        return NULL;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        return number();
      }
      throw error("unexpected character '" + c + "'");
    }

    Map<String, Object> object(int depth) throws JsonException {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      ws();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        ws();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a string key");
        }
        String key = string();
        ws();
        expect(':');
        ws();
        Object v = value(depth);
        if (m.put(key, v) != null) {
          throw error("duplicate key '" + key + "'");
        }
        ws();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return m;
      }
    }

    List<Object> array(int depth) throws JsonException {
      List<Object> l = new ArrayList<>();
      pos++;
      ws();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return l;
      }
      while (true) {
        ws();
        l.add(value(depth));
        ws();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return l;
      }
    }

    void expect(char c) throws JsonException {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    String string() throws JsonException {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw error("control character in a string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("truncated \\u escape");
            }
            int cp = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(s.charAt(pos++), 16);
              if (d < 0) {
                throw error("bad hex digit in \\u escape");
              }
              cp = cp * 16 + d;
            }
            sb.append((char) cp);
          }
          default -> throw error("unknown escape \\" + e);
        }
      }
    }

    Object number() throws JsonException {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      int digits = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (pos == digits) {
        throw error("expected digits");
      }
      if (pos - digits > 1 && s.charAt(digits) == '0') {
        throw error("leading zero");
      }
      boolean integral = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        integral = false;
        pos++;
        int f = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        if (pos == f) {
          throw error("expected digits after '.'");
        }
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integral = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        int f = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        if (pos == f) {
          throw error("expected exponent digits");
        }
      }
      String text = s.substring(start, pos);
      if (integral) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooBig) {
          return Double.parseDouble(text);
        }
      }
      return Double.parseDouble(text);
    }
  }
}
