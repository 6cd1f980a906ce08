package drsn.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NumPy {@code .npy} files, format versions 1.0, 2.0 and 3.0, holding float32 or float64 in either
 * byte order ({@code <f4}, {@code <f8}, {@code >f4}, {@code >f8}) in C order, of any rank.
 *
 * <p>The header dictionary is parsed strictly as the Python literal NumPy writes: exactly the
 * keys {@code descr}, {@code fortran_order} and {@code shape}, string values quoted, a tuple of
 * non-negative integers for the shape. Fortran-ordered arrays are refused rather than silently
 * transposed. The data must fill the rest of the file exactly, and every value must be finite.
 */
public final class NpyFile {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Headers are a few hundred bytes; NumPy itself refuses more than 10,000 by default. */
  private static final int MAX_HEADER = 1 << 20;

  private NpyFile() {
  }

  public static NpyArray read(Path path) throws IOException {
    return parse(SourceBytes.read(path), path.toString());
  }

  /** Reads from memory; {@code name} is used in messages. */
  public static NpyArray read(byte[] bytes, String name) throws SignalFormatException {
    SourceBytes.checkArgs(bytes, name);
    return parse(bytes, name);
  }

  /** Reads a whole stream (not closed); {@code name} is used in messages. */
  public static NpyArray read(InputStream in, String name) throws IOException {
    return parse(SourceBytes.read(in, name), name);
  }

