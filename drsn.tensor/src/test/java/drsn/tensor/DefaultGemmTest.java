package drsn.tensor;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scalar SGEMM against the double-precision definition, within (k+2)·eps·S per element
 * (see {@link GemmCase}); outside elements of C must stay untouched and NaN padding unread.
 */
class DefaultGemmTest {

  private static final Gemm SCALAR = KernelProvider.scalar().gemm();
  private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, -1.5f}, {-2f, 1f}, {1.25f, 0f}, {0f, 0.75f}};

  @Test
  void everySizeUpToThreeVectorsPlusOneInEachDimension() {
    SplittableRandom r = new SplittableRandom(11);
    int max = 3 * GemmProviders.lanes() + 1;
    int run = 0;
    for (int dim = 0; dim < 3; dim++) {
      for (int v = 0; v <= max; v++) {
        for (int t = 0; t < 4; t++) {
          int m = dim == 0 ? v : 5;
          int n = dim == 1 ? v : 7;
          int k = dim == 2 ? v : 6;
          float[] ab = ALPHA_BETA[run++ % ALPHA_BETA.length];
          GemmCase g = GemmCase.random(r, (t & 1) != 0, (t & 2) != 0, m, n, k, ab[0], ab[1], 1 + v % 3,
              ab[1] == 0f);
          g.assertNearReference(g.run(SCALAR), 1, "scalar");
        }
      }
    }
  }

  @Test
  void randomShapesUpToAboutThreeHundred() {
    SplittableRandom r = new SplittableRandom(12);
    for (int run = 0; run < 16; run++) {
      float[] ab = ALPHA_BETA[run % ALPHA_BETA.length];
      GemmCase g = GemmCase.random(r, r.nextBoolean(), r.nextBoolean(), 1 + r.nextInt(300),
          1 + r.nextInt(300), 1 + r.nextInt(300), ab[0], ab[1], r.nextInt(4), ab[1] == 0f);
      g.assertNearReference(g.run(SCALAR), 1, "scalar");
    }
  }
}
