package drsn.nn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

/** The wire format, against the examples of the protocol buffers encoding guide and a decoder. */
class ProtoWriterTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void theEncodingGuidesExamples() {
    // "a = 150" in field 1: 08 96 01; "b = testing" in field 2: 12 07 74 65 73 74 69 6e 67.
    assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
    assertArrayEquals(bytes(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67),
        new ProtoWriter().string(2, "testing").toByteArray());
    // An embedded message: field 3 holding the first example.
    assertArrayEquals(bytes(0x1a, 0x03, 0x08, 0x96, 0x01),
        new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
    // int64 -1 takes ten bytes; a float is fixed32 little-endian (1.0f = 0x3f800000).
    assertArrayEquals(bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
        new ProtoWriter().varint(1, -1).toByteArray());
    assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3f), new ProtoWriter().fixedFloat(2, 1f).toByteArray());
    // Field numbers above 15 take a two-byte key: field 20 (AttributeProto.type), varint.
    assertArrayEquals(bytes(0xa0, 0x01, 0x07), new ProtoWriter().varint(20, 7).toByteArray());
  }

  @Test
  void everyVarintDecodesBackToItself() {
    qt().forAll(longs().all()).checkAssert(v -> {
      byte[] b = new ProtoWriter().varint(5, v).toByteArray();
      assertEquals(5 << 3, b[0]);
      long decoded = 0;
      int shift = 0;
      int i = 1;
      while (true) {
        decoded |= (long) (b[i] & 0x7f) << shift;
        if ((b[i++] & 0x80) == 0) {
          break;
        }
        shift += 7;
      }
      assertEquals(b.length, i, "no bytes after the last");
      assertEquals(v, decoded);
    });
  }

  @Test
  void fieldNumbersOutsideTheFormatsRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(1 << 29, 1));
  }
}
