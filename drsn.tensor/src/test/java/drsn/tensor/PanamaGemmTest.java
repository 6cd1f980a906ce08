package drsn.tensor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SIMD SGEMM against the scalar twin (within 2·(k+2)·eps·S per element) and the double
 * reference (within (k+2)·eps·S), see {@link GemmCase}. Sizes cross every edge of the blocking:
 * micro-tile rows and columns (MR = 8 or 12, NR = 2 vectors), the depth block KC = 256, the row
 * block MC = 120, the tall panels' blocks of 16 values of p (transposed in registers, the rest one
 * by one), the column block NC ≈ 2048, the in-place-B limit of 32 rows, and the dot path for long
 * k with B transposed (4×3 blocks, passes of 2048).
 */
class PanamaGemmTest {

  private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, -1.5f}, {-2f, 1f}, {1.25f, 0f}, {0f, 0.75f}};

  private Gemm simd;
  private final Gemm scalar = KernelProvider.scalar().gemm();

  @BeforeEach
  void needsSimd() {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    simd = KernelProvider.simd().orElseThrow().gemm();
  }

  private void check(GemmCase g) {
    float[] expected = g.run(scalar);
    float[] got = g.run(simd);
    g.assertNear(expected, got, "simd vs scalar");
    g.assertNearReference(got, 1, "simd vs reference");
  }

  @Test
  void everySizeUpToThreeVectorsPlusOneInEachDimension() {
    SplittableRandom r = new SplittableRandom(21);
    int max = 3 * GemmProviders.lanes() + 1;
    int run = 0;
    for (int dim = 0; dim < 3; dim++) {
      for (int v = 0; v <= max; v++) {
        for (int t = 0; t < 4; t++) {
          int m = dim == 0 ? v : 9;
          int n = dim == 1 ? v : 7;
          int k = dim == 2 ? v : 6;
          float[] ab = ALPHA_BETA[run++ % ALPHA_BETA.length];
          check(GemmCase.random(r, (t & 1) != 0, (t & 2) != 0, m, n, k, ab[0], ab[1], v % 3, ab[1] == 0f));
        }
      }
    }
  }

  @Test
  void blockEdges() {
    SplittableRandom r = new SplittableRandom(22);
    int[][] shapes = {
        {33, 50, 255}, {33, 50, 256}, {33, 50, 257},                 // depth blocks (KC = 256)
        {33, 50, 511}, {33, 50, 512}, {33, 50, 513}, {17, 49, 1100},
        {95, 40, 10}, {96, 40, 10}, {97, 33, 300}, {108, 64, 513},   // 8-row and tall (12-row) tiles
        {96, 32, 16}, {131, 40, 48}, {120, 33, 31}, {132, 17, 15},  // tall panels' p blocks of 16
        {119, 20, 10}, {120, 20, 10}, {121, 20, 10},                 // row blocks (MC = 120)
        {127, 20, 10}, {128, 20, 10}, {129, 20, 10}, {385, 3, 4}, {250, 65, 260},
        {32, 97, 5}, {31, 97, 5}, {33, 97, 5},                      // B read in place or packed
        {3, 2100, 5}, {40, 4100, 3},                                // column blocks
        {16, 1024, 48}, {4, 128, 3}, {48, 512, 16}, {16, 48, 600},  // the network's conv shapes
        {7, 5, 4099}, {13, 50, 2500}, {4, 3, 24},                   // dot path (with B transposed)
    };
    int run = 0;
    for (int[] s : shapes) {
      for (int t = 0; t < 4; t++) {
        float[] ab = ALPHA_BETA[run++ % ALPHA_BETA.length];
        check(GemmCase.random(r, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], ab[0], ab[1], 1 + t, ab[1] == 0f));
      }
    }
  }

  @Test
  void randomShapesUpToAboutThreeHundred() {
    SplittableRandom r = new SplittableRandom(23);
    for (int run = 0; run < 24; run++) {
      float[] ab = ALPHA_BETA[run % ALPHA_BETA.length];
      check(GemmCase.random(r, r.nextBoolean(), r.nextBoolean(), 1 + r.nextInt(300), 1 + r.nextInt(300),
          1 + r.nextInt(300), ab[0], ab[1], r.nextInt(4), ab[1] == 0f));
    }
  }
}
