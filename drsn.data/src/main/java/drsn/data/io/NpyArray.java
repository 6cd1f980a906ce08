package drsn.data.io;

import java.util.Arrays;

/**
 * An array read from a NumPy {@code .npy} file.
 *
 * @param source the file path or the name given
 * @param shape  the shape (empty for a scalar)
 * @param dtype  the stored type descriptor, such as {@code "<f4"}
 * @param data   the values in C (row-major) order: the last index varies fastest; float32 values
 *               are widened exactly. Not copied: it belongs to the caller.
 */
public record NpyArray(String source, int[] shape, String dtype, double[] data) {

  public NpyArray {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The values as floats (exact for float32 files, rounded to nearest for float64). */
  public float[] toFloats() {
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return f;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray a && source.equals(a.source) && Arrays.equals(shape, a.shape)
        && dtype.equals(a.dtype) && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + dtype.hashCode();
  }

  @Override
  public String toString() {
    return "NpyArray[" + source + " " + Arrays.toString(shape) + " " + dtype + "]";
  }
}
