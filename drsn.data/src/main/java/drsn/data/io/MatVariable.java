package drsn.data.io;

import java.util.Arrays;
import java.util.Locale;

/**
 * A variable listed in a MAT file: its name, dimensions (MATLAB order: rows, columns, ...), class,
 * and whether it is complex or logical.
 *
 * @param name     the variable name as stored
 * @param dims     dimensions, at least two; a copy is returned by {@link #dims()}
 * @param matClass the MATLAB class
 * @param complex  whether the array has an imaginary part (such arrays are not readable)
 * @param logical  whether the array is a MATLAB logical (stored as uint8)
 */
public record MatVariable(String name, int[] dims, MatClass matClass, boolean complex, boolean logical) {

  public MatVariable {
    dims = dims.clone();
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** The number of elements, the product of the dimensions. */
  public long elementCount() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** Whether {@link MatFile#read(String)} can return this variable: a real numeric array. */
  public boolean isReadable() {
    return matClass.isNumeric() && !complex;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MatVariable v && name.equals(v.name) && Arrays.equals(dims, v.dims)
        && matClass == v.matClass && complex == v.complex && logical == v.logical;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name).append(' ');
    for (int i = 0; i < dims.length; i++) {
      s.append(i == 0 ? "" : "x").append(dims[i]);
    }
    s.append(' ').append(matClass.name().toLowerCase(Locale.ROOT));
    if (complex) {
      s.append(" complex");
    }
    if (logical) {
      s.append(" logical");
    }
    return s.toString();
  }
}
