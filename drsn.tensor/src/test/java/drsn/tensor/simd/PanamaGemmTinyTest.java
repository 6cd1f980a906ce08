package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import drsn.tensor.KernelProvider;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link PanamaGemm}'s tiny path (no workspace, no packing) gives the blocked path's bits on every
 * problem it takes (QuickTheories: all four transposes, m 1..9, n 1..40 — every tail of its
 * 4-column groups, of its vectors of columns (B not transposed) and of a micro-panel — k 1..64, leading dimensions and offsets past the minimum,
 * beta 0 with NaN in C, which must not be read, and beta ≠ 0). Its agreement with the scalar twin
 * and the definition is {@code PanamaGemmTest}'s and {@code GemmPropertiesTest}'s, which cover
 * these sizes through the public call.
 */
class PanamaGemmTinyTest {

  private static final float[] ALPHAS = {1f, -0.5f, 1.25f, 0f};
  private static final float[] BETAS = {0f, 1f, -1.5f, 0.75f};

  @Test
  void tinyPathGivesTheBlockedPathsBits() {
    Assumptions.assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    PanamaGemm gemm = new PanamaGemm();
    int[] tested = {0};
    qt().withExamples(600).forAll(range(1, 9), range(1, 40), range(1, 64), longRange(0, Long.MAX_VALUE))
        .assuming((m, n, k, seed) -> PanamaGemm.isTiny(m, n, k))
        .checkAssert((m, n, k, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          int flags = r.nextInt(16);
          boolean transA = (flags & 1) != 0;
          boolean transB = (flags & 2) != 0;
          float alpha = ALPHAS[r.nextInt(ALPHAS.length)];
          float beta = BETAS[(flags >> 2) & 3];
          int aRows = transA ? k : m;
          int aCols = transA ? m : k;
          int bRows = transB ? n : k;
          int bCols = transB ? k : n;
          int lda = aCols + r.nextInt(3);
          int ldb = bCols + r.nextInt(3);
          int ldc = n + r.nextInt(3);
          int aOff = r.nextInt(3);
          int bOff = r.nextInt(3);
          int cOff = r.nextInt(3);
          float[] a = gaussian(r, aOff + aRows * lda);
          float[] b = gaussian(r, bOff + bRows * ldb);
          float[] c = beta == 0f ? nans(cOff + m * ldc) : gaussian(r, cOff + m * ldc);
          float[] viaBlocked = c.clone();
          float[] viaCall = c.clone();
          if (!PanamaGemm.blockedOnly(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
              beta, viaBlocked, cOff, ldc)) {
            return; // the dot path: not the tiny path's to replace
          }
          tested[0]++;
          gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, viaCall, cOff, ldc);
          String what = (transA ? "A^T " : "A ") + (transB ? "B^T " : "B ") + m + "x" + n + "x" + k
              + " alpha " + alpha + " beta " + beta;
          for (int t = 0; t < c.length; t++) {
            assertEquals(Float.floatToRawIntBits(viaBlocked[t]), Float.floatToRawIntBits(viaCall[t]),
                what + ": differs at " + t);
          }
        });
    assertTrue(tested[0] > 300, "only " + tested[0] + " examples took the blocked path");
  }

  @Test
  void batchOneLayersOfThePaperTakeTheTinyPath() {
    Assumptions.assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    // DRSN-CW's threshold subnets (C -> C for C = 4, 8, 16, 32) and a 10-class head at batch 1.
    for (int c : new int[] {4, 8, 16, 32}) {
      assertTrue(PanamaGemm.isTiny(1, c, c), "1 x " + c + " x " + c);
    }
    assertTrue(PanamaGemm.isTiny(1, 10, 32));
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  private static float[] nans(int n) {
    float[] x = new float[n];
    Arrays.fill(x, Float.NaN);
    return x;
  }
}
