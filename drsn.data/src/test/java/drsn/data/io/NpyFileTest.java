package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyFileTest {

  @ParameterizedTest
  @CsvSource({"1,<f8", "1,<f4", "1,>f8", "1,>f4", "2,<f8", "3,>f4"})
  void roundTripsExactlyInCOrder(int major, String descr) throws Exception {
    Random rnd = new Random(major * 31 + descr.hashCode());
    int[] dims = {2, 3, 4};
    double[] v = new double[24];
    for (int i = 0; i < v.length; i++) {
      v[i] = descr.endsWith("4") ? (float) rnd.nextGaussian() : rnd.nextGaussian();
    }
    NpyArray a = NpyFile.read(NpyWriter.write(major, descr, dims, v), "a.npy");
    assertArrayEquals(dims, a.shape());
    assertEquals(descr, a.dtype());
    assertArrayEquals(v, a.data());
  }

  @Test
  void anyRankIncludingScalarAndEmpty() throws Exception {
    assertArrayEquals(new double[] {2.5},
        NpyFile.read(NpyWriter.write(1, "<f8", new int[0], new double[] {2.5}), "s.npy").data());
    assertArrayEquals(new int[] {5},
        NpyFile.read(NpyWriter.write(1, "<f8", new int[] {5}, new double[5]), "v.npy").shape());
    assertEquals(0, NpyFile.read(NpyWriter.write(1, "<f4", new int[] {0, 3}, new double[0]), "e.npy").data().length);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }",
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2), }",
      "{'descr': '<f8', 'fortran_order': False, }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}",
      "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}",
      "{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } x",
      "['descr', '<f8']",
      "{'descr': '<f8' 'fortran_order': False, 'shape': (2,), }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", // needs 24 bytes, has 16
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", // 8 bytes left over
  })
  void strictHeaderParsing(String dict) {
    byte[] file = NpyWriter.write(1, dict, "<f8", new double[] {1, 2});
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> NpyFile.read(file, "h.npy"));
    assertTrue(e.getMessage().startsWith("h.npy: at byte offset "), e.getMessage());
  }

  @Test
  void nonFiniteValuesAndWrongMagicAreNamed() {
    byte[] nan = NpyWriter.write(1, "<f4", new int[] {3}, new double[] {1, Double.POSITIVE_INFINITY, 3});
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> NpyFile.read(nan, "n.npy"));
    // The data is the last 3 * 4 bytes; element 1 starts 4 bytes into it.
    assertEquals(nan.length - 12 + 4, e.byteOffset().orElseThrow(), e.getMessage());
    byte[] magic = nan.clone();
    magic[1] = 'X';
    assertTrue(assertThrows(SignalFormatException.class, () -> NpyFile.read(magic, "m.npy")).getMessage()
        .contains("wrong magic"));
  }
}
