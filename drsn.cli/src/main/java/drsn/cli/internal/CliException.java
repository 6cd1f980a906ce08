package drsn.cli.internal;

/** A failure to report as one line on stderr with exit code 1 (no stack trace unless --verbose). */
public final class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
