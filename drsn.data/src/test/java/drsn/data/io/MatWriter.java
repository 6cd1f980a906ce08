package drsn.data.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/** Writes MAT v5 files for tests, following the published layout independently of the reader. */
final class MatWriter {

  private final ByteOrder order;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  MatWriter(ByteOrder order) {
    this.order = order;
    byte[] header = new byte[128];
    Arrays.fill(header, 0, 116, (byte) ' ');
    byte[] text = "MATLAB 5.0 MAT-file, written by drsn tests".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, 0, text.length);
    ByteBuffer b = ByteBuffer.wrap(header).order(order);
    b.putShort(124, (short) 0x0100);
    // The indicator is the characters 'M','I' written as one 16-bit value in the file's order.
    b.putShort(126, (short) (('M' << 8) | 'I'));
    out.writeBytes(header);
  }

  /** The storage width of an mi type. */
  static int width(int miType) {
    return switch (miType) {
      case 1, 2 -> 1;
      case 3, 4 -> 2;
      case 5, 6, 7 -> 4;
      case 9, 12, 13 -> 8;
      default -> throw new IllegalArgumentException("type " + miType);
    };
  }

  /** Encodes values in storage type {@code miType} (values must be representable). */
  byte[] encode(int miType, double[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * width(miType)).order(order);
    for (double v : values) {
      switch (miType) {
        case 1, 2 -> b.put((byte) (long) v);
        case 3, 4 -> b.putShort((short) (long) v);
        case 5, 6 -> b.putInt((int) (long) v);
        case 7 -> b.putFloat((float) v);
        case 9 -> b.putDouble(v);
        case 12 -> b.putLong((long) v);
        case 13 -> b.putLong(new java.math.BigDecimal(v).toBigInteger().longValue());
        default -> throw new IllegalArgumentException();
      }
    }
    return b.array();
  }

  /** One element: tag and data padded to 8 bytes, or the 4+4 small format when allowed and possible. */
  byte[] element(int type, byte[] data, boolean small) {
    if (small && data.length <= 4) {
      ByteBuffer b = ByteBuffer.allocate(8).order(order);
      b.putInt((data.length << 16) | type);
      b.put(data);
      return b.array();
    }
    int padded = (data.length + 7) & ~7;
    ByteBuffer b = ByteBuffer.allocate(8 + padded).order(order);
    b.putInt(type).putInt(data.length).put(data);
    return b.array();
  }

  byte[] ints(int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  /** A complete miMATRIX element for a numeric array. */
  byte[] matrix(String name, int[] dims, int classCode, int miType, double[] real, double[] imag, boolean small) {
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    int flags = classCode | (imag != null ? 0x0800 : 0);
    c.writeBytes(element(6, ints(flags, 0), false));
    c.writeBytes(element(5, ints(dims), false));
    c.writeBytes(element(1, name.getBytes(StandardCharsets.US_ASCII), small));
    c.writeBytes(element(miType, encode(miType, real), small));
    if (imag != null) {
      c.writeBytes(element(miType, encode(miType, imag), small));
    }
    return element(14, c.toByteArray(), false);
  }

  /** A char array (class 4, stored as miUINT16). */
  byte[] chars(String name, String text) {
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    c.writeBytes(element(6, ints(4, 0), false));
    c.writeBytes(element(5, ints(1, text.length()), false));
    c.writeBytes(element(1, name.getBytes(StandardCharsets.US_ASCII), true));
    double[] codes = text.chars().asDoubleStream().toArray();
    c.writeBytes(element(4, encode(4, codes), true));
    return element(14, c.toByteArray(), false);
  }

  /** A 1x1 struct with no fields (class 2). */
  byte[] emptyStruct(String name) {
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    c.writeBytes(element(6, ints(2, 0), false));
    c.writeBytes(element(5, ints(1, 1), false));
    c.writeBytes(element(1, name.getBytes(StandardCharsets.US_ASCII), true));
    c.writeBytes(element(5, ints(32), true)); // field name length
    c.writeBytes(element(1, new byte[0], false)); // no field names
    return element(14, c.toByteArray(), false);
  }

  /** A 1x1 cell holding one unnamed double matrix (class 1). */
  byte[] cellOf(String name, byte[] innerMatrix) {
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    c.writeBytes(element(6, ints(1, 0), false));
    c.writeBytes(element(5, ints(1, 1), false));
    c.writeBytes(element(1, name.getBytes(StandardCharsets.US_ASCII), true));
    c.writeBytes(innerMatrix);
    return element(14, c.toByteArray(), false);
  }

  /** An miCOMPRESSED element wrapping {@code element} (zlib stream, no padding after it). */
  byte[] compressed(byte[] element) {
    Deflater d = new Deflater();
    d.setInput(element);
    d.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      z.write(buf, 0, d.deflate(buf));
    }
    d.end();
    byte[] data = z.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(8 + data.length).order(order);
    b.putInt(15).putInt(data.length).put(data);
    return b.array();
  }

  MatWriter add(byte[] element) {
    out.writeBytes(element);
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
