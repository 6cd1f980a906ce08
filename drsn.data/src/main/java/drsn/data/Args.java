package drsn.data;

import java.util.Arrays;

/**
 * Argument checks for this module. drsn.data does not depend on drsn.tensor, so it cannot use
 * drsn.tensor.internal.Checks; the messages follow the same rule: name what was expected and what
 * was given.
 */
final class Args {

  private Args() {
  }

  static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  static int positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
    return v;
  }

  static int nonNegative(String name, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + v);
    }
    return v;
  }

  static double finite(String name, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number, got " + v);
    }
    return v;
  }

  static double positiveFinite(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
    }
    return v;
  }

  /** A fraction strictly between 0 and 1, for example a train share. */
  static double openFraction(String name, double v) {
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException(name + " must be strictly between 0 and 1, got " + v);
    }
    return v;
  }

  /** Product of the dimensions, each of which must be positive; rejects overflow of int. */
  static int elementCount(String name, int[] shape) {
    notNull(name, shape);
    if (shape.length == 0) {
      throw new IllegalArgumentException(name + " must have at least one dimension, got []");
    }
    long n = 1;
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(name + " dimensions must be > 0, got " + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(name + " " + Arrays.toString(shape) + " has more elements than an array can hold");
      }
    }
    return (int) n;
  }

  /**
   * {@code a * b} as an array size; an IllegalArgumentException naming {@code what} (not an
   * ArithmeticException or OutOfMemoryError) when it exceeds what one array can hold.
   */
  static int arraySize(String what, long a, long b) {
    long n = a * b;
    if (a < 0 || b < 0 || (a != 0 && n / a != b) || n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(what + ": " + a + " × " + b + " values exceed one array");
    }
    return (int) n;
  }

  /** Every value finite; the message names the example (by {@code stride}) and the position in it. */
  static void allFinite(String what, float[] data, int stride) {
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(what + ": example " + (i / stride) + " has a non-finite value " + v
            + " at position " + (i % stride));
      }
    }
  }
}
