package drsn.nn.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole or not at all: the content goes to a temporary file beside the target,
 * is forced to disk and renamed over the target, so a reader (or a crash) never sees half a file.
 * Models, training states and exported models are written this way.
 */
public final class AtomicFile {

  /** Writes the content of a file to the channel it is given. */
  @FunctionalInterface
  public interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  private AtomicFile() {
  }

  /** Writes {@code target} atomically with what {@code content} writes; on failure the target is untouched. */
  public static void write(Path target, Content content) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    removeStaleTemporaries(abs);
    Path tmp = dir.resolve(temporaryPrefix(abs)
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
    // CREATE_NEW with the default permissions (the process's umask), not createTempFile's owner-only
    // 0600: a saved model must be readable by whoever may read the user's other files (a service
    // account, a container). It fails if the name exists, before there is anything to clean up.
    FileChannel fc = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean moved = false;
    try {
      try (fc) {
        content.writeTo(fc);
        fc.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot save " + abs + " atomically: the file system does not support atomic renames",
            e);
      }
      moved = true;
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException | UnsupportedOperationException ignored) {
        // Directory sync is best effort (not possible on every platform); the data was forced.
      }
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** The prefix of the temporary files that saving {@code target} creates. */
  private static String temporaryPrefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  /**
   * Deletes temporary files a save of {@code target} left behind when its process was killed
   * between creating and renaming them ({@code .<name>.<random>.tmp} beside it). Called before
   * every save and when a training state is resumed, so leftovers never accumulate.
   */
  public static void removeStaleTemporaries(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    String prefix = temporaryPrefix(abs);
    try (var s = Files.newDirectoryStream(dir, p -> {
      String n = p.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(".tmp") && n.length() > prefix.length() + 4
          && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-z]{1,13}");
    })) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }
}
