package drsn.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads one row's signal as a model's input [C, L] (flat): a column of {@code array<float>} or
 * {@code array<double>} (C·L values, channel after channel; L when the model has one channel),
 * {@code array<array<float|double>>} (one array per channel), or {@code binary}: C·L little-endian
 * float32 values, channel after channel (as NPY's {@code <f4} stores them) — the cheapest for Spark
 * to move, since an array column's samples are boxed one by one on their way into a row. What cannot be a model input is a
 * {@link BadSignal} with a one-line reason, reported on the row, never a failed task.
 */
final class SignalValues {

  /** A row whose signal the model cannot take. */
  static final class BadSignal extends Exception {
    private static final long serialVersionUID = 1L;

    BadSignal(String message) {
      super(message, null, false, false);
    }
  }

  private SignalValues() {
  }

  /** True for the column types a signal can have. */
  static boolean accepts(DataType t) {
    if (t.equals(DataTypes.BinaryType)) {
      return true;
    }
    if (t instanceof ArrayType a) {
      DataType e = a.elementType();
      return isNumber(e) || (e instanceof ArrayType inner && isNumber(inner.elementType()));
    }
    return false;
  }

  private static boolean isNumber(DataType t) {
    return t.equals(DataTypes.FloatType) || t.equals(DataTypes.DoubleType);
  }

  /** The signal in field {@code i} of {@code row} as [channels, length] into a new array. */
  static float[] read(Row row, int i, int channels, int length) throws BadSignal {
    if (row.isNullAt(i)) {
      throw new BadSignal("the signal is null");
    }
    if (row.get(i) instanceof byte[] b) {
      return fromBytes(b, channels, length);
    }
    List<Object> values = row.getList(i);
    float[] x = new float[channels * length];
    if (!values.isEmpty() && asList(values.get(0)) != null) {
      if (values.size() != channels) {
        throw new BadSignal("the model expects " + channels + " channel" + (channels == 1 ? "" : "s")
            + ", the signal has " + values.size());
      }
      for (int c = 0; c < channels; c++) {
        List<?> ch = asList(values.get(c));
        if (ch == null) {
          throw new BadSignal("channel " + c + " is null");
        }
        copy(ch, x, c * length, length, c);
      }
    } else {
      if (values.size() != channels * length) {
        throw new BadSignal("the model expects " + channels + " × " + length + " = " + (channels * length)
            + " samples, the signal has " + values.size());
      }
      copy(values, x, 0, channels * length, -1);
    }
    return x;
  }

  /** C·L little-endian float32 values. */
  static float[] fromBytes(byte[] b, int channels, int length) throws BadSignal {
    int n = channels * length;
    if (b.length != 4L * n) {
      throw new BadSignal("the model expects " + channels + " × " + length + " = " + n + " float32 samples ("
          + 4L * n + " bytes), the signal has " + b.length + " bytes");
    }
    float[] x = new float[n];
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
    for (int t = 0; t < n; t++) {
      if (!Float.isFinite(x[t])) {
        throw new BadSignal("sample " + (t % length) + (channels > 1 ? " of channel " + (t / length) : "") + " is "
            + x[t] + "; inputs must be finite");
      }
    }
    return x;
  }

  /** float values as C·L little-endian float32 bytes (a {@code binary} signal column). */
  static byte[] toBytes(float[] x) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * x.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    return b.array();
  }

  /**
   * An element of an array column that is itself an array, as a list (Spark hands nested arrays
   * to Java as Scala sequences), or null when it is not one.
   */
  static List<?> asList(Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return scala.jdk.javaapi.CollectionConverters.asJava(s);
    }
    return null;
  }

  private static void copy(List<?> from, float[] to, int offset, int length, int channel) throws BadSignal {
    if (from.size() != length) {
      throw new BadSignal("channel " + channel + ": the model expects " + length + " samples, the signal has "
          + from.size());
    }
    for (int t = 0; t < length; t++) {
      Object v = from.get(t);
      if (!(v instanceof Number n)) {
        throw new BadSignal("sample " + t + (channel >= 0 ? " of channel " + channel : "") + " is null");
      }
      float f = n.floatValue();
      if (!Float.isFinite(f)) {
        throw new BadSignal("sample " + t + (channel >= 0 ? " of channel " + channel : "") + " is " + n
            + "; inputs must be finite");
      }
      to[offset + t] = f;
    }
  }
}
