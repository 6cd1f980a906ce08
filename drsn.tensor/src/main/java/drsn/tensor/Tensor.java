package drsn.tensor;

import java.util.Arrays;

/**
 * A float32 tensor: one contiguous row-major array and a shape, for example N×C×L for batches of
 * 1-D signals or N×C×H×W for images. It is a thin, mutable view; kernels take its
 * {@link #data()} array directly so that layers can work in preallocated buffers.
 */
public final class Tensor {

  private final float[] data;
  private final int[] shape;

  private Tensor(float[] data, int[] shape) {
    this.data = data;
    this.shape = shape;
  }

  /** A tensor of zeros. */
  public static Tensor zeros(int... shape) {
    return new Tensor(new float[checkedSize(shape)], shape.clone());
  }

  /** Wraps {@code data} (not copied) as a tensor of the given shape; the sizes must agree. */
  public static Tensor wrap(float[] data, int... shape) {
    if (data == null) {
      throw new IllegalArgumentException("data must not be null");
    }
    int size = checkedSize(shape);
    if (size != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + size
          + " elements, but the data array has " + data.length);
    }
    return new Tensor(data, shape.clone());
  }

  /** The backing array, row-major. */
  public float[] data() {
    return data;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    if (axis < 0 || axis >= shape.length) {
      throw new IllegalArgumentException("axis " + axis + " out of range for rank " + shape.length);
    }
    return shape[axis];
  }

  /** Number of elements. */
  public int size() {
    return data.length;
  }

  /** The same data seen with another shape of the same size. */
  public Tensor reshape(int... newShape) {
    return wrap(data, newShape);
  }

  /** A deep copy. */
  public Tensor copy() {
    return new Tensor(data.clone(), shape.clone());
  }

  public float get(int... index) {
    return data[offset(index)];
  }

  public void set(float value, int... index) {
    data[offset(index)] = value;
  }

  /** Row-major offset of an index. */
  public int offset(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException("expected " + shape.length + " indices for shape "
          + Arrays.toString(shape) + ", got " + index.length);
    }
    int off = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IllegalArgumentException("index " + Arrays.toString(index) + " out of range for shape "
            + Arrays.toString(shape));
      }
      off = off * shape[i] + index[i];
    }
    return off;
  }

  /** Element count of a shape, rejecting negative dimensions and sizes beyond an int array. */
  public static int checkedSize(int... shape) {
    if (shape == null) {
      throw new IllegalArgumentException("shape must not be null");
    }
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      size *= d;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape)
            + " has more elements than a Java array can hold");
      }
    }
    return (int) size;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
