package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import drsn.nn.internal.Json;
import drsn.nn.internal.SafeTensors;
import drsn.tensor.KernelProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir
  Path dir;

  /** A small trained-looking model: initialised, then a few training-mode passes to move the statistics. */
  static Model model(Family f, long seed) {
    Architecture arch = new Architecture(f, 1, 2, 1, 40, List.of(4, 6), List.of(2, 1), 3, 2, 2, 3,
        List.of("normal", "inner race", "ball"), List.of(0.25f, -1f), List.of(1.5f, 0.75f), 2, false);
    Network net = new Network(arch, ParameterSet.initialise(arch, seed), KernelProvider.get()).training(true);
    float[] x = randomInput(arch, 4, seed);
    for (int i = 0; i < 3; i++) {
      net.forward(x, 4);
    }
    return net.toModel();
  }

  static float[] randomInput(Architecture arch, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    float[] x = new float[n * arch.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  /**
   * Logits on the scalar kernels, which give the same bits on every call; the SIMD reductions may
   * change their last bits once the JIT compiles them, which would make a bitwise comparison of
   * two calls flaky for reasons unrelated to the checkpoint.
   */
  static float[] logits(Model m, float[] x, int n) {
    return m.newNetwork(KernelProvider.scalar()).forward(x, n).clone();
  }

  static byte[] bytes(Model m, Path dir) throws IOException {
    Path p = dir.resolve("m.safetensors");
    Checkpoint.save(m, p);
    return Files.readAllBytes(p);
  }

  @Test
  void saveLoadGivesBitIdenticalParametersAndLogits() {
    qt().withExamples(10).forAll(integers().between(0, 4), integers().between(0, 1000)).checkAssert((fi, seed) -> {
      try {
        Model m = model(Family.values()[fi], seed);
        Path p = dir.resolve("model-" + fi + "-" + seed + ".safetensors");
        Checkpoint.save(m, p);
        Model back = Checkpoint.load(p);
        assertEquals(m.architecture(), back.architecture());
        assertArrayEquals(m.parameters().values(), back.parameters().values());
        assertArrayEquals(m.parameters().statistics(), back.parameters().statistics());
        float[] x = randomInput(m.architecture(), 3, seed);
        assertArrayEquals(logits(m, x, 3), logits(back, x, 3));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void imageModelsRoundTripToo() throws IOException {
    Architecture arch = Architecture.cifar(Family.DRSN_CW, 10).withProjectionShortcut(true);
    Network net = Network.create(arch, 9).training(true);
    float[] x = randomInput(arch, 2, 9);
    net.forward(x, 2);
    Model m = net.toModel();
    Path p = dir.resolve("cifar.safetensors");
    Checkpoint.save(m, p);
    Model back = Checkpoint.load(p);
    assertEquals(arch, back.architecture());
    assertArrayEquals(logits(m, x, 2), logits(back, x, 2));
    assertEquals(List.of(32, 16, 1, 1), back.parameters().slot("units.2.shortcut.weight").spec().shape());
  }

  @Test
  void fileFollowsTheSafetensorsLayout() throws IOException {
    Model m = model(Family.DRSN_CW, 1);
    byte[] b = bytes(m, dir);
    long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    @SuppressWarnings("unchecked")
    Map<String, Object> header = (Map<String, Object>) parse(new String(b, 8, (int) n, StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    Map<String, Object> w = (Map<String, Object>) header.get("units.0.conv1.weight");
    assertEquals("F32", w.get("dtype"));
    assertEquals(List.of(4L, 4L, 3L), w.get("shape"));
    @SuppressWarnings("unchecked")
    List<Long> off = (List<Long>) w.get("data_offsets");
    float[] expected = m.tensor("units.0.conv1.weight");
    ByteBuffer data = ByteBuffer.wrap(b, (int) (8 + n + off.get(0)), 4 * expected.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float e : expected) {
      assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(data.getFloat()));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) header.get("__metadata__");
    assertEquals("drsn-cw", meta.get("family"));
    assertEquals("[4,6]", meta.get("widths"));
  }

  static Object parse(String s) {
    try {
      return Json.parse(s, 8);
    } catch (Json.JsonException e) {
      throw new AssertionError(e);
    }
  }

  /** Loading hostile bytes gives a CheckpointException and nothing else (never OOM, never another exception). */
  static void expectRejectedOrValid(byte[] b) {
    try {
      Checkpoint.load(b);
    } catch (CheckpointException expected) {
      assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
    } catch (Throwable t) {
      fail("unexpected " + t, t);
    }
  }

  static void expectRejected(byte[] b, String messagePart) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(b));
    assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should mention "
        + messagePart);
  }

  @Test
  void truncationAnywhereIsRejected() throws IOException {
    byte[] b = bytes(model(Family.DRSN_CS, 2), dir);
    long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    // Every cut in the length field and header, and a spread of cuts through the data.
    for (int cut = 0; cut < b.length; cut += cut < 8 + n + 64 ? 1 : 97) {
      byte[] t = java.util.Arrays.copyOf(b, cut);
      assertThrows(CheckpointException.class, () -> Checkpoint.load(t), "cut at " + cut);
    }
    byte[] longer = java.util.Arrays.copyOf(b, b.length + 4);
    expectRejected(longer, "bytes of tensor data");
  }

  @Test
  void flippedBytesNeverEscapeAsAnythingButCheckpointException() throws IOException {
    byte[] b = bytes(model(Family.SENET, 3), dir);
    qt().withExamples(400).forAll(integers().between(0, b.length - 1), integers().between(1, 255))
        .checkAssert((pos, mask) -> {
          byte[] c = b.clone();
          c[pos] ^= (byte) (int) mask;
          expectRejectedOrValid(c);
        });
  }

  @Test
  void absurdHeaderLengthsAreRejected() throws IOException {
    byte[] b = bytes(model(Family.RESNET, 4), dir);
    for (long n : new long[] {0, 1, Long.MAX_VALUE, -1, SafeTensors.MAX_HEADER_BYTES + 8, b.length}) {
      byte[] c = b.clone();
      ByteBuffer.wrap(c, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
      expectRejected(c, "header length");
    }
    expectRejected(new byte[5], "too short");
  }

  /** Rewrites the header of a valid file with an edit, re-padding it and fixing the length. */
  @SuppressWarnings("unchecked")
  static byte[] editHeader(byte[] b, java.util.function.Consumer<Map<String, Object>> edit) {
    int n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Map<String, Object> header = new LinkedHashMap<>((Map<String, Object>) parse(new String(b, 8, n,
        StandardCharsets.UTF_8)));
    edit.accept(header);
    byte[] h = Json.write(header, Json.Format.STRICT).getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[8 + h.length + b.length - 8 - n];
    ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
    System.arraycopy(h, 0, out, 8, h.length);
    System.arraycopy(b, 8 + n, out, 8 + h.length, b.length - 8 - n);
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> tensor(Map<String, Object> header, String name) {
    Map<String, Object> t = new LinkedHashMap<>((Map<String, Object>) header.get(name));
    header.put(name, t);
    return t;
  }

  @Test
  @SuppressWarnings("unchecked")
  void headerLiesAreRejectedWithClearMessages() throws IOException {
    byte[] b = bytes(model(Family.DRSN_CW, 5), dir);
    // The unedited header re-serialised still loads (the editor itself is sound).
    Checkpoint.load(editHeader(b, h -> { }));
    expectRejected(editHeader(b, h -> tensor(h, "fc.weight").put("dtype", "F16")), "F16");
    expectRejected(editHeader(b, h -> tensor(h, "fc.weight").put("dtype", "Q7")), "unknown dtype");
    expectRejected(editHeader(b, h -> tensor(h, "fc.weight").put("shape", List.of(6L, 3L))), "shape");
    expectRejected(editHeader(b, h -> tensor(h, "fc.bias").put("data_offsets", List.of(0L, 12L))), "contiguous");
    expectRejected(editHeader(b, h -> tensor(h, "fc.bias").put("data_offsets", List.of(1L << 40, (1L << 40) + 12))),
        "out of range");
    expectRejected(editHeader(b, h -> tensor(h, "fc.bias").put("data_offsets", List.of(12L, 0L))), "out of range");
    expectRejected(editHeader(b, h -> h.remove("units.0.bn1.running_var")), "missing");
    expectRejected(editHeader(b, h -> h.put("units.99.conv1.weight", h.get("fc.bias"))), "unexpected tensor");
    expectRejected(editHeader(b, h -> h.remove("__metadata__")), "__metadata__");
    expectRejected(editHeader(b, h -> {
      Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) h.get("__metadata__"));
      meta.put("widths", "[4000,4000]");
      h.put("__metadata__", meta);
    }), "architecture");
    expectRejected(editHeader(b, h -> {
      Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) h.get("__metadata__"));
      meta.put("family", "drsn-cs");
      h.put("__metadata__", meta);
    }), "bytes of tensor data");
  }

  @Test
  void malformedJsonIsRejected() throws IOException {
    for (String h : new String[] {"{", "[]", "{\"a\":1,}", "{\"a\":01}", "{\"a\":\"\\x\"}", "{\"a\":1}{",
        "[".repeat(100_000), "{\"a\":[" + "0,".repeat(2_000_000) + "0]}", "{\"__metadata__\":{\"drsn_format\":\"1\"}} trailing"}) {
      byte[] hb = h.getBytes(StandardCharsets.UTF_8);
      byte[] b = new byte[8 + hb.length];
      ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length);
      System.arraycopy(hb, 0, b, 8, hb.length);
      assertThrows(CheckpointException.class, () -> Checkpoint.load(b), h.length() > 40 ? "deep nesting" : h);
    }
    // Millions of tiny values: refused while parsing, before the tree outgrows the text.
    byte[] many = ("{\"a\":[" + "0,".repeat(2_000_000) + "0]}").getBytes(StandardCharsets.UTF_8);
    byte[] manyFile = new byte[8 + many.length];
    ByteBuffer.wrap(manyFile, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(many.length);
    System.arraycopy(many, 0, manyFile, 8, many.length);
    expectRejected(manyFile, "limit");
    byte[] bad = {2, 0, 0, 0, 0, 0, 0, 0, (byte) 0xC3, (byte) 0x28};
    expectRejected(bad, "UTF-8");
  }

  @Test
  void nonFiniteParametersAreRejected() throws IOException {
    Model m = model(Family.RESNET, 6);
    byte[] b = bytes(m, dir);
    int n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    byte[] c = b.clone();
    ByteBuffer.wrap(c, 8 + n, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
    expectRejected(c, "NaN");
  }

  /** A channel that fails after a number of bytes, as a full disk would. */
  static final class FailingChannel implements WritableByteChannel {
    private final WritableByteChannel inner;
    private long budget;

    FailingChannel(WritableByteChannel inner, long budget) {
      this.inner = inner;
      this.budget = budget;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (budget <= 0) {
        throw new IOException("No space left on device (simulated)");
      }
      int allowed = (int) Math.min(budget, src.remaining());
      ByteBuffer slice = src.slice().limit(allowed);
      int w = inner.write(slice);
      src.position(src.position() + w);
      budget -= w;
      return w;
    }

    @Override
    public boolean isOpen() {
      return inner.isOpen();
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }

  @Test
  void aWriteThatFailsMidwayLeavesTheOldFileIntact() throws IOException {
    Model old = model(Family.DRSN_CW, 7);
    Model fresh = model(Family.DRSN_CW, 8);
    Path p = dir.resolve("keep.safetensors");
    Checkpoint.save(old, p);
    byte[] before = Files.readAllBytes(p);
    for (long budget : new long[] {0, 5, 100, before.length / 2, before.length - 1}) {
      assertThrows(IOException.class, () -> Checkpoint.save(fresh, p, ch -> new FailingChannel(ch, budget)));
      assertArrayEquals(before, Files.readAllBytes(p), "after failing at byte " + budget);
      try (var files = Files.list(dir)) {
        assertEquals(List.of(p), files.toList(), "no temporary file left behind");
      }
    }
    Checkpoint.save(fresh, p);
    assertArrayEquals(fresh.parameters().values(), Checkpoint.load(p).parameters().values());
  }

  @Test
  void missingFileIsAnIOException() {
    assertThrows(IOException.class, () -> Checkpoint.load(dir.resolve("nope.safetensors")));
  }
}
