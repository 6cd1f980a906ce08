package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WavFileTest {

  /** Random codes for a PCM width, always including both extremes. */
  private static int[][] codes(Random rnd, int channels, int frames, int bits) {
    int[][] c = new int[channels][frames];
    long min = bits == 8 ? 0 : -(1L << (bits - 1));
    long max = bits == 8 ? 255 : (1L << (bits - 1)) - 1;
    for (int ch = 0; ch < channels; ch++) {
      for (int t = 0; t < frames; t++) {
        c[ch][t] = (int) (min + (long) (rnd.nextDouble() * (max - min + 1)));
      }
      c[ch][0] = (int) min;
      c[ch][1] = (int) max;
    }
    return c;
  }

  @ParameterizedTest
  @CsvSource({"8,1,false", "8,2,true", "16,1,false", "16,3,true", "24,1,false", "24,2,true", "32,1,false",
      "32,2,true"})
  void pcmRoundTripsScaledIntoMinusOneToOne(int bits, int channels, boolean extensible) throws Exception {
    int frames = 257; // odd: for 8-bit mono the data chunk gets a pad byte
    int[][] c = codes(new Random(bits * 10 + channels), channels, frames, bits);
    byte[] file = WavWriter.pcm(c, 12_000, bits, extensible, extensible);
    WavAudio a = WavFile.read(file, "t.wav");
    assertEquals(12_000, a.sampleRate());
    assertEquals(channels, a.channelCount());
    assertEquals(frames, a.frames());
    assertEquals(bits, a.bitsPerSample());
    assertEquals(WavAudio.Encoding.PCM, a.encoding());
    double scale = Math.pow(2, bits - 1);
    for (int ch = 0; ch < channels; ch++) {
      for (int t = 0; t < frames; t++) {
        double expected = bits == 8 ? (c[ch][t] - 128) / 128.0 : c[ch][t] / scale;
        float expectedF = (float) Math.min(expected, Math.nextDown(1.0f));
        assertEquals(expectedF, a.channels()[ch][t], "channel " + ch + " frame " + t);
        assertTrue(a.channels()[ch][t] >= -1f && a.channels()[ch][t] < 1f);
      }
    }
    assertEquals(-1f, a.channels()[0][bits == 8 ? 0 : 0]);
  }

  @ParameterizedTest
  @CsvSource({"1,false", "2,true"})
  void float32RoundTripsExactly(int channels, boolean extensible) throws Exception {
    Random rnd = new Random(5);
    float[][] s = new float[channels][100];
    for (float[] x : s) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextGaussian() * 0.3f;
      }
    }
    WavAudio a = WavFile.read(WavWriter.float32(s, 44_100, extensible, true), "f.wav");
    assertEquals(WavAudio.Encoding.FLOAT, a.encoding());
    for (int c = 0; c < channels; c++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(s[c], a.channels()[c]);
    }
  }

  @Test
  void nonFiniteFloatSampleIsNamedWithItsOffset() {
    float[][] s = {{0.5f, Float.NaN}};
    byte[] file = WavWriter.float32(s, 8000, false, false);
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> WavFile.read(file, "nan.wav"));
    // RIFF header 12, fmt chunk 8+16, data header 8: sample 1 is at 44 + 4.
    assertEquals(48, e.byteOffset().orElseThrow());
    assertTrue(e.getMessage().startsWith("nan.wav: "), e.getMessage());
  }

  @Test
  void badHeadersAreNamed() {
    byte[] ok = WavWriter.pcm(new int[][] {{1, 2, 3}}, 8000, 16, false, false);
    byte[] magic = ok.clone();
    magic[0] = 'X';
    assertTrue(assertThrows(SignalFormatException.class, () -> WavFile.read(magic, "m.wav")).getMessage()
        .contains("wrong magic"));
    byte[] bigData = ok.clone();
    ByteBuffer.wrap(bigData).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 0x7FFF_FFF0);
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> WavFile.read(bigData, "d.wav"));
    assertEquals(40, e.byteOffset().orElseThrow(), e.getMessage());
    byte[] bits = ok.clone();
    ByteBuffer.wrap(bits).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 12);
    assertTrue(assertThrows(SignalFormatException.class, () -> WavFile.read(bits, "b.wav")).getMessage()
        .contains("12 bits"));
  }
}
