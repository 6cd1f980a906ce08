package drsn.nn.layer;

import drsn.tensor.Elementwise;
import drsn.tensor.Reductions;

/**
 * The row-wise compositions of drsn.tensor's kernels that the units' heads need (a row is one
 * (sample, channel) span of an [N, C, S] tensor). Arrays are addressed from offset 0.
 */
final class Rows {

  private Rows() {
  }

  /** y[r, :] = x[r, :]·scale[r]; y may alias x. */
  static void scale(Elementwise ew, float[] x, float[] scale, int rows, int len, float[] y) {
    for (int r = 0; r < rows; r++) {
      ew.scale(scale[r], x, r * len, y, r * len, len);
    }
  }

  /** out[r] = Σ_i a[r, i]·b[r, i]. */
  static void dot(Reductions red, float[] a, float[] b, int rows, int len, float[] out) {
    for (int r = 0; r < rows; r++) {
      out[r] = red.dot(a, r * len, b, r * len, len);
    }
  }

  /** dst[r, :] += coef[r]. */
  static void add(Elementwise ew, float[] coef, int rows, int len, float[] dst) {
    for (int r = 0; r < rows; r++) {
      ew.affine(dst, r * len, 1f, coef[r], dst, r * len, len);
    }
  }

  /**
   * dst[r, i] += sign(x[r, i])·coef[r] (sign(0) = 0): the backward of a row mean of |x| (with
   * coef = ∂L/∂mean / len), one pass per row.
   */
  static void addSign(Elementwise ew, float[] x, float[] coef, int rows, int len, float[] dst) {
    for (int r = 0; r < rows; r++) {
      ew.addSignTimes(x, r * len, coef[r], dst, r * len, len);
    }
  }
}
