package drsn.nn.layer;

import drsn.tensor.Elementwise;
import drsn.tensor.Reductions;

/**
 * The row-wise compositions of drsn.tensor's {@link Elementwise} and {@link Reductions} kernels
 * that the layers need (a row is one (sample, channel) span of an [N, C, S] tensor, or one sample
 * of an [N, K] matrix). All arrays are addressed from offset 0 unless an offset is given.
 */
public final class Ops {

  private final Elementwise ew;
  private final Reductions red;

  Ops(Elementwise ew, Reductions red) {
    this.ew = ew;
    this.red = red;
  }

  public Elementwise elementwise() {
    return ew;
  }

  public Reductions reductions() {
    return red;
  }

  /** y = max(x, 0); y may alias x. */
  public void relu(float[] x, float[] y, int len) {
    ew.relu(x, 0, y, 0, len);
  }

  /** dx = dy where the forward input (equivalently output) was > 0; dx may alias dy. */
  public void reluBackward(float[] y, float[] dy, float[] dx, int len) {
    ew.reluBackward(y, 0, dy, 0, dx, 0, len);
  }

  public void sigmoid(float[] x, float[] y, int len) {
    ew.sigmoid(x, 0, y, 0, len);
  }

  public void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) {
    ew.sigmoidBackward(y, 0, dy, 0, dx, 0, len);
  }

  /** dst += src. */
  public void addInto(float[] src, float[] dst, int len) {
    ew.add(src, 0, dst, 0, dst, 0, len);
  }

  /** out[r] = mean of row r of x [rows, len]. */
  public void meanRows(float[] x, int rows, int len, float[] out) {
    red.spatialMean(1, rows, len, x, 0, out, 0);
  }

  /** out[r] = mean of |x| over row r. */
  public void meanAbsRows(float[] x, int rows, int len, float[] out) {
    red.spatialMeanAbs(1, rows, len, x, 0, out, 0);
  }

  /** y[r, :] = x[r, :]·scale[r]; y may alias x. */
  public void scaleRows(float[] x, float[] scale, int rows, int len, float[] y) {
    for (int r = 0; r < rows; r++) {
      ew.scale(scale[r], x, r * len, y, r * len, len);
    }
  }

  /** out[r] = Σ_i a[r, i]·b[r, i]. */
  public void dotRows(float[] a, float[] b, int rows, int len, float[] out) {
    for (int r = 0; r < rows; r++) {
      out[r] = red.dot(a, r * len, b, r * len, len);
    }
  }

  /** dst[r, :] += coef[r]. */
  public void addRows(float[] coef, int rows, int len, float[] dst) {
    for (int r = 0; r < rows; r++) {
      ew.affine(dst, r * len, 1f, coef[r], dst, r * len, len);
    }
  }

  /**
   * dst[r, i] += sign(x[r, i])·coef[r] (sign(0) = 0): the backward of a row mean of |x| (with
   * coef = ∂L/∂mean / len). rowScratch holds at least len floats.
   */
  public void addSignRows(float[] x, float[] coef, int rows, int len, float[] dst, float[] rowScratch) {
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(rowScratch, 0, len, coef[r]);
      ew.absBackward(x, r * len, rowScratch, 0, rowScratch, 0, len);
      ew.add(rowScratch, 0, dst, r * len, dst, r * len, len);
    }
  }
}
