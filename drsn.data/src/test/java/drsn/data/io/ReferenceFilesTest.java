package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Files written by other tools (SciPy, NumPy, Python's wave module; see
 * {@code fixtures/make_fixtures.py}), so the readers are not only checked against this project's
 * own idea of the formats. Expected values are recomputed from the formulas the script used.
 */
class ReferenceFilesTest {

  private static InputStream fixture(String name) {
    InputStream in = ReferenceFilesTest.class.getResourceAsStream("fixtures/" + name);
    if (in == null) {
      throw new AssertionError("missing test resource fixtures/" + name);
    }
    return in;
  }

  /** f(i, j, k) = 100 i + 10 j + k + 0.25, the script's element formula. */
  private static double f(int i, int j, int k) {
    return 100 * i + 10 * j + k + 0.25;
  }

  @ParameterizedTest
  @ValueSource(strings = {"scipy_v5.mat", "scipy_v5_compressed.mat"})
  void scipyMatFiles(String file) throws IOException {
    MatFile mat;
    try (InputStream in = fixture(file)) {
      mat = MatFile.open(in, file);
    }
    assertEquals(List.of("a", "cube", "i16", "u8", "single", "txt", "s", "c", "z", "flag"),
        mat.variables().stream().map(MatVariable::name).toList());

    MatArray cube = mat.read("cube");
    assertArrayEquals(new int[] {2, 3, 4}, cube.dims());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          assertEquals(f(i, j, k), cube.data()[i + 2 * j + 6 * k], "column-major (" + i + "," + j + "," + k + ")");
        }
      }
    }
    MatArray a = mat.read("a");
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(f(i, j, 0), a.data()[i + 3 * j]);
      }
    }
    MatArray i16 = mat.read("i16");
    assertEquals(MatClass.INT16, i16.matClass());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 5; j++) {
        assertEquals((short) (int) (f(i, j, 0) - 200), i16.data()[i + 2 * j]); // numpy astype truncates
      }
    }
    MatArray u8 = mat.read("u8");
    assertEquals(MatClass.UINT8, u8.matClass());
    for (int j = 0; j < 7; j++) {
      assertEquals((int) f(0, j, 0), u8.data()[j]); // a 1x7 row: f(0, j) truncated
    }
    MatArray single = mat.read("single");
    assertEquals(MatClass.SINGLE, single.matClass());
    assertArrayEquals(new double[] {f(0, 0, 0), f(1, 0, 0), f(2, 0, 0), f(3, 0, 0)}, single.data());
    MatArray flag = mat.read("flag");
    assertTrue(mat.find("flag").orElseThrow().logical());
    assertArrayEquals(new double[] {1, 0, 1}, flag.data());

    assertEquals(MatClass.CHAR, mat.find("txt").orElseThrow().matClass());
    assertEquals(MatClass.STRUCT, mat.find("s").orElseThrow().matClass());
    assertEquals(MatClass.CELL, mat.find("c").orElseThrow().matClass());
    assertTrue(mat.find("z").orElseThrow().complex());
    assertFalse(mat.find("z").orElseThrow().isReadable());
    assertThrows(SignalFormatException.class, () -> mat.read("z"));
    assertThrows(SignalFormatException.class, () -> mat.read("s"));
  }

  @Test
  void numpyFiles() throws IOException {
    NpyArray f8;
    try (InputStream in = fixture("f8.npy")) {
      f8 = NpyFile.read(in, "f8.npy");
    }
    assertArrayEquals(new int[] {2, 3, 4}, f8.shape());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          assertEquals(f(i, j, k), f8.data()[(i * 3 + j) * 4 + k], "C order (" + i + "," + j + "," + k + ")");
        }
      }
    }
    try (InputStream in = fixture("f4.npy")) {
      NpyArray f4 = NpyFile.read(in, "f4.npy");
      assertEquals("<f4", f4.dtype());
      assertArrayEquals(new double[] {f(0, 0, 0), f(1, 0, 0), f(2, 0, 0), f(3, 0, 0), f(4, 0, 0)}, f4.data());
    }
    try (InputStream in = fixture("f8_big_endian.npy")) {
      NpyArray be = NpyFile.read(in, "be.npy");
      assertEquals(">f8", be.dtype());
      assertArrayEquals(new double[] {f(0, 0, 0), f(0, 1, 0), f(1, 0, 0), f(1, 1, 0), f(2, 0, 0), f(2, 1, 0)},
          be.data());
    }
    try (InputStream in = fixture("f4_v2.npy")) {
      assertArrayEquals(new double[] {f(0, 0, 0), f(0, 1, 0), f(1, 0, 0), f(1, 1, 0)},
          NpyFile.read(in, "v2.npy").data());
    }
    try (InputStream in = fixture("fortran.npy")) {
      SignalFormatException e = assertThrows(SignalFormatException.class, () -> NpyFile.read(in, "fortran.npy"));
      assertTrue(e.getMessage().contains("fortran_order"), e.getMessage());
    }
  }

  /** The script's PCM code for frame t of channel c. */
  private static long code(int t, int c, int bits) {
    long span = 1L << bits;
    long v = (t * 7919L + c * 104729L) % span;
    return bits == 8 ? v : v - span / 2;
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 16, 24, 32})
  void pythonWavePcm(int bits) throws IOException {
    WavAudio w;
    try (InputStream in = fixture("pcm" + bits + ".wav")) {
      w = WavFile.read(in, "pcm" + bits + ".wav");
    }
    assertEquals(12000, w.sampleRate());
    assertEquals(2, w.channelCount());
    assertEquals(50, w.frames());
    for (int c = 0; c < 2; c++) {
      for (int t = 0; t < 50; t++) {
        double expected = bits == 8 ? (code(t, c, 8) - 128) / 128.0 : code(t, c, bits) / Math.pow(2, bits - 1);
        assertEquals((float) Math.min(expected, Math.nextDown(1f)), w.channels()[c][t], "c" + c + " t" + t);
      }
    }
  }

  @Test
  void scipyFloat32Wav() throws IOException {
    WavAudio w;
    try (InputStream in = fixture("float32.wav")) {
      w = WavFile.read(in, "float32.wav");
    }
    assertEquals(48000, w.sampleRate());
    assertEquals(WavAudio.Encoding.FLOAT, w.encoding());
    for (int t = 0; t < 50; t++) {
      assertEquals(Math.sin(t * 0.1), w.channels()[0][t], 1e-7);
      assertEquals(Math.cos(t * 0.1) * 0.5, w.channels()[1][t], 1e-7);
    }
  }
}
