package drsn.cli.internal;

import java.util.Collection;
import java.util.Map;

/** Writes JSON text from maps, lists, numbers, strings, booleans and arrays (output only). */
public final class Json {

  private Json() {
  }

  /** Compact JSON of a value: Map, Collection, float[], double[], int[], long[], Number, String, Boolean, null. */
  public static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v);
    return b.toString();
  }

  public static void write(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String str -> quote(b, str);
      case Boolean bool -> b.append(bool);
      case Float f -> number(b, f);
      case Double d -> number(b, d);
      case Number n -> b.append(n);
      case Map<?, ?> m -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
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
      case Collection<?> c -> {
        b.append('[');
        boolean first = true;
        for (Object o : c) {
          if (!first) {
            b.append(',');
          }
          first = false;
          write(b, o);
        }
        b.append(']');
      }
      case float[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          if (i > 0) {
            b.append(',');
          }
          number(b, a[i]);
        }
        b.append(']');
      }
      case double[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          if (i > 0) {
            b.append(',');
          }
          number(b, a[i]);
        }
        b.append(']');
      }
      case int[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          if (i > 0) {
            b.append(',');
          }
          b.append(a[i]);
        }
        b.append(']');
      }
      case int[][] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          if (i > 0) {
            b.append(',');
          }
          write(b, a[i]);
        }
        b.append(']');
      }
      default -> quote(b, v.toString());
    }
  }

  /** Non-finite numbers have no JSON form; they are written as null. */
  private static void number(StringBuilder b, double d) {
    if (!Double.isFinite(d)) {
      b.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      b.append((long) d);
    } else {
      b.append(d);
    }
  }

  private static void number(StringBuilder b, float f) {
    if (!Float.isFinite(f)) {
      b.append("null");
    } else if (f == Math.rint(f) && Math.abs(f) < 1e7) {
      b.append((long) f);
    } else {
      b.append(f);
    }
  }

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
        case '<' -> b.append("\\u003c"); // safe inside an HTML <script>
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
