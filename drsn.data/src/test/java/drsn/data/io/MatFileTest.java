package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

/** Round trips through an independent MAT v5 writer, in both byte orders, with and without compression. */
class MatFileTest {

  private static ByteOrder order(String name) {
    return name.equals("little") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  private static double[] randomDoubles(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(13) - 6);
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(strings = {"little", "big"})
  void doubleMatrixRoundTripsExactlyInColumnMajorOrder(String byteOrder) throws Exception {
    MatWriter w = new MatWriter(order(byteOrder));
    double[] values = randomDoubles(new Random(1), 3 * 5);
    w.add(w.matrix("X097_DE_time", new int[] {3, 5}, 6, 9, values, null, true));
    MatFile mat = MatFile.open(w.toBytes(), "test.mat");
    assertEquals(order(byteOrder), mat.byteOrder());
    assertEquals(List.of(new MatVariable("X097_DE_time", new int[] {3, 5}, MatClass.DOUBLE, false, false)),
        mat.variables());
    MatArray a = mat.read("X097_DE_time");
    assertArrayEquals(values, a.data());
    assertArrayEquals(new int[] {3, 5}, a.dims());
    assertEquals(3, a.rows());
    assertEquals(5, a.columns());
    // The writer stores values in the given order, which MATLAB defines as column-major:
    // element (i, j) is values[i + 3 j]; reading must not reorder.
    assertEquals(values[2 + 3 * 4], a.data()[2 + 3 * 4]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"little", "big"})
  void everyClassAndStorageTypeRoundTrips(String byteOrder) throws Exception {
    MatWriter w = new MatWriter(order(byteOrder));
    // {class code, storage type, values representable in that storage}
    Object[][] cases = {
        {6, 3, new double[] {-32768, -1, 0, 1, 32767}}, // double packed into int16, as MATLAB does
        {6, 2, new double[] {0, 1, 200, 255}}, // double packed into uint8
        {6, 4, new double[] {0, 65535, 12345}},
        {6, 5, new double[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}},
        {6, 6, new double[] {0, 4294967295.0, 3e9}},
        {6, 1, new double[] {-128, 127, 0}},
        {7, 7, new double[] {1.5, -0.25, 3.4028234663852886E38}}, // single
        {8, 1, new double[] {-128, 5, 127}},
        {9, 2, new double[] {0, 255}},
        {10, 3, new double[] {-32768, 32767}},
        {11, 4, new double[] {0, 65535}},
        {12, 5, new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE}},
        {13, 6, new double[] {0, 4294967295.0}},
        {14, 12, new double[] {-9.007199254740992E15, 9.007199254740992E15, -1}},
        {15, 13, new double[] {0, 1.8446744073709552E19 / 2, 1.8446744073709550E19}},
        {6, 9, new double[] {Math.PI}}, // 1x1 double
    };
    for (int i = 0; i < cases.length; i++) {
      double[] v = (double[]) cases[i][2];
      w.add(w.matrix("v" + i, new int[] {1, v.length}, (int) cases[i][0], (int) cases[i][1], v, null, true));
    }
    MatFile mat = MatFile.open(w.toBytes(), "classes.mat");
    assertEquals(cases.length, mat.variables().size());
    for (int i = 0; i < cases.length; i++) {
      MatArray a = mat.read("v" + i);
      assertArrayEquals((double[]) cases[i][2], a.data(), "case " + i);
      assertEquals(MatClass.values()[(int) cases[i][0] - 1], a.matClass(), "case " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"little", "big"})
  void compressedVariablesRoundTrip(String byteOrder) throws Exception {
    MatWriter w = new MatWriter(order(byteOrder));
    double[] big = randomDoubles(new Random(2), 5000);
    double[] counts = new double[700];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = (i * 37) % 2001 - 1000;
    }
    w.add(w.compressed(w.matrix("signal", new int[] {5000, 1}, 6, 9, big, null, false)));
    w.add(w.compressed(w.matrix("packed", new int[] {7, 100}, 6, 3, counts, null, true)));
    w.add(w.matrix("plain", new int[] {1, 2}, 6, 9, new double[] {1, 2}, null, true));
    MatFile mat = MatFile.open(w.toBytes(), "z.mat");
    assertEquals(List.of("signal", "packed", "plain"), mat.variables().stream().map(MatVariable::name).toList());
    assertArrayEquals(big, mat.read("signal").data());
    assertArrayEquals(counts, mat.read("packed").data());
    assertArrayEquals(new int[] {7, 100}, mat.read("packed").dims());
    assertArrayEquals(new double[] {1, 2}, mat.read("plain").data());
  }

  @Test
  void suffixLookupFindsTheUniqueMatchAndRejectsAmbiguity() throws Exception {
    MatWriter w = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    w.add(w.matrix("X105_DE_time", new int[] {2, 1}, 6, 9, new double[] {1, 2}, null, true));
    w.add(w.matrix("X105_FE_time", new int[] {2, 1}, 6, 9, new double[] {3, 4}, null, true));
    w.add(w.matrix("X105RPM", new int[] {1, 1}, 6, 9, new double[] {1797}, null, true));
    MatFile mat = MatFile.open(new ByteArrayInputStream(w.toBytes()), "cwru-like.mat");
    assertArrayEquals(new double[] {3, 4}, mat.readBySuffix("_FE_time").data());
    assertEquals(1797, mat.readBySuffix("RPM").data()[0]);
    SignalFormatException ambiguous = assertThrows(SignalFormatException.class,
        () -> mat.readBySuffix("_time"));
    assertTrue(ambiguous.getMessage().contains("found 2"), ambiguous.getMessage());
    SignalFormatException missing = assertThrows(SignalFormatException.class, () -> mat.read("X105"));
    assertTrue(missing.getMessage().startsWith("cwru-like.mat"), missing.getMessage());
    assertTrue(mat.find("X105RPM").isPresent());
    assertFalse(mat.find("x105rpm").isPresent(), "names are case-sensitive");
  }

