package drsn.data.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bounds-checked cursor over a region {@code [start, end)} of a byte array, in one byte order.
 *
 * <p>Every read checks the bytes that remain in the region first and fails with a
 * {@link SignalFormatException} naming the source and the offset, so a parser built on it can
 * neither read past a truncated file nor trust a size field that is larger than the data.
 * Positions are offsets into the whole array (the file), which is what the messages report;
 * for data inflated from a compressed element, messages report the element's file offset and
 * the offset inside the inflated data.
 */
final class ByteReader {

  private final ByteBuffer buffer;
  private final String source;
  private final int start;
  private final int end;
  private int pos;
  /** File offset of the compressed element this data was inflated from, or -1 for file data. */
  private final long inflatedFrom;

  ByteReader(byte[] bytes, String source, ByteOrder order) {
    this(ByteBuffer.wrap(bytes).order(order), source, 0, bytes.length, -1);
  }

  private ByteReader(ByteBuffer buffer, String source, int start, int end, long inflatedFrom) {
    this.buffer = buffer;
    this.source = source;
    this.start = start;
    this.end = end;
    this.pos = start;
    this.inflatedFrom = inflatedFrom;
  }

  /** A reader over inflated bytes that reports errors relative to the compressed element at {@code fileOffset}. */
  static ByteReader inflated(byte[] bytes, int length, String source, ByteOrder order, long fileOffset) {
    return new ByteReader(ByteBuffer.wrap(bytes).order(order), source, 0, length, fileOffset);
  }

  String source() {
    return source;
  }

  ByteOrder order() {
    return buffer.order();
  }

  int position() {
    return pos;
  }

  int end() {
    return end;
  }

  int remaining() {
    return end - pos;
  }

  boolean hasRemaining() {
    return pos < end;
  }

  /** Moves to {@code newPos}, which must lie inside the region. */
  void seek(long newPos) throws SignalFormatException {
    if (newPos < start || newPos > end) {
      throw error(pos, "position " + newPos + " is outside the data (which ends at " + end + ")");
    }
    pos = (int) newPos;
  }

  /** Fails unless {@code n} bytes remain; {@code what} names the thing being read for the message. */
  void require(long n, String what) throws SignalFormatException {
    if (n < 0) {
      throw error(pos, what + " has a negative size " + n);
    }
    if (n > end - pos) {
      throw error(pos, what + " needs " + n + " bytes but only " + (end - pos) + " remain");
    }
  }

  /** A reader over the next {@code n} bytes (checked), advancing this one past them. */
  ByteReader slice(long n, String what) throws SignalFormatException {
    require(n, what);
    ByteReader sub = new ByteReader(buffer, source, pos, pos + (int) n, inflatedFrom);
    pos += (int) n;
    return sub;
  }

  /** A fresh reader over the same region, at its start (this one's position is untouched). */
  ByteReader copy() {
    return new ByteReader(buffer, source, start, end, inflatedFrom);
  }

  void skip(long n, String what) throws SignalFormatException {
    require(n, what);
    pos += (int) n;
  }

  int u8(String what) throws SignalFormatException {
    require(1, what);
    return buffer.get(pos++) & 0xFF;
  }

  int u16(String what) throws SignalFormatException {
    require(2, what);
    int v = buffer.getShort(pos) & 0xFFFF;
    pos += 2;
    return v;
  }

  int i32(String what) throws SignalFormatException {
    require(4, what);
    int v = buffer.getInt(pos);
    pos += 4;
    return v;
  }

  long u32(String what) throws SignalFormatException {
    return i32(what) & 0xFFFF_FFFFL;
  }

  void bytes(byte[] dst, String what) throws SignalFormatException {
    require(dst.length, what);
    buffer.get(pos, dst);
    pos += dst.length;
  }

  // Absolute reads for bulk sample decoding; callers have checked the whole span with require().

  byte getByte(int at) {
    return buffer.get(at);
  }

  short getShort(int at) {
    return buffer.getShort(at);
  }

  int getInt(int at) {
    return buffer.getInt(at);
  }

  long getLong(int at) {
    return buffer.getLong(at);
  }

  float getFloat(int at) {
    return buffer.getFloat(at);
  }

  double getDouble(int at) {
    return buffer.getDouble(at);
  }

  /** An exception at {@code at} (an offset into this reader's data). */
  SignalFormatException error(long at, String detail) {
    if (inflatedFrom < 0) {
      return SignalFormatException.atByte(source, at, detail);
    }
    return SignalFormatException.atByte(source, inflatedFrom,
        "in the data inflated from the compressed element here, at inflated offset " + at + ": " + detail);
  }

  SignalFormatException error(String detail) {
    return error(pos, detail);
  }
}
