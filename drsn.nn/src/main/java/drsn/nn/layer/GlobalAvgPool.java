package drsn.nn.layer;

import drsn.tensor.Reductions;
import java.util.Arrays;

/**
 * Global average pooling: x [N, C, S] → y [N, C], y[n, c] = mean over the S positions.
 * Backward: dx[n, c, i] = dy[n, c] / S.
 */
public final class GlobalAvgPool {

  private GlobalAvgPool() {
  }

  public static void forward(Reductions red, int n, int channels, int spatial, float[] x, float[] y) {
    red.spatialMean(1, n * channels, spatial, x, 0, y, 0);
  }

  /** dx is overwritten. */
  public static void backward(int n, int channels, int spatial, float[] dy, float[] dx) {
    int rows = n * channels;
    float inv = 1f / spatial;
    for (int r = 0; r < rows; r++) {
      Arrays.fill(dx, r * spatial, (r + 1) * spatial, dy[r] * inv);
    }
  }
}
