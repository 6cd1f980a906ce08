package drsn.spark;

import drsn.data.io.ModelInputSignal;
import drsn.data.io.SignalFormatException;
import java.util.List;

/**
 * One signal file's bytes decoded on an executor, where a file that cannot be read becomes a
 * problem of its own row, never an exception that ends a job over thousands of good files.
 */
final class FileDecoding {

  /** A reader of drsn.data.io for one file's bytes. */
  @FunctionalInterface
  interface Reader {
    List<ModelInputSignal> read(byte[] bytes) throws SignalFormatException;
  }

  /** The signals of a file, or (signals null) why it could not be read. */
  record Decoded(List<ModelInputSignal> signals, String problem) {
  }

  private FileDecoding() {
  }

  static Decoded decode(String path, byte[] bytes, Reader reader) {
    if (bytes.length == 0) {
      return new Decoded(null, path + " is empty");
    }
    try {
      return new Decoded(reader.read(bytes), null);
    } catch (SignalFormatException | IllegalArgumentException e) {
      return new Decoded(null, "cannot read " + path + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // A reader's bug on hostile bytes: reported with its type, the job goes on.
      return new Decoded(null, "cannot read " + path + ": " + e);
    }
  }
}
