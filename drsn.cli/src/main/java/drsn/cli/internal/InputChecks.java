package drsn.cli.internal;

import drsn.data.io.Limits;

/**
 * Shape checks on inputs before anything is allocated from their declared sizes: an NPY header
 * of a few bytes can declare a million signals (a zero-length axis makes it cost nothing on disk),
 * and a handful of long signals times many short ones can ask for more floats than a Java array
 * holds. Every refusal names the limit from {@link Limits}.
 */
public final class InputChecks {

  private InputChecks() {
  }

  /**
   * The number of values of {@code count} examples of {@code valuesEach} values, refused with the
   * limit's name when it exceeds {@link Limits#VALUES_PER_DATASET}.
   */
  public static int values(String what, long count, long valuesEach) {
    long total = count > 0 && valuesEach > Long.MAX_VALUE / count ? -1 : count * valuesEach;
    if (!Limits.VALUES_PER_DATASET.allows(total) || total > Integer.MAX_VALUE - 8) {
      throw new CliException(what + ": " + count + " signals of " + valuesEach + " values: "
          + Limits.VALUES_PER_DATASET.exceeded(total));
    }
    return (int) total;
  }
}
