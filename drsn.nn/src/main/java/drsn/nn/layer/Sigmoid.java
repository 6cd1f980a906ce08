package drsn.nn.layer;

import drsn.nn.internal.TemporaryOps;

/** Sigmoid over a flat span: y = 1/(1 + e^−x); backward from the output: dx = dy·y·(1 − y). */
public final class Sigmoid {

  private Sigmoid() {
  }

  /** y may alias x. */
  public static void forward(float[] x, float[] y, int len) {
    TemporaryOps.sigmoid(x, 0, y, 0, len);
  }

  /** dx may alias dy. */
  public static void backward(float[] y, float[] dy, float[] dx, int len) {
    TemporaryOps.sigmoidBackward(y, 0, dy, 0, dx, 0, len);
  }
}
