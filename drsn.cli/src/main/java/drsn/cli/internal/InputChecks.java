package drsn.cli.internal;

import drsn.data.io.Limits;
import java.util.Arrays;

/**
 * Shape checks on inputs before anything is allocated from their declared sizes: an NPY header
 * of a few bytes can declare a million signals (a zero-length axis makes it cost nothing on disk),
 * and a handful of long signals times many short ones can ask for more floats than a Java array
 * holds. Every refusal names the limit from {@link Limits}.
 */
public final class InputChecks {

  private InputChecks() {
  }

  /** An NPY shape usable as signals: rank 1 to 3, no empty axis, counts within the limits. */
  static void npyShape(int[] shape, String source, int modelChannels) {
    if (shape.length < 1 || shape.length > 3) {
      throw new CliException("cannot use " + source + ": expected an NPY array of 1 to 3 dimensions "
          + "([L], [C, L] or [N, C, L]), got shape " + Arrays.toString(shape));
    }
    for (int d : shape) {
      if (d == 0) {
        throw new CliException(source + " holds no samples (shape " + Arrays.toString(shape) + ")");
      }
    }
    int length = shape[shape.length - 1];
    if (!Limits.SAMPLES_PER_SIGNAL.allows(length)) {
      throw new CliException(source + ": " + Limits.SAMPLES_PER_SIGNAL.exceeded(length));
    }
    long signals = shape.length == 3 ? shape[0]
        : shape.length == 2 && !(shape[0] == modelChannels && modelChannels > 1) ? shape[0] : 1;
    if (!Limits.SIGNALS_PER_FILE.allows(signals)) {
      throw new CliException(source + ": " + Limits.SIGNALS_PER_FILE.exceeded(signals));
    }
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
