package drsn.nn.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 that model files and training states carry in their metadata under
 * {@link #KEY}, over everything else they hold: every other metadata entry (sorted by key), every
 * tensor's name and shape in data order, and the tensor data. A flipped byte anywhere that the
 * structural checks would let through (a weight, an epoch count, a learning rate) is caught on
 * loading. A file without the key is refused: every file drsn has released carries one.
 */
public final class Checksum {

  /** The metadata key of the checksum (64 lower-case hex digits). */
  public static final String KEY = "drsn.sha256";

  private final Sha256 sha = new Sha256();

  private Checksum(Map<String, String> metadata) {
    for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
      if (!e.getKey().equals(KEY)) {
        text(e.getKey());
        text(e.getValue());
      }
    }
  }

  /** A checksum starting with the metadata (its own key, if present, is left out). */
  public static Checksum begin(Map<String, String> metadata) {
    return new Checksum(metadata);
  }

  /** Adds a tensor's name and shape; call in data order, before or between the data. */
  public Checksum tensor(String name, long[] shape) {
    text(name);
    StringBuilder b = new StringBuilder();
    for (long d : shape) {
      b.append(d).append(',');
    }
    text(b.toString());
    return this;
  }

  /** Adds the remaining bytes of {@code data} without moving its position. */
  public void data(ByteBuffer data) {
    sha.update(data.duplicate());
  }

  /** The checksum as 64 hex digits (ends this checksum). */
  public String hex() {
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Compares with the value stored under {@link #KEY} in {@code metadata}.
   *
   * @throws IOException naming the file when the value is missing or differs
   */
  public void verify(Map<String, String> metadata, String what) throws IOException {
    String stored = metadata.get(KEY);
    if (stored == null) {
      throw new IOException(what + ": no checksum (" + KEY + ") in its metadata: not a file drsn wrote, or one "
          + "whose header was edited");
    }
    String actual = hex();
    if (!actual.equals(stored)) {
      throw new IOException(what + ": checksum mismatch: the file was changed or damaged after it was written "
          + "(" + KEY + " is " + (stored.length() > 64 ? stored.substring(0, 64) + "…" : stored) + ", the content "
          + "hashes to " + actual + ")");
    }
  }

  private void text(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    sha.update(utf8, 0, utf8.length);
    sha.update((byte) 0);
  }
}
