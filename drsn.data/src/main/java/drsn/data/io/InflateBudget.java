package drsn.data.io;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of bytes inflated from compressed MAT variables against a limit: one per file, and one
 * that a data set load shares among all its files ({@link #forLoad()}), so that neither one
 * file of decoy variables nor many files each just under the per-file limit can inflate without
 * bound. Thread-safe.
 */
public final class InflateBudget {

  private final Limits.Limit limit;
  private final long max;
  private final AtomicLong used = new AtomicLong();

  private InflateBudget(Limits.Limit limit) {
    this.limit = limit;
    this.max = limit.value();
  }

  /** A budget for one data set load: {@link Limits#MAT_INFLATED_PER_LOAD}. */
  public static InflateBudget forLoad() {
    return new InflateBudget(Limits.MAT_INFLATED_PER_LOAD);
  }

  /** A budget for one file: {@link Limits#MAT_INFLATED_PER_FILE}. */
  static InflateBudget perFile() {
    return new InflateBudget(Limits.MAT_INFLATED_PER_FILE);
  }

  /** Bytes charged so far. */
  public long used() {
    return used.get();
  }

  /** Adds {@code bytes}, refusing (with the limit's name) once the total would exceed the limit. */
  void charge(long bytes, String source, long elementPos) throws SignalFormatException {
    long total = used.addAndGet(bytes);
    if (total > max) {
      throw SignalFormatException.atByte(source, elementPos, "compressed data: " + limit.exceeded(total));
    }
  }
}
