package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.internal.Checksum;
import drsn.nn.internal.Json;
import drsn.nn.internal.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files carry a checksum that loading verifies; older files without one still load. */
class IntegrityTest {

  static long headerLength(byte[] file) {
    return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void aFlippedBitInTheWeightsOrTheMetadataIsCaught(@TempDir Path dir) throws IOException {
    Model m = CheckpointTest.model(Family.DRSN_CW, 3);
    Path file = dir.resolve("model.safetensors");
    Checkpoint.save(m, file);
    byte[] good = Files.readAllBytes(file);
    assertArrayEquals(m.copyParameters().values(), Checkpoint.load(file).copyParameters().values(), 0f);

    // The lowest mantissa bit of one weight: still a finite, plausible value, so only the checksum sees it.
    byte[] weight = good.clone();
    int at = (int) (8 + headerLength(good)) + 4 * 17;
    weight[at] ^= 1;
    Files.write(file, weight);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    // One character of a class name in the header ("a" -> "b" keeps the JSON and the names valid).
    String header = new String(good, 8, (int) headerLength(good), StandardCharsets.UTF_8);
    int name = header.indexOf("\\\"normal\\\"");
    assertTrue(name > 0, header);
    byte[] meta = good.clone();
    meta[8 + name + 2] = 'Z';
    Files.write(file, meta);
    e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void aFileWithoutItsChecksumIsRefused(@TempDir Path dir) throws IOException {
    Model m = CheckpointTest.model(Family.RESNET, 5);
    Path file = dir.resolve("stripped.safetensors");
    Checkpoint.save(m, file);
    byte[] withSum = Files.readAllBytes(file);
    Files.write(file, withoutChecksum(withSum));
    assertFalse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(Checksum.KEY));
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("no checksum"), e.getMessage());
  }

  @Test
  void trainingStateFilesAreVerifiedTheSameWay(@TempDir Path dir) throws IOException {
    // The one reader, as training state uses it: verified, and refused without the key.
    Path file = dir.resolve("state.safetensors");
    Map<String, SafeTensors.Tensor> tensors = new java.util.LinkedHashMap<>();
    tensors.put("a", SafeTensors.Tensor.vector(new float[] {1, 2, 3}));
    tensors.put("b", new SafeTensors.Tensor(new long[] {2, 2}, new float[] {4, 5, 6, 7}));
    SafeTensors.write(file, Map.of("drsn.train.step", "12"), tensors);
    byte[] good = Files.readAllBytes(file);
    SafeTensors.Contents c = SafeTensors.read(file, meta -> 1 << 20);
    assertEquals(Map.of("drsn.train.step", "12"), c.metadata());
    assertArrayEquals(new float[] {4, 5, 6, 7}, c.tensors().get("b").values(), 0f);

    String header = new String(good, 8, (int) headerLength(good), StandardCharsets.UTF_8);
    byte[] step = good.clone();
    step[8 + header.indexOf("\"12\"") + 2] = '3'; // step 12 -> 13
    Files.write(file, step);
    IOException e = assertThrows(IOException.class, () -> SafeTensors.read(file, meta -> 1 << 20));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

    Files.write(file, withoutChecksum(good));
    e = assertThrows(IOException.class, () -> SafeTensors.read(file, meta -> 1 << 20));
    assertTrue(e.getMessage().contains("no checksum"), e.getMessage());
  }

  /** The same file with the checksum entry removed from its header. */
  static byte[] withoutChecksum(byte[] file) {
    int n = (int) headerLength(file);
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) Json.parse(new String(file, 8, n, StandardCharsets.UTF_8), 8,
        1 << 20);
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) root.get("__metadata__");
    meta.remove(Checksum.KEY);
    StringBuilder json = new StringBuilder(Json.write(root, Json.Format.NON_FINITE_AS_NULL));
    while (json.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
      json.append(' ');
    }
    byte[] h = json.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + file.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(file, 8 + n, file.length - 8 - n);
    return out.array();
  }

  @Test
  void savingRemovesTemporaryFilesAKilledSaveLeftBehind(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.safetensors");
    Path stale = dir.resolve(".model.safetensors.k3x9q1.tmp");
    Path other = dir.resolve(".other.safetensors.k3x9q1.tmp");
    Path unrelated = dir.resolve("notes.tmp");
    for (Path p : List.of(stale, other, unrelated)) {
      Files.writeString(p, "half a model");
    }
    Checkpoint.save(CheckpointTest.model(Family.RESNET, 1), file);
    assertFalse(Files.exists(stale), "the save's own leftovers are removed");
    assertTrue(Files.exists(other) && Files.exists(unrelated), "other files are left alone");
  }

  @Test
  void classNamesMustBePrintableUniqueAndBounded() {
    for (List<String> names : List.of(List.of("a", "a", "c"), List.of("a", "b\u001b[2J", "c"),
        List.of("a", "b\nfake: 1.000", "c"), List.of("a", "b\u202e", "c"), List.of("a", "x".repeat(10_000), "c"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Architecture(Family.RESNET, 1, 1, 1, 40, List.of(4), List.of(1), 3, 2, 2, 3, names,
              List.of(0f), List.of(1f), 4, false));
      assertTrue(e.getMessage().length() < 300, "a short message: " + e.getMessage().length());
      assertFalse(e.getMessage().contains("\u001b") || e.getMessage().contains("\n")
          || e.getMessage().contains("\u202e"), e.getMessage());
    }
    // Names of every script, with spaces and punctuation, are fine.
    new Architecture(Family.RESNET, 1, 1, 1, 40, List.of(4), List.of(1), 3, 2, 2, 3,
        new ArrayList<>(List.of("inner race 0.007\"", "Kugel-Lager", "軸受")), List.of(0f), List.of(1f), 4, false);
  }
}
