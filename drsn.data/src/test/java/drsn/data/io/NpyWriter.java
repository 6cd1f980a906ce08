package drsn.data.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes NPY files for tests, with the header NumPy would write (padded so data is 64-byte aligned). */
final class NpyWriter {

  private NpyWriter() {
  }

  static String shape(int... dims) {
    StringBuilder s = new StringBuilder("(");
    for (int d : dims) {
      s.append(d).append(dims.length == 1 ? "," : ", ");
    }
    String t = s.toString();
    if (dims.length > 1) {
      t = t.substring(0, t.length() - 2);
    }
    return t + ")";
  }

  static byte[] write(int major, String dict, String descr, double[] values) {
    int prefix = major == 1 ? 10 : 12;
    int len = prefix + dict.length() + 1;
    int padded = (len + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - len) + "\n";
    byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int width = descr.endsWith("4") ? 4 : 8;
    ByteBuffer b = ByteBuffer.allocate(prefix + h.length + values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    b.put(h);
    b.order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      if (width == 4) {
        b.putFloat((float) v);
      } else {
        b.putDouble(v);
      }
    }
    return b.array();
  }

  static byte[] write(int major, String descr, int[] dims, double[] values) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape(dims) + ", }";
    return write(major, dict, descr, values);
  }
}
