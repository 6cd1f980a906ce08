package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How NaN propagates through SGEMM, as documented on {@link Gemm}, for every implementation. */
class GemmNaNTest {

  // Large enough for the blocked SIMD paths and the dot path (k ≥ 4·max(m, n) with B transposed).
  private static final int[][] SHAPES = {{37, 70, 20}, {5, 9, 300}, {3, 40, 7}};

  private static float[] ones(int size) {
    float[] x = new float[size];
    Arrays.fill(x, 0.5f);
    return x;
  }

  @Test
  void betaZeroDoesNotReadC() {
    for (KernelProvider p : GemmProviders.all()) {
      for (int[] s : SHAPES) {
        for (int t = 0; t < 4; t++) {
          int m = s[0], n = s[1], k = s[2];
          boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
          float[] c = new float[m * n];
          Arrays.fill(c, Float.NaN);
          p.gemm().sgemm(ta, tb, m, n, k, 1f, ones(m * k), 0, ta ? m : k, ones(k * n), 0, tb ? k : n, 0f, c, 0, n);
          for (float v : c) {
            assertTrue(v == 0.25f * k, p.name() + " t=" + t + ": expected " + 0.25f * k + ", got " + v);
          }
        }
      }
    }
  }

  @Test
  void nanInARowPoisonsExactlyThatRowOfC() {
    for (KernelProvider p : GemmProviders.all()) {
      for (int[] s : SHAPES) {
        for (int t = 0; t < 4; t++) {
          int m = s[0], n = s[1], k = s[2];
          boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
          float[] a = ones(m * k);
          int row = m / 2, col = k - 1;
          a[ta ? col * m + row : row * k + col] = Float.NaN;
          float[] c = new float[m * n];
          // alpha = 0 does not skip A: 0·NaN is NaN.
          for (float alpha : new float[] {1f, 0f}) {
            p.gemm().sgemm(ta, tb, m, n, k, alpha, a, 0, ta ? m : k, ones(k * n), 0, tb ? k : n, 0f, c, 0, n);
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                boolean nan = Float.isNaN(c[i * n + j]);
                if (i == row) {
                  assertTrue(nan, p.name() + " alpha=" + alpha + " t=" + t + ": C[" + i + "," + j + "] should be NaN");
                } else {
                  assertFalse(nan, p.name() + " alpha=" + alpha + " t=" + t + ": C[" + i + "," + j + "] should not be NaN");
                }
              }
            }
          }
        }
      }
    }
  }
}
