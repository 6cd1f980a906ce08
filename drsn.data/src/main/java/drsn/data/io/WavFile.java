package drsn.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * RIFF WAVE files: integer PCM of 8 (unsigned), 16, 24 and 32 bits, and IEEE float of 32 and
 * 64 bits, in the plain format or {@code WAVE_FORMAT_EXTENSIBLE} with one of those subformats;
 * any number of channels.
 *
 * <p>Integer samples are scaled by 2^(bits−1) into [-1, 1): 8-bit {@code (u − 128) / 128},
 * 16-bit {@code s / 32768}, and so on; 32-bit values that round to 1.0 in float are clamped to
 * the largest float below 1. Float samples are returned as they are (they may exceed 1) but must
 * be finite. Chunks other than {@code fmt } and {@code data} are skipped, honouring the pad byte
 * after odd-sized chunks. RIFX (big-endian) and RF64 files are refused.
 */
public final class WavFile {

  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_FLOAT = 3;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  // The 14 bytes that follow the format code in a KSDATAFORMAT_SUBTYPE_* GUID.
  private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
      (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

  private WavFile() {
  }

  public static WavAudio read(Path path) throws IOException {
    return parse(SourceBytes.read(path), path.toString());
  }

  /** Reads from memory; {@code name} is used in messages. */
  public static WavAudio read(byte[] bytes, String name) throws SignalFormatException {
    SourceBytes.checkArgs(bytes, name);
    return parse(bytes, name);
  }

  /** Reads a whole stream (not closed); {@code name} is used in messages. */
  public static WavAudio read(InputStream in, String name) throws IOException {
    return parse(SourceBytes.read(in, name), name);
  }

  private static WavAudio parse(byte[] bytes, String source) throws SignalFormatException {
    ByteReader r = new ByteReader(bytes, source, ByteOrder.LITTLE_ENDIAN);
    String riff = fourCc(r, "RIFF magic");
    if (riff.equals("RIFX")) {
      throw r.error(0, "big-endian RIFX WAV files are not supported");
    }
    if (riff.equals("RF64")) {
      throw r.error(0, "RF64 (64-bit) WAV files are not supported");
    }
    if (!riff.equals("RIFF")) {
      throw r.error(0, "not a WAV file: expected \"RIFF\", got " + printable(riff) + " (wrong magic)");
    }
    long riffSize = r.u32("RIFF size");
    if (riffSize < 4 || riffSize > r.remaining()) {
      throw r.error(4, "RIFF size " + riffSize + " does not fit the file (" + r.remaining()
          + " bytes follow it)");
    }
    ByteReader body = r.slice(riffSize, "RIFF body");
    String wave = fourCc(body, "WAVE magic");
    if (!wave.equals("WAVE")) {
      throw body.error(8, "not a WAV file: expected \"WAVE\", got " + printable(wave) + " (wrong magic)");
    }

    Format format = null;
    int dataPos = -1;
    long dataSize = 0;
    while (body.hasRemaining()) {
      int chunkPos = body.position();
      if (body.remaining() < 8) {
        throw body.error("trailing " + body.remaining() + " bytes are too short for a chunk header");
      }
      String id = fourCc(body, "chunk id");
      long size = body.u32("chunk size");
      if (size > body.remaining()) {
        throw body.error(chunkPos + 4, "chunk \"" + printable(id) + "\" declares " + size + " bytes but only "
            + body.remaining() + " remain");
      }
      int contentPos = body.position();
      if (id.equals("fmt ")) {
        if (format != null) {
          throw body.error(chunkPos, "second \"fmt \" chunk");
        }
        format = parseFormat(body.slice(size, "fmt chunk"), contentPos);
      } else if (id.equals("data")) {
        if (dataPos >= 0) {
          throw body.error(chunkPos, "second \"data\" chunk");
        }
        dataPos = contentPos;
        dataSize = size;
        body.skip(size, "data chunk");
      } else {
        body.skip(size, "chunk \"" + printable(id) + "\"");
      }
      // Chunks start at even offsets: an odd-sized chunk is followed by a pad byte (which a
      // truncated last chunk may lack).
      if ((size & 1) == 1 && body.hasRemaining()) {
        body.skip(1, "pad byte");
      }
    }
    if (format == null) {
      throw SignalFormatException.atByte(source, bytes.length, "no \"fmt \" chunk");
    }
    if (dataPos < 0) {
      throw SignalFormatException.atByte(source, bytes.length, "no \"data\" chunk");
    }
    if (dataSize % format.blockAlign != 0) {
      throw r.error(dataPos - 4, "data size " + dataSize + " is not a whole number of " + format.blockAlign
          + "-byte frames");
    }
    return decode(r, source, format, dataPos, (int) (dataSize / format.blockAlign));
  }

  private record Format(boolean isFloat, int channels, int sampleRate, int blockAlign, int bits) {
  }

  private static Format parseFormat(ByteReader f, int pos) throws SignalFormatException {
    if (f.remaining() < 16) {
      throw f.error(pos, "\"fmt \" chunk is " + f.remaining() + " bytes, at least 16 are needed");
    }
    int tag = f.u16("format tag");
    int channels = f.u16("channel count");
    long sampleRate = f.u32("sample rate");
    f.u32("byte rate");
    int blockAlign = f.u16("block align");
    int bits = f.u16("bits per sample");
    int code = tag;
    if (tag == FORMAT_EXTENSIBLE) {
      if (f.remaining() < 24) {
        throw f.error(pos + 16, "WAVE_FORMAT_EXTENSIBLE needs 24 extension bytes, got " + f.remaining());
      }
      int cbSize = f.u16("extension size");
      if (cbSize < 22) {
        throw f.error(pos + 16, "WAVE_FORMAT_EXTENSIBLE extension size must be at least 22, got " + cbSize);
      }
      int validBits = f.u16("valid bits");
      f.u32("channel mask");
      code = f.u16("subformat");
      byte[] tail = new byte[14];
      f.bytes(tail, "subformat GUID");
      if (!Arrays.equals(tail, GUID_TAIL)) {
        throw f.error(pos + 26, "unknown WAVE_FORMAT_EXTENSIBLE subformat GUID");
      }
      if (validBits > bits) {
        throw f.error(pos + 18, "valid bits " + validBits + " exceed the container size " + bits);
      }
    }
    boolean isFloat;
    if (code == FORMAT_PCM) {
      if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
        throw f.error(pos + 14, "PCM with " + bits + " bits per sample is not supported (8, 16, 24 or 32)");
      }
      isFloat = false;
    } else if (code == FORMAT_FLOAT) {
      if (bits != 32 && bits != 64) {
        throw f.error(pos + 14, "IEEE float with " + bits + " bits per sample is not supported (32 or 64)");
      }
      isFloat = true;
    } else {
      throw f.error(pos, "format code " + code + " is not supported (1 = PCM, 3 = IEEE float)");
    }
    if (channels < 1) {
      throw f.error(pos + 2, "channel count must be at least 1, got " + channels);
    }
    if (sampleRate < 1 || sampleRate > Integer.MAX_VALUE) {
      throw f.error(pos + 4, "sample rate must be positive, got " + sampleRate);
    }
    if (blockAlign != channels * (bits / 8)) {
      throw f.error(pos + 12, "block align " + blockAlign + " does not match " + channels + " channels of "
          + bits + " bits");
    }
    return new Format(isFloat, channels, (int) sampleRate, blockAlign, bits);
  }

