package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Algebraic properties of SGEMM, for every implementation in this JVM. Sizes go past the SIMD
 * micro-tile (8 rows × 2 vectors); {@link PanamaGemmTest} covers the depth block joins.
 */
class GemmPropertiesTest {

  private static final int EXAMPLES = 60;

  /** I·B = B and B·I = B exactly (alpha = 1, beta = 0): each result is one product 1·b plus zeros. */
  @Test
  void identityLeavesTheOtherOperandUnchanged() {
    for (KernelProvider provider : GemmProviders.all()) {
      Gemm gemm = provider.gemm();
      qt().withExamples(EXAMPLES).forAll(integers().between(1, 70), integers().between(1, 150), longs().all())
          .checkAssert((rows, cols, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            boolean transB = r.nextBoolean();
            float[] x = randomMatrix(r, rows * cols);
            // I[rows×rows]·X[rows×cols]; X is given stored transposed (cols×rows) when transB.
            float[] stored = transB ? transpose(x, rows, cols) : x;
            float[] out = new float[rows * cols];
            gemm.sgemm(r.nextBoolean(), transB, rows, cols, rows, 1f, identity(rows), 0, rows,
                stored, 0, transB ? rows : cols, 0f, out, 0, cols);
            assertBitsEqual(x, out, provider.name() + " I·B, " + rows + "x" + cols + " transB=" + transB);
            // X[rows×cols]·I[cols×cols]; X stored transposed when transA.
            boolean transA = r.nextBoolean();
            stored = transA ? transpose(x, rows, cols) : x;
            gemm.sgemm(transA, r.nextBoolean(), rows, cols, cols, 1f, stored, 0, transA ? rows : cols,
                identity(cols), 0, cols, 0f, out, 0, cols);
            assertBitsEqual(x, out, provider.name() + " B·I, " + rows + "x" + cols + " transA=" + transA);
          });
    }
  }

  /**
   * (op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ, the right side computed from the same stored arrays by flipping
   * the transpose flags. Exact with alpha = 1, beta = 0: each element is the same sum in the same order.
   */
  @Test
  void transposeOfProductIsProductOfTransposesInReverse() {
    for (KernelProvider provider : GemmProviders.all()) {
      Gemm gemm = provider.gemm();
      qt().withExamples(EXAMPLES).forAll(integers().between(1, 60), integers().between(1, 60),
          integers().between(1, 300), longs().all()).checkAssert((m, n, k, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            boolean ta = r.nextBoolean();
            boolean tb = r.nextBoolean();
            float[] a = randomMatrix(r, m * k);
            float[] b = randomMatrix(r, k * n);
            int lda = ta ? m : k;
            int ldb = tb ? k : n;
            float[] ab = new float[m * n];
            gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, ab, 0, n);
            // op(B)ᵀ is B with the flag flipped; op(A)ᵀ likewise.
            float[] btat = new float[n * m];
            gemm.sgemm(!tb, !ta, n, m, k, 1f, b, 0, ldb, a, 0, lda, 0f, btat, 0, m);
            assertBitsEqual(ab, transpose(btat, n, m),
                provider.name() + " (AB)^T vs B^T A^T, m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb);
          });
    }
  }

  /**
   * Linear in alpha: scaling alpha by a power of two scales C exactly (beta = 0); any other alpha
   * agrees with alpha·C(1) within twice the rounding bound of {@link GemmCase}.
   */
  @Test
  void linearInAlpha() {
    for (KernelProvider provider : GemmProviders.all()) {
      Gemm gemm = provider.gemm();
      qt().withExamples(EXAMPLES).forAll(integers().between(1, 50), integers().between(1, 80),
          integers().between(1, 300), longs().all()).checkAssert((m, n, k, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            float alpha = (float) (r.nextDouble() * 4 - 2);
            float scale = (float) Math.scalb(1.0, r.nextInt(-4, 5));
            GemmCase g = GemmCase.random(r, r.nextBoolean(), r.nextBoolean(), m, n, k, alpha, 0f, 0, false);
            GemmCase scaled = GemmCase.of(g.transA, g.transB, m, n, k, alpha * scale, 0f, g.a, g.b, g.c);
            float[] base = g.run(gemm);
            float[] big = scaled.run(gemm);
            for (int x = 0; x < base.length; x++) {
              assertEquals(base[x] * scale, big[x], provider.name() + " scale " + scale + " " + g);
            }
            GemmCase one = GemmCase.of(g.transA, g.transB, m, n, k, 1f, 0f, g.a, g.b, g.c);
            float[] unit = one.run(gemm);
            for (int x = 0; x < unit.length; x++) {
              unit[x] *= alpha;
            }
            g.assertNear(unit, base, provider.name() + " alpha·C(1) vs C(alpha)");
          });
    }
  }

  /** Random shapes, flags, alpha and beta agree with the double-precision definition. */
  @Test
  void agreesWithTheDoubleReference() {
    for (KernelProvider provider : GemmProviders.all()) {
      Gemm gemm = provider.gemm();
      qt().withExamples(EXAMPLES).forAll(integers().between(0, 70), integers().between(0, 120),
          integers().between(0, 300), longs().all()).checkAssert((m, n, k, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            float alpha = (float) (r.nextDouble() * 4 - 2);
            float beta = r.nextInt(3) == 0 ? 0f : (float) (r.nextDouble() * 4 - 2);
            GemmCase g = GemmCase.random(r, r.nextBoolean(), r.nextBoolean(), m, n, k, alpha, beta,
                r.nextInt(3), beta == 0f);
            g.assertNearReference(g.run(gemm), 1, provider.name());
          });
    }
  }

  private static float[] randomMatrix(SplittableRandom r, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  private static float[] identity(int size) {
    float[] id = new float[size * size];
    for (int i = 0; i < size; i++) {
      id[i * size + i] = 1f;
    }
    return id;
  }

  /** x stored rows×cols, returned stored cols×rows. */
  private static float[] transpose(float[] x, int rows, int cols) {
    float[] t = new float[x.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = x[i * cols + j];
      }
    }
    return t;
  }

  private static void assertBitsEqual(float[] expected, float[] actual, String what) {
    for (int x = 0; x < expected.length; x++) {
      if (Float.floatToRawIntBits(expected[x]) != Float.floatToRawIntBits(actual[x])) {
        throw new AssertionError(what + ": element " + x + " expected " + expected[x] + ", got " + actual[x]);
      }
    }
  }
}