  @Test
  void nonNumericVariablesAreListedAndSkippedGracefully() throws Exception {
    MatWriter w = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    w.add(w.chars("label", "inner race"));
    w.add(w.emptyStruct("meta"));
    w.add(w.cellOf("c", w.matrix("", new int[] {1, 1}, 6, 9, new double[] {5}, null, true)));
    w.add(w.matrix("x", new int[] {1, 3}, 6, 9, new double[] {1, 2, 3}, null, true));
    MatFile mat = MatFile.open(w.toBytes(), "mixed.mat");
    assertEquals(List.of("label", "meta", "c", "x"), mat.variables().stream().map(MatVariable::name).toList());
    assertEquals(MatClass.CHAR, mat.find("label").orElseThrow().matClass());
    assertFalse(mat.find("meta").orElseThrow().isReadable());
    assertArrayEquals(new double[] {1, 2, 3}, mat.read("x").data());
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> mat.read("label"));
    assertTrue(e.getMessage().startsWith("mixed.mat: at byte offset"), e.getMessage());
    assertTrue(e.getMessage().contains("class char"), e.getMessage());
  }

  @Test
  void complexArraysAreListedButRefused() throws Exception {
    MatWriter w = new MatWriter(ByteOrder.BIG_ENDIAN);
    w.add(w.matrix("z", new int[] {1, 2}, 6, 9, new double[] {1, 2}, new double[] {3, 4}, true));
    MatFile mat = MatFile.open(w.toBytes(), "complex.mat");
    assertTrue(mat.find("z").orElseThrow().complex());
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> mat.read("z"));
    assertTrue(e.getMessage().contains("complex"), e.getMessage());
    assertEquals(128, e.byteOffset().orElseThrow(), "points at the variable's element");
  }

  @Test
  void nonFiniteValuesAreRefusedUnlessAllowed() throws Exception {
    MatWriter w = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    w.add(w.matrix("x", new int[] {1, 3}, 6, 9, new double[] {1, Double.NaN, 3}, null, true));
    MatFile mat = MatFile.open(w.toBytes(), "nan.mat");
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> mat.read("x"));
    assertTrue(e.getMessage().contains("element 1"), e.getMessage());
    // Data starts after the header (128), the matrix tag (8), flags (16), dims (16) and the
    // small-format name (8) and the data tag (8): element 1 is 8 bytes further.
    assertEquals(128 + 8 + 16 + 16 + 8 + 8 + 8, e.byteOffset().orElseThrow());
    assertTrue(Double.isNaN(mat.read("x", true).data()[1]));
  }

  @Test
  void headerProblemsAreNamed() {
    byte[] v73 = new MatWriter(ByteOrder.LITTLE_ENDIAN).toBytes();
    System.arraycopy("MATLAB 7.3".getBytes(), 0, v73, 0, 10);
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> MatFile.open(v73, "h5.mat"));
    assertTrue(e.getMessage().contains("HDF5"), e.getMessage());

    byte[] endian = new MatWriter(ByteOrder.LITTLE_ENDIAN).toBytes();
    endian[126] = 'X';
    e = assertThrows(SignalFormatException.class, () -> MatFile.open(endian, "e.mat"));
    assertEquals(126, e.byteOffset().orElseThrow());

    e = assertThrows(SignalFormatException.class, () -> MatFile.open(new byte[10], "short.mat"));
    assertTrue(e.getMessage().startsWith("short.mat: "), e.getMessage());
  }

  /** {class code, storage type, smallest, largest} of integer-valued storage MATLAB may choose. */
  private static final long[][] INTEGER_STORAGE = {
      {6, 1, -128, 127}, {6, 2, 0, 255}, {6, 3, -32768, 32767}, {6, 4, 0, 65535},
      {6, 5, Integer.MIN_VALUE, Integer.MAX_VALUE}, {12, 5, Integer.MIN_VALUE, Integer.MAX_VALUE},
      {10, 3, -32768, 32767}, {9, 2, 0, 255}};

  @Test
  void anyShapeStorageOrderAndCompressionRoundTrips() {
    qt().withFixedSeed(4L).withExamples(150)
        .forAll(integers().between(0, 9), integers().between(0, 9), integers().between(0, INTEGER_STORAGE.length),
            booleans().all())
        .checkAssert((rows, cols, storage, compressed) -> {
          Random rnd = new Random(rows * 1000L + cols * 10L + storage);
          double[] v = new double[rows * cols];
          int classCode;
          int miType;
          if (storage == INTEGER_STORAGE.length) {
            classCode = 6;
            miType = 9;
            for (int i = 0; i < v.length; i++) {
              v[i] = rnd.nextGaussian();
            }
          } else {
            long[] st = INTEGER_STORAGE[storage];
            classCode = (int) st[0];
            miType = (int) st[1];
            for (int i = 0; i < v.length; i++) {
              v[i] = st[2] + (long) (rnd.nextDouble() * (st[3] - st[2] + 1));
            }
          }
          for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            MatWriter w = new MatWriter(order);
            byte[] m = w.matrix("var", new int[] {rows, cols}, classCode, miType, v, null, rnd.nextBoolean());
            w.add(compressed ? w.compressed(m) : m);
            try {
              MatArray a = MatFile.open(w.toBytes(), "p.mat").read("var");
              assertArrayEquals(v, a.data());
              assertArrayEquals(new int[] {rows, cols}, a.dims());
            } catch (SignalFormatException e) {
              throw new AssertionError(e);
            }
          }
        });
  }
}
