package drsn.cli.internal;

import drsn.nn.Checkpoint;
import drsn.nn.Model;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The one way every command loads a model, with messages that say what was wrong with the file. */
public final class ModelFiles {

  /** The model file inside a training output folder. */
  public static final String MODEL_FILE = "model.safetensors";

  private ModelFiles() {
  }

  /** Loads a model from a .safetensors file, or from a folder holding model.safetensors. */
  public static Model load(Path path) {
    if (path == null) {
      throw new CliException("no model given (--model FILE)");
    }
    Path file = Files.isDirectory(path) ? path.resolve(MODEL_FILE) : path;
    if (!Files.exists(file)) {
      throw new CliException("model file " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new CliException("model " + file + " is not a regular file");
    }
    try {
      return Checkpoint.load(file);
    } catch (NoSuchFileException e) {
      throw new CliException("model file " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new CliException("cannot read model file " + file + ": permission denied", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot load model " + file + ": not a valid drsn safetensors file ("
          + e.getMessage() + ")", e);
    }
  }
}
