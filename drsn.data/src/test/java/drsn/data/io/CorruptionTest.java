package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile inputs for every reader: truncation at every offset, single-byte changes, random
 * garbage and absurd size fields. Each must either read (when a change happens to leave a valid
 * file) or throw a SignalFormatException naming the input; never another exception, an
 * OutOfMemoryError or a hang (the timeouts only guard against hangs, they measure nothing).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CorruptionTest {

  @FunctionalInterface
  interface Reader {
    void readAll(byte[] bytes, String name) throws Exception;
  }

  /** A valid sample file of one format and how to read all of it. */
  record Format(String name, byte[] valid, Reader reader, boolean binary, boolean truncationAlwaysFails) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static void readMat(byte[] bytes, String name) throws Exception {
    MatFile mat = MatFile.open(bytes, name);
    for (MatVariable v : mat.variables()) {
      if (v.isReadable()) {
        mat.read(v.name());
      }
    }
  }

  static List<Format> formats() {
    Random rnd = new Random(7);
    double[] signal = new double[24];
    for (int i = 0; i < signal.length; i++) {
      signal[i] = rnd.nextGaussian();
    }
    MatWriter le = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    le.add(le.matrix("X097_DE_time", new int[] {24, 1}, 6, 9, signal, null, true));
    le.add(le.matrix("ab", new int[] {2, 3}, 6, 3, new double[] {1, -2, 3, 400, -500, 6}, null, true));
    le.add(le.chars("txt", "hi"));
    le.add(le.matrix("X097RPM", new int[] {1, 1}, 6, 9, new double[] {1797}, null, true));
    MatWriter be = new MatWriter(ByteOrder.BIG_ENDIAN);
    be.add(be.compressed(be.matrix("z", new int[] {1, 24}, 6, 9, signal, null, false)));
    be.add(be.compressed(be.matrix("u", new int[] {3, 1}, 9, 2, new double[] {1, 2, 255}, null, true)));
    be.add(be.matrix("s", new int[] {1, 2}, 7, 7, new double[] {0.5, -0.25}, null, true));

    int[][] codes = {{0, 100, -100, 32767, -32768, 5, 6}, {1, 2, 3, 4, 5, 6, 7}};
    float[][] floats = {{0.5f, -0.5f, 0.25f, 0, 1}};
    String csv = "a,b,label\n1,2,x\n3.5,-4e1,y\n\"5\",6,x\n";
    String ucr = "1\t0.5\t-0.5\t1.5\n-1\t1.25\t2\t3\n1\t3\t4\t5\n";
    return List.of(
        new Format("mat-le", le.toBytes(), CorruptionTest::readMat, true, false),
        new Format("mat-be-compressed", be.toBytes(), CorruptionTest::readMat, true, false),
        new Format("wav-pcm16", WavWriter.pcm(codes, 8000, 16, false, true), WavFile::read, true, true),
        new Format("wav-pcm24-ext", WavWriter.pcm(codes, 8000, 24, true, false), WavFile::read, true, true),
        new Format("wav-pcm8", WavWriter.pcm(new int[][] {{0, 128, 255}}, 8000, 8, false, false), WavFile::read,
            true, true),
        new Format("wav-float32", WavWriter.float32(floats, 16000, false, true), WavFile::read, true, true),
        new Format("npy-f8", NpyWriter.write(1, "<f8", new int[] {2, 3}, signal.clone().length > 6
            ? java.util.Arrays.copyOf(signal, 6) : signal), NpyFile::read, true, true),
        new Format("npy-f4-be-v2", NpyWriter.write(2, ">f4", new int[] {4}, new double[] {1, 2, 3, 4}),
            NpyFile::read, true, true),
        new Format("csv", csv.getBytes(StandardCharsets.UTF_8),
            (b, n) -> CsvFile.readExamples(b, n, CsvFile.LabelColumn.named("label"), CsvFile.Options.DEFAULT),
            false, false),
        new Format("csv-columns", "x,y\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8),
            (b, n) -> CsvFile.readColumns(b, n, CsvFile.Options.DEFAULT), false, false),
        new Format("ucr", ucr.getBytes(StandardCharsets.UTF_8), (b, n) -> UcrTsv.read(b, n, false), false, false),
        new Format("scipy-mat", fixture("scipy_v5.mat"), CorruptionTest::readMat, true, false),
        new Format("scipy-mat-compressed", fixture("scipy_v5_compressed.mat"), CorruptionTest::readMat, true, false),
        new Format("scipy-wav-float32", fixture("float32.wav"), WavFile::read, true, true));
  }

  private static byte[] fixture(String name) {
    try (java.io.InputStream in = CorruptionTest.class.getResourceAsStream("fixtures/" + name)) {
      if (in == null) {
        throw new AssertionError("missing test resource fixtures/" + name);
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Reads; returns true on success, false on a well-formed SignalFormatException, fails on anything else. */
  private static boolean readsOrFailsCleanly(Format f, byte[] bytes, String name) {
    try {
      f.reader.readAll(bytes, name);
      return true;
    } catch (SignalFormatException e) {
      assertEquals(name, e.source());
      assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
      return false;
    } catch (Throwable t) {
      fail(f.name + ": " + name + " threw " + t, t);
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("formats")
  void theSampleFilesAreValid(Format f) throws Exception {
    f.reader.readAll(f.valid, f.name);
  }

  @ParameterizedTest
  @MethodSource("formats")
  void truncationAtEveryOffset(Format f) {
    for (int len = 0; len < f.valid.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(f.valid, len);
      boolean read = readsOrFailsCleanly(f, cut, f.name + "-cut" + len);
      if (f.truncationAlwaysFails) {
        assertTrue(!read, f.name + " truncated to " + len + " bytes must be refused");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("formats")
  void changingAnyByteNeverBreaksTheReader(Format f) {
    qt().withFixedSeed(20_26L).withExamples(400)
        .forAll(integers().between(0, f.valid.length - 1), integers().between(0, 255))
        .checkAssert((offset, value) -> {
          byte[] b = f.valid.clone();
          b[offset] = (byte) (int) value;
          readsOrFailsCleanly(f, b, f.name + "@" + offset + "=" + value);
        });
  }

  @ParameterizedTest
  @MethodSource("formats")
  void seededRandomFlipsAndGarbage(Format f) {
    Random rnd = new Random(f.name.hashCode());
    for (int trial = 0; trial < 200; trial++) {
      byte[] b = f.valid.clone();
      int flips = 1 + rnd.nextInt(8);
      for (int k = 0; k < flips; k++) {
        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
      }
      readsOrFailsCleanly(f, b, f.name + "-flip" + trial);
    }
    for (int trial = 0; trial < 100; trial++) {
      byte[] garbage = new byte[rnd.nextInt(3000)];
      rnd.nextBytes(garbage);
      boolean read = readsOrFailsCleanly(f, garbage, f.name + "-garbage" + trial);
      if (f.binary) {
        assertTrue(!read, "random bytes are not a valid " + f.name);
      }
      // The right magic followed by garbage.
      byte[] prefixed = f.valid.clone();
      for (int i = Math.min(prefixed.length, 16 + rnd.nextInt(120)); i < prefixed.length; i++) {
        prefixed[i] = (byte) rnd.nextInt(256);
      }
      readsOrFailsCleanly(f, prefixed, f.name + "-tail" + trial);
    }
  }

  // ---------------------------------------------------------------- absurd sizes

  private static SignalFormatException refused(Reader r, byte[] b, String name) {
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> r.readAll(b, name));
    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    return e;
  }

  @Test
  void matAbsurdSizes() {
    MatWriter w = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    // Dimensions of 2^31-1 x 2^31-1 with two doubles of data.
    byte[] dims = w.add(w.matrix("x", new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE}, 6, 9, new double[] {1, 2},
        null, true)).toBytes();
    assertTrue(refused(CorruptionTest::readMat, dims, "dims.mat").getMessage().contains("need"));

    // A top-level element declaring 2^32 - 8 bytes.
    MatWriter w2 = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    byte[] huge = w2.add(w2.matrix("x", new int[] {1, 1}, 6, 9, new double[] {1}, null, true)).toBytes();
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(132, 0xFFFF_FFF8);
    assertEquals(128, refused(CorruptionTest::readMat, huge, "huge.mat").byteOffset().orElseThrow(), "the tag");

    // A compressed element whose inflated tag claims 4 GiB.
    MatWriter w3 = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer lie = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(14).putInt(0xFFFF_FFF0);
    byte[] bomb = w3.add(w3.compressed(lie.array())).toBytes();
    assertTrue(refused(CorruptionTest::readMat, bomb, "bomb.mat").getMessage().contains("declares"));

    // A compressed element whose inner element declares more than the stream holds, and less.
    MatWriter w4 = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    byte[] inner = w4.matrix("x", new int[] {1, 2}, 6, 9, new double[] {1, 2}, null, true);
    byte[] longer = inner.clone();
    ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putInt(4, inner.length - 8 + 800);
    refused(CorruptionTest::readMat, new MatWriter(ByteOrder.LITTLE_ENDIAN).add(w4.compressed(longer)).toBytes(),
        "long.mat");
    byte[] shorter = inner.clone();
    ByteBuffer.wrap(shorter).order(ByteOrder.LITTLE_ENDIAN).putInt(4, inner.length - 8 - 16);
    refused(CorruptionTest::readMat, new MatWriter(ByteOrder.LITTLE_ENDIAN).add(w4.compressed(shorter)).toBytes(),
        "short.mat");
  }

  @Test
  void npyAbsurdSizes() {
    // 2^29 x 2^28 doubles: 2^60 bytes declared, 16 present.
    byte[] big = NpyWriter.write(1, "<f8", new int[] {1 << 29, 1 << 28}, new double[] {1, 2});
    assertTrue(refused(NpyFile::read, big, "big.npy").getMessage().contains("1152921504606846976"));
    byte[] dims = NpyWriter.write(1, "<f8", new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE},
        new double[] {1});
    refused(NpyFile::read, dims, "dims.npy");
    byte[] header = NpyWriter.write(2, "<f8", new int[] {1}, new double[] {1});
    ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0xFFFF_FFFF);
    assertEquals(8, refused(NpyFile::read, header, "header.npy").byteOffset().orElseThrow());
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }";
    refused(NpyFile::read, NpyWriter.write(1, dict, "<f8", new double[] {1}), "digits.npy");
  }

  @Test
  void wavAbsurdSizes() {
    byte[] ok = WavWriter.pcm(new int[][] {{1, 2}}, 8000, 16, false, false);
    byte[] riff = ok.clone();
    ByteBuffer.wrap(riff).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0xFFFF_FFFF);
    assertEquals(4, refused(WavFile::read, riff, "riff.wav").byteOffset().orElseThrow());
    byte[] fmt = ok.clone();
    ByteBuffer.wrap(fmt).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0x7FFF_FFFF);
    assertEquals(16, refused(WavFile::read, fmt, "fmt.wav").byteOffset().orElseThrow());
    byte[] channels = ok.clone();
    ByteBuffer.wrap(channels).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 0xFFFF);
    refused(WavFile::read, channels, "channels.wav");
    byte[] noChannels = ok.clone();
    ByteBuffer.wrap(noChannels).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 0).putShort(32, (short) 0);
    refused(WavFile::read, noChannels, "zero.wav");
  }
}
