package drsn.cli.internal;

/**
 * A failure to report as one line on stderr with exit code 1 (no stack trace unless --verbose),
 * or, for an invalid option value, a usage error with exit code 2. A message that starts with an
 * option's name ({@code "--port must be in [0, 65535], got 70000"}) reports an invalid value of
 * that option, so it is a usage error too; {@link #usage} makes one explicitly.
 */
public final class CliException extends RuntimeException {

  private final boolean usage;

  public CliException(String message) {
    this(message, null, false);
  }

  public CliException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private CliException(String message, Throwable cause, boolean usage) {
    super(message, cause);
    this.usage = usage;
  }

  /** An invalid option value or combination: exit code 2. */
  public static CliException usage(String message) {
    return new CliException(message, null, true);
  }

  /** Whether this reports a usage error (exit code 2) rather than a failure (exit code 1). */
  public boolean isUsage() {
    return usage || (getMessage() != null && getMessage().startsWith("--"));
  }
}
