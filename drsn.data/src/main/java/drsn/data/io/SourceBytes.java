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
    if (size > MAX_BYTES || !Limits.FILE_BYTES.allows(size)) {
      throw SignalFormatException.ofFile(path.toString(), Limits.FILE_BYTES.exceeded(size));
    }
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    }
  }

  static byte[] read(InputStream in, String name) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(name, "name");
    // readNBytes grows its buffer only as data arrives, so a short stream costs little.
    int max = (int) Math.min(MAX_BYTES, Limits.FILE_BYTES.value());
    byte[] bytes = in.readNBytes(max);
    if (bytes.length == max && in.read() >= 0) {
      throw SignalFormatException.ofFile(name, Limits.FILE_BYTES.exceeded(max + 1L) + " (or more)");
    }
    return bytes;
  }

  static void checkArgs(byte[] bytes, String name) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(name, "name");
  }
}
