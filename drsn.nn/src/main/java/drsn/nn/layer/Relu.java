package drsn.nn.layer;

import drsn.nn.internal.TemporaryOps;

/** ReLU over a flat span: y = max(x, 0); backward from the output: dx = dy where y &gt; 0. */
public final class Relu {

  private Relu() {
  }

  /** y may alias x. */
  public static void forward(float[] x, float[] y, int len) {
    TemporaryOps.relu(x, 0, y, 0, len);
  }

  /** dx may alias dy. */
  public static void backward(float[] y, float[] dy, float[] dx, int len) {
    TemporaryOps.reluBackward(y, 0, dy, 0, dx, 0, len);
  }
}
