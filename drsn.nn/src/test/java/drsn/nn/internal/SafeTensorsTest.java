package drsn.nn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  private static Map<String, SafeTensors.Tensor> tensors() {
    Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
    t.put("a.weight", new SafeTensors.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -0f}));
    t.put("b", SafeTensors.Tensor.vector(new float[] {Float.MIN_VALUE, Float.MAX_VALUE, 1e-30f}));
    t.put("empty", SafeTensors.Tensor.vector(new float[0]));
    return t;
  }

  @Test
  void roundTripIsExactAndTheLayoutIsSafetensors(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("x.safetensors");
    SafeTensors.write(f, Map.of("k", "v"), tensors());
    byte[] bytes = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    assertEquals(8 + n + 4 * 9, bytes.length);
    SafeTensors.Contents c = SafeTensors.read(f, m -> Long.MAX_VALUE);
    assertEquals(Map.of("k", "v"), c.metadata());
    assertEquals(tensors().keySet(), c.tensors().keySet());
    for (var e : tensors().entrySet()) {
      assertArrayEquals(e.getValue().shape(), c.tensors().get(e.getKey()).shape());
      assertArrayEquals(e.getValue().values(), c.tensors().get(e.getKey()).values(), 0f);
    }
  }

  @Test
  void corruptFilesGiveIoExceptionsNeverOtherErrors(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.safetensors");
    SafeTensors.write(good, Map.of("k", "v"), tensors());
    byte[] bytes = Files.readAllBytes(good);
    SplittableRandom r = new SplittableRandom(5);
    Path bad = dir.resolve("bad.safetensors");
    // Truncations.
    for (int len = 0; len < bytes.length; len += 3) {
      Files.write(bad, java.util.Arrays.copyOf(bytes, len));
      assertThrows(IOException.class, () -> SafeTensors.read(bad, m -> Long.MAX_VALUE), "truncated to " + len);
    }
    // Random byte changes in the header: either still valid or an IOException.
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    for (int i = 0; i < 300; i++) {
      byte[] c = bytes.clone();
      c[r.nextInt((int) (8 + n))] = (byte) r.nextInt(256);
      Files.write(bad, c);
      try {
        SafeTensors.read(bad, m -> Long.MAX_VALUE);
      } catch (IOException expected) {
        assertTrue(expected.getMessage().contains(bad.toString()), expected.getMessage());
      }
    }
    // A huge header length.
    byte[] c = bytes.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
    Files.write(bad, c);
    assertThrows(IOException.class, () -> SafeTensors.read(bad, m -> Long.MAX_VALUE));
    // The data limit is enforced.
    IOException e = assertThrows(IOException.class, () -> SafeTensors.read(good, m -> 8));
    assertTrue(e.getMessage().contains("36 bytes"), e.getMessage());
  }

  @Test
  void aFailedWriteLeavesTheOldFileIntact(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("x.safetensors");
    SafeTensors.write(f, Map.of(), tensors());
    byte[] before = Files.readAllBytes(f);
    Map<String, SafeTensors.Tensor> badName = new LinkedHashMap<>();
    badName.put("__metadata__", SafeTensors.Tensor.vector(new float[1]));
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, Map.of(), badName));
    assertArrayEquals(before, Files.readAllBytes(f));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }

  @Test
  void savedFilesGetTheFolderDefaultPermissionsNotOwnerOnly(@TempDir Path dir) throws IOException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Path file = dir.resolve("m.safetensors");
    SafeTensors.write(file, Map.of("k", "v"), Map.of("t", SafeTensors.Tensor.vector(new float[] {1f, 2f})));
    Path plain = Files.createFile(dir.resolve("plain"));
    // Whatever the umask, the model gets what any new file of this user gets (createTempFile gave 0600).
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    try (var s = Files.list(dir)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
  }
}