  private static NpyArray parse(byte[] bytes, String source) throws SignalFormatException {
    ByteReader r = new ByteReader(bytes, source, ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[6];
    if (bytes.length < 6) {
      throw r.error(0, "file is " + bytes.length + " bytes, too short for the NPY magic");
    }
    r.bytes(magic, "magic");
    if (!Arrays.equals(magic, MAGIC)) {
      throw r.error(0, "not an NPY file: the magic string \\x93NUMPY is missing (wrong magic)");
    }
    int major = r.u8("major version");
    int minor = r.u8("minor version");
    if (major < 1 || major > 3 || minor != 0) {
      throw r.error(6, "unsupported NPY format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are)");
    }
    long headerLength = major == 1 ? r.u16("header length") : r.u32("header length");
    int headerPos = r.position();
    if (headerLength > MAX_HEADER) {
      throw r.error(8, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER + " bytes");
    }
    byte[] headerBytes = new byte[(int) Math.min(headerLength, r.remaining())];
    r.require(headerLength, "header");
    r.bytes(headerBytes, "header");
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = new HeaderParser(header, r, headerPos).parse();

    String descr = (String) dict.get("descr");
    ByteOrder order;
    int width;
    switch (descr) {
      case "<f4" -> { order = ByteOrder.LITTLE_ENDIAN; width = 4; }
      case "<f8" -> { order = ByteOrder.LITTLE_ENDIAN; width = 8; }
      case ">f4" -> { order = ByteOrder.BIG_ENDIAN; width = 4; }
      case ">f8" -> { order = ByteOrder.BIG_ENDIAN; width = 8; }
      default -> throw r.error(headerPos, "dtype '" + descr + "' is not supported (<f4, <f8, >f4 or >f8 are)");
    }
    if ((Boolean) dict.get("fortran_order")) {
      throw r.error(headerPos, "fortran_order is True; only C-ordered arrays are supported (save with "
          + "np.ascontiguousarray)");
    }
    @SuppressWarnings("unchecked")
    List<Long> dimsList = (List<Long>) dict.get("shape");
    int[] shape = new int[dimsList.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = dimsList.get(i);
      if (d > Integer.MAX_VALUE) {
        throw r.error(headerPos, "dimension " + i + " of the shape is " + d + ", larger than a Java array holds");
      }
      shape[i] = (int) d;
      count = count != 0 && d > Long.MAX_VALUE / Math.max(1, count) ? -1 : count * d;
      if (count < 0) {
        throw r.error(headerPos, "shape " + dimsList + " has more elements than a long can count");
      }
    }
    int dataPos = r.position();
    long expected = count > Long.MAX_VALUE / width ? -1 : count * width;
    if (expected < 0 || expected > r.remaining()) {
      throw r.error(dataPos, "shape " + dimsList + " of " + descr + " needs " + (expected < 0 ? "over 2^63" : expected)
          + " data bytes but only " + r.remaining() + " remain");
    }
    if (expected < r.remaining()) {
      throw r.error(dataPos + expected, (r.remaining() - expected) + " bytes follow the array data");
    }
    if (count > SourceBytes.MAX_BYTES / 8) {
      throw r.error(dataPos, count + " elements are more than a Java array holds");
    }
    ByteReader data = new ByteReader(bytes, source, order);
    double[] out = new double[(int) count];
    for (int i = 0; i < out.length; i++) {
      int at = dataPos + i * width;
      out[i] = width == 4 ? data.getFloat(at) : data.getDouble(at);
      if (!Double.isFinite(out[i])) {
        throw r.error(at, "element " + i + " is " + out[i] + "; NaN and infinite values are refused");
      }
    }
    return new NpyArray(source, shape, descr, out);
  }

  /** A strict parser for the header's Python dict literal. */
  private static final class HeaderParser {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    private final String s;
    private final ByteReader r;
    private final int base;
    private int i;

    HeaderParser(String s, ByteReader r, int base) {
      this.s = s;
      this.r = r;
      this.base = base;
    }

    Map<String, Object> parse() throws SignalFormatException {
      if (s.isEmpty() || s.charAt(s.length() - 1) != '\n') {
        throw fail(s.length(), "header must end with a newline");
      }
      Map<String, Object> dict = new HashMap<>();
      spaces();
      expect('{');
      while (true) {
        spaces();
        if (peek() == '}') {
          i++;
          break;
        }
        int keyPos = i;
        String key = string();
        if (!KEYS.contains(key)) {
          throw fail(keyPos, "unexpected header key '" + key + "' (expected descr, fortran_order, shape)");
        }
        if (dict.containsKey(key)) {
          throw fail(keyPos, "duplicate header key '" + key + "'");
        }
        spaces();
        expect(':');
        spaces();
        Object value = switch (key) {
          case "descr" -> string();
          case "fortran_order" -> bool();
          default -> tuple();
        };
        dict.put(key, value);
        spaces();
        if (peek() == ',') {
          i++;
        } else if (peek() != '}') {
          throw fail(i, "expected ',' or '}' in the header dict");
        }
      }
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n')) {
        i++;
      }
      if (i != s.length()) {
        throw fail(i, "unexpected text after the header dict");
      }
      for (String k : KEYS) {
        if (!dict.containsKey(k)) {
          throw fail(0, "header has no '" + k + "' key");
        }
      }
      return dict;
    }

    private char peek() throws SignalFormatException {
      if (i >= s.length()) {
        throw fail(i, "header ends inside the dict");
      }
      return s.charAt(i);
    }

    private void expect(char c) throws SignalFormatException {
      if (peek() != c) {
        throw fail(i, "expected '" + c + "', got '" + s.charAt(i) + "'");
      }
      i++;
    }

    private void spaces() {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
    }

    private String string() throws SignalFormatException {
      char q = peek();
      if (q != '\'' && q != '"') {
        throw fail(i, "expected a quoted string");
      }
      int end = s.indexOf(q, i + 1);
      if (end < 0 || s.substring(i + 1, end).indexOf('\\') >= 0 || s.substring(i + 1, end).indexOf('\n') >= 0) {
        throw fail(i, "unterminated or escaped string");
      }
      String v = s.substring(i + 1, end);
      i = end + 1;
      return v;
    }

    private Boolean bool() throws SignalFormatException {
      if (s.startsWith("True", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      throw fail(i, "expected True or False");
    }

    private List<Long> tuple() throws SignalFormatException {
      expect('(');
      List<Long> dims = new ArrayList<>();
      boolean trailingComma = false;
      while (true) {
        spaces();
        if (peek() == ')') {
          i++;
          break;
        }
        int start = i;
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
          v = v * 10 + (s.charAt(i) - '0');
          if (v > Integer.MAX_VALUE * 4L) {
            throw fail(start, "shape dimension is absurdly large");
          }
          i++;
        }
        if (i == start) {
          throw fail(i, "expected a non-negative integer in the shape");
        }
        if (i < s.length() && s.charAt(i) == 'L') {
          i++; // Python 2 long literal
        }
        dims.add(v);
        spaces();
        if (peek() == ',') {
          i++;
          trailingComma = true;
        } else if (peek() == ')') {
          trailingComma = false;
        } else {
          throw fail(i, "expected ',' or ')' in the shape");
        }
      }
      if (dims.size() == 1 && !trailingComma) {
        throw fail(i, "a one-element shape must be written (n,)");
      }
      return dims;
    }

    private SignalFormatException fail(int at, String detail) {
      return r.error(base + at, "header: " + detail);
    }
  }
}
