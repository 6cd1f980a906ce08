package drsn.data.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes RIFF WAVE files for tests: integer codes or float samples, plain or extensible format. */
final class WavWriter {

  private WavWriter() {
  }

  static byte[] chunk(String id, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    return b.array();
  }

  static byte[] fmt(int code, int channels, int rate, int bits, boolean extensible) {
    int blockAlign = channels * bits / 8;
    ByteBuffer b = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (extensible ? 0xFFFE : code)).putShort((short) channels).putInt(rate)
        .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
    if (extensible) {
      b.putShort((short) 22).putShort((short) bits).putInt(0);
      b.putShort((short) code);
      b.put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
          (byte) 0x9B, 0x71});
    }
    return b.array();
  }

  /** Integer PCM: {@code codes[c][t]} are the stored values (unsigned 0..255 for 8 bits). */
  static byte[] pcm(int[][] codes, int rate, int bits, boolean extensible, boolean extraChunks) {
    int ch = codes.length;
    int frames = codes[0].length;
    ByteBuffer d = ByteBuffer.allocate(frames * ch * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int t = 0; t < frames; t++) {
      for (int c = 0; c < ch; c++) {
        int v = codes[c][t];
        switch (bits) {
          case 8 -> d.put((byte) v);
          case 16 -> d.putShort((short) v);
          case 24 -> d.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
          default -> d.putInt(v);
        }
      }
    }
    return riff(fmt(1, ch, rate, bits, extensible), d.array(), extraChunks);
  }

  static byte[] float32(float[][] samples, int rate, boolean extensible, boolean extraChunks) {
    int ch = samples.length;
    int frames = samples[0].length;
    ByteBuffer d = ByteBuffer.allocate(frames * ch * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int t = 0; t < frames; t++) {
      for (int c = 0; c < ch; c++) {
        d.putFloat(samples[c][t]);
      }
    }
    return riff(fmt(3, ch, rate, 32, extensible), d.array(), extraChunks);
  }

  static byte[] riff(byte[] fmt, byte[] data, boolean extraChunks) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    if (extraChunks) {
      body.writeBytes(chunk("LIST", new byte[] {'I', 'N', 'F', 'O', 1, 2, 3})); // odd size: padded
    }
    body.writeBytes(chunk("fmt ", fmt));
    if (extraChunks) {
      body.writeBytes(chunk("fact", new byte[] {4, 0, 0, 0}));
    }
    body.writeBytes(chunk("data", data));
    if (extraChunks) {
      body.writeBytes(chunk("junk", new byte[] {9}));
    }
    byte[] b = body.toByteArray();
    ByteBuffer r = ByteBuffer.allocate(8 + b.length).order(ByteOrder.LITTLE_ENDIAN);
    r.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(b.length).put(b);
    return r.array();
  }
}
