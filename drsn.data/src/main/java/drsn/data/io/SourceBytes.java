package drsn.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a whole file or stream into memory, refusing inputs larger than a Java array can hold.
 * Every loader parses from a byte array, so every declared size can be checked against the bytes
 * that really remain before anything is allocated from it.
 */
final class SourceBytes {

  /** The largest array the JVM reliably allocates. */
  static final int MAX_BYTES = Integer.MAX_VALUE - 16;

  private SourceBytes() {
  }

  /** Reads a text file, refusing one larger than {@link Limits#TEXT_BYTES} before reading it. */
  static byte[] readText(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    long size = Files.size(path);
    if (!Limits.TEXT_BYTES.allows(size)) {
      throw SignalFormatException.ofFile(path.toString(), Limits.TEXT_BYTES.exceeded(size)
          + "; use NPY for data this large");
    }
    return read(path);
  }

  static byte[] read(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    long size = Files.size(path);
    if (size > MAX_BYTES) {
      throw SignalFormatException.ofFile(path.toString(),
          "file of " + size + " bytes is larger than the supported maximum of " + MAX_BYTES + " bytes");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    }
  }

  static byte[] read(InputStream in, String name) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(name, "name");
    // readNBytes grows its buffer only as data arrives, so a short stream costs little.
    byte[] bytes = in.readNBytes(MAX_BYTES);
    if (bytes.length == MAX_BYTES && in.read() >= 0) {
      throw SignalFormatException.ofFile(name,
          "stream is longer than the supported maximum of " + MAX_BYTES + " bytes");
    }
    return bytes;
  }

  static void checkArgs(byte[] bytes, String name) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(name, "name");
  }
}