  private static WavAudio decode(ByteReader r, String source, Format f, int dataPos, int frames)
      throws SignalFormatException {
    int ch = f.channels;
    int bytes = f.bits / 8;
    // frames * ch * bytes is the data size, already checked against the file.
    float[][] out = new float[ch][frames];
    for (int c = 0; c < ch; c++) {
      float[] o = out[c];
      int at = dataPos + c * bytes;
      int step = f.blockAlign;
      if (f.isFloat) {
        for (int t = 0; t < frames; t++, at += step) {
          double v = bytes == 4 ? r.getFloat(at) : r.getDouble(at);
          if (!Double.isFinite(v)) {
            throw r.error(at, "sample " + t + " of channel " + c + " is " + v + "; NaN and infinite samples are refused");
          }
          o[t] = (float) v;
        }
      } else {
        switch (bytes) {
          case 1 -> { for (int t = 0; t < frames; t++, at += step) o[t] = ((r.getByte(at) & 0xFF) - 128) / 128f; }
          case 2 -> { for (int t = 0; t < frames; t++, at += step) o[t] = r.getShort(at) / 32768f; }
          case 3 -> {
            for (int t = 0; t < frames; t++, at += step) {
              int v = (r.getByte(at) & 0xFF) | (r.getByte(at + 1) & 0xFF) << 8 | r.getByte(at + 2) << 16;
              o[t] = v / 8388608f;
            }
          }
          default -> {
            for (int t = 0; t < frames; t++, at += step) {
              o[t] = Math.min((float) (r.getInt(at) / 2147483648.0), LARGEST_BELOW_ONE);
            }
          }
        }
      }
    }
    return new WavAudio(source, f.sampleRate, f.bits, f.isFloat ? WavAudio.Encoding.FLOAT : WavAudio.Encoding.PCM,
        out);
  }

  private static final float LARGEST_BELOW_ONE = Math.nextDown(1f);

  private static String fourCc(ByteReader r, String what) throws SignalFormatException {
    byte[] b = new byte[4];
    r.bytes(b, what);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String id) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : id.toCharArray()) {
      s.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return s.append('"').toString();
  }
}
