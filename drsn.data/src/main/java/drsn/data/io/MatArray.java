package drsn.data.io;

import java.util.Arrays;

/**
 * A numeric MAT variable read as doubles.
 *
 * <p>{@code data} is in MATLAB's column-major order: element {@code (i, j)} of a rows×cols matrix
 * is {@code data[i + j * rows]}, and in general the first index varies fastest. An n×1 or 1×n
 * vector is therefore simply its n samples in order. The array is not copied: it belongs to the
 * caller.
 *
 * @param name     the variable name
 * @param dims     dimensions in MATLAB order (at least two)
 * @param matClass the MATLAB class the values were stored as
 * @param data     the values, column-major, converted to double (64-bit integers beyond 2^53
 *                 are rounded to the nearest double)
 */
public record MatArray(String name, int[] dims, MatClass matClass, double[] data) {

  public MatArray {
    dims = dims.clone();
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** The first dimension. */
  public int rows() {
    return dims[0];
  }

  /** The product of all dimensions but the first (the columns of a matrix). */
  public int columns() {
    return dims[0] == 0 ? 0 : data.length / dims[0];
  }

  /** The values converted to float (rounded to nearest). */
  public float[] toFloats() {
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return f;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MatArray a && name.equals(a.name) && Arrays.equals(dims, a.dims) && matClass == a.matClass
        && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return "MatArray[" + name + " " + Arrays.toString(dims) + " " + matClass + "]";
  }
}
