package drsn.data.io;

/**
 * Every size limit on input data, in one place. Inputs are checked against these before anything
 * is allocated from them, so a small hostile file (a CSV of a million one-sample columns, an NPY
 * whose shape has a zero dimension, a MAT file that inflates a thousandfold) is refused with an
 * error naming the limit instead of exhausting memory.
 *
 * <p>The defaults are far above any real data set this project has met (the whole CWRU archive
 * inflates to under 400 MB; the largest UCR series are under 3,000 samples). Limits on sizes that
 * turn into memory are also capped at a fraction of the JVM's maximum heap, so that on a small
 * heap an input is refused with a message rather than an OutOfMemoryError. A user who really
 * needs more raises a limit with a system property ({@code -Ddrsn.limit.<name>=N}, for the app
 * through {@code DRSN_JAVA_OPTS}) or gives the JVM more heap; each error message names the
 * property. A property that is not a positive integer is ignored with the default in force,
 * because a typo in an environment variable should not stop every command.
 */
public final class Limits {

  /** Signals one input file (or standard input) may hold: columns of a CSV, rows of an NPY. */
  public static final Limit SIGNALS_PER_FILE = new Limit("signals-per-file", 100_000, 0,
      "signals in one input");
  /** Samples one channel of one signal may hold (as float32, at most 1/16 of the heap). */
  public static final Limit SAMPLES_PER_SIGNAL = new Limit("samples-per-signal", 1L << 26, 16,
      "samples in one signal");
  /** Values (examples × channels × length, or a predict batch) in memory at once (float32, ≤ 1/16 heap). */
  public static final Limit VALUES_PER_DATASET = new Limit("values-per-dataset", 1L << 28, 16,
      "values in one data set");
  /** Bytes of one input file read whole (NPY, WAV, MAT); decoding to samples costs up to ~4× that. */
  public static final Limit FILE_BYTES = new Limit("file-bytes", Integer.MAX_VALUE - 16, 8,
      "bytes in one input file");
  /** Bytes of one text input (CSV, TSV, numbers on standard input); parsing costs up to ~8× the text. */
  public static final Limit TEXT_BYTES = new Limit("text-bytes", 256L << 20, 8, "bytes of text in one file");
  /** Bytes one MAT file may inflate to (the variables read); decoding costs up to ~4× that. */
  public static final Limit MAT_INFLATED_PER_FILE = new Limit("mat-inflated-per-file", 512L << 20, 4,
      "inflated bytes in one MAT file");
  /** Bytes all MAT files of one data set load may inflate to together (bounds time; memory is per file). */
  public static final Limit MAT_INFLATED_PER_LOAD = new Limit("mat-inflated-per-load", 4L << 30, 0,
      "inflated bytes in one data set load");
  /** Characters of a bad value quoted in an error message. */
  public static final int EXCERPT_CHARS = 40;

  private Limits() {
  }

  /**
   * One limit: its property name ({@code drsn.limit.<name>}), default, the fraction of the heap
   * it is capped at by default (1/{@code heapDivisor}; 0 for none) and what it counts.
   * {@link #value()} reads the property on every call, so tests and long-running hosts may change it.
   */
  public record Limit(String name, long defaultValue, int heapDivisor, String counts) {

    /** The system property that overrides the default. */
    public String property() {
      return "drsn.limit." + name;
    }

    /** The limit in force: the property when it is a positive integer, else the default. */
    public long value() {
      String s = System.getProperty(property());
      if (s != null) {
        try {
          long v = Long.parseLong(s.strip());
          if (v > 0) {
            return v;
          }
        } catch (NumberFormatException ignored) {
          // fall back to the default, as the class comment says
        }
      }
      long max = Runtime.getRuntime().maxMemory();
      return heapDivisor == 0 || max == Long.MAX_VALUE ? defaultValue : Math.min(defaultValue, max / heapDivisor);
    }

    /** Whether {@code n} is within the limit. */
    public boolean allows(long n) {
      return n >= 0 && n <= value();
    }

    /** The clause an error message ends with: "more than the limit of N {@code <counts>} (-Ddrsn.limit.x=N raises it)". */
    public String exceeded(long n) {
      return (n < 0 ? "more than 2^63" : Long.toString(n)) + " " + counts + " is more than the limit of " + value()
          + " (raise it with -D" + property() + "=N" + (heapDivisor == 0 ? "" : " or a larger heap, -Xmx") + ")";
    }
  }

  /**
   * At most {@link #EXCERPT_CHARS} characters of {@code s} with control characters escaped, for
   * quoting a bad value in a message: a 50 MB cell or a name with escape codes must not reach the
   * terminal whole.
   */
  public static String excerpt(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    int n = Math.min(s.length(), EXCERPT_CHARS);
    if (n > 0 && n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) {
      n--; // never cut a pair in half
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > n) {
      b.append("… (").append(s.length()).append(" characters)");
    }
    return b.toString();
  }
}
