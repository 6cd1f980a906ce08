package drsn.train;

import java.util.Map;

/** Argument checks shared by the optimisers. */
final class Optimizers {

  private Optimizers() {
  }

  static void checkArrays(float[] w, float[] g, int n) {
    if (w == null || g == null || w.length != n || g.length != n) {
      throw new IllegalArgumentException("expected parameters and gradients of " + n + " floats, got "
          + (w == null ? "null" : w.length) + " and " + (g == null ? "null" : g.length));
    }
  }

  static void restoreInto(String name, float[] target, Map<String, float[]> state) {
    float[] src = state == null ? null : state.get(name);
    if (src == null || src.length != target.length) {
      throw new IllegalArgumentException("optimiser state '" + name + "': expected " + target.length
          + " floats, got " + (src == null ? "none" : src.length));
    }
    System.arraycopy(src, 0, target, 0, target.length);
  }
}
