package drsn.nn;

import java.io.IOException;

/** A checkpoint file that is malformed, truncated, hostile or does not describe a valid model. */
public final class CheckpointException extends IOException {

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
