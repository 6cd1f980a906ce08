package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batch norm's training passes with the ReLU fused in: the forward without x̂
 * ({@code batchNormForward(…, relu)}) against {@code batchNormForward} with x̂ followed by
 * {@code relu}, and {@link Elementwise#batchNormReluBackwardFromInput} against
 * {@code reluBackward} over the stored forward output followed by
 * {@link Elementwise#batchNormBackwardFromInput} (and {@code add} into dx when accumulating): bit for
 * bit on each provider, for every span length up to three vectors plus a tail, in place or not;
 * the forward SIMD = scalar bit for bit, the backward within the tolerance of the unfused kernels.
 * Some x are made exactly the channel mean with β = ±0, so the mask's boundary (a forward output
 * of ±0, masked; the ReLU maps −0 to +0) is exercised, and a few are NaN (masked: NaN > 0 is false).
 */
class BatchNormReluPropertiesTest {

  private static final int EXAMPLES = 200;
  private static final int MAX_L = 3 * KernelPairs.lanes() + 9;

  private static List<KernelProvider> providers() {
    List<KernelProvider> all = new ArrayList<>();
    all.add(KernelProvider.scalar());
    KernelProvider.simd().ifPresent(all::add);
    return all;
  }

  private record Result(float[] dx, float[] dgamma, float[] dbeta) {
  }

  private record Case(int n, int c, int l, float[] x, float[] dy, float[] dx0, float[] mean, float[] invStd,
                      float[] gamma, float[] beta, float[] dgamma0, float[] dbeta0) {

    static Case random(int n, int c, int l, long seed, boolean withNaN) {
      SplittableRandom r = new SplittableRandom(seed);
      int size = n * c * l;
      float[] invStd = new float[c];
      for (int ch = 0; ch < c; ch++) {
        invStd[ch] = (float) r.nextDouble(0.25, 4);
      }
      float[] x = KernelPairs.gaussian(r, size, 2.0);
      float[] mean = KernelPairs.gaussian(r, c, 0.5);
      float[] beta = KernelPairs.gaussian(r, c, 1.0);
      if (r.nextBoolean()) { // β = −0 with γ < 0 gives the ReLU a −0 to map to +0, as Math.max does
        beta[r.nextInt(c)] = r.nextBoolean() ? 0f : -0f;
      }
      for (int i = 0; i < size; i++) {
        int roll = r.nextInt(16);
        if (roll == 0) {
          x[i] = mean[(i / l) % c];
        } else if (roll == 1 && withNaN) {
          x[i] = Float.NaN;
        }
      }
      return new Case(n, c, l, x, KernelPairs.gaussian(r, size, 1.0), KernelPairs.gaussian(r, size, 1.0), mean,
          invStd, KernelPairs.gaussian(r, c, 1.0), beta, KernelPairs.gaussian(r, c, 1.0),
          KernelPairs.gaussian(r, c, 1.0));
    }

    float[] forwardUnfused(Elementwise k, boolean relu) {
      float[] y = new float[x.length];
      k.batchNormForward(n, c, l, x, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, new float[x.length], 0, y, 0);
      if (relu) {
        k.relu(y, 0, y, 0, y.length);
      }
      return y;
    }

    float[] forwardFused(Elementwise k, boolean relu, boolean inPlace) {
      float[] y = inPlace ? x.clone() : new float[x.length];
      k.batchNormForward(n, c, l, inPlace ? y : x, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, y, 0, relu);
      return y;
    }

    Result backwardUnfused(Elementwise k, boolean accumulate) {
      float[] y = forwardUnfused(k, true);
      float[] g = new float[x.length];
      k.reluBackward(y, 0, dy, 0, g, 0, g.length);
      float[] dgamma = dgamma0.clone();
      float[] dbeta = dbeta0.clone();
      k.batchNormBackwardFromInput(n, c, l, g, 0, x, 0, mean, 0, gamma, 0, invStd, 0, g, 0, dgamma, 0, dbeta, 0);
      float[] dx = g;
      if (accumulate) {
        dx = dx0.clone();
        k.add(g, 0, dx, 0, dx, 0, dx.length);
      }
      return new Result(dx, dgamma, dbeta);
    }

    Result backwardFused(Elementwise k, boolean accumulate, boolean inPlace) {
      float[] g = dy.clone();
      float[] dx = accumulate ? dx0.clone() : inPlace ? g : new float[x.length];
      float[] dgamma = dgamma0.clone();
      float[] dbeta = dbeta0.clone();
      k.batchNormReluBackwardFromInput(n, c, l, g, 0, x, 0, mean, 0, gamma, 0, beta, 0, invStd, 0, dx, 0, accumulate,
          dgamma, 0, dbeta, 0);
      return new Result(dx, dgamma, dbeta);
    }

    /** dx = the fused backward + addend (dx0, left as it was), dx over dy itself when inPlace. */
    Result backwardPlus(Elementwise k, boolean inPlace, float[] addendOut) {
      float[] g = dy.clone();
      float[] dx = inPlace ? g : new float[x.length];
      float[] addend = dx0.clone();
      float[] dgamma = dgamma0.clone();
      float[] dbeta = dbeta0.clone();
      k.batchNormReluBackwardFromInputPlus(n, c, l, g, 0, x, 0, mean, 0, gamma, 0, beta, 0, invStd, 0, addend, 0,
          dx, 0, dgamma, 0, dbeta, 0);
      System.arraycopy(addend, 0, addendOut, 0, addend.length);
      return new Result(dx, dgamma, dbeta);
    }
  }

  private static boolean sameBits(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (!KernelPairs.sameBits(a[i], b[i])) {
        return false;
      }
    }
    return a.length == b.length;
  }

  @Test
  void forwardWithoutXhatIsBatchNormForwardThenReluBitForBit() {
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 3), integers().between(1, 3),
        integers().between(1, MAX_L), longs().all()).checkAssert((n, c, l, seed) -> {
          Case k = Case.random(n, c, l, seed, true);
          List<float[]> fused = new ArrayList<>();
          for (KernelProvider p : providers()) {
            for (boolean relu : new boolean[] {false, true}) {
              float[] want = k.forwardUnfused(p.elementwise(), relu);
              for (boolean inPlace : new boolean[] {false, true}) {
                float[] got = k.forwardFused(p.elementwise(), relu, inPlace);
                assertTrue(sameBits(want, got), p.name() + " relu=" + relu + " in place=" + inPlace
                    + " n=" + n + " c=" + c + " l=" + l);
                fused.add(got);
              }
            }
          }
          // The forward performs the same IEEE operations on both providers: SIMD = scalar bit for bit.
          for (int i = 4; i < fused.size(); i++) {
            assertTrue(sameBits(fused.get(i - 4), fused.get(i)), "SIMD vs scalar, variant " + (i - 4));
          }
        });
  }

  @Test
  void backwardIsReluBackwardThenBatchNormBackwardBitForBit() {
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 3), integers().between(1, 3),
        integers().between(1, MAX_L), longs().all()).checkAssert((n, c, l, seed) -> {
          Case k = Case.random(n, c, l, seed, seed % 4 == 0);
          for (KernelProvider p : providers()) {
            for (boolean accumulate : new boolean[] {false, true}) {
              Result want = k.backwardUnfused(p.elementwise(), accumulate);
              for (boolean inPlace : accumulate ? new boolean[] {false} : new boolean[] {false, true}) {
                Result got = k.backwardFused(p.elementwise(), accumulate, inPlace);
                String at = p.name() + " n=" + n + " c=" + c + " l=" + l + " accumulate=" + accumulate
                    + (inPlace ? " in place" : "");
                assertTrue(sameBits(want.dx(), got.dx()), "dx, " + at);
                assertTrue(sameBits(want.dgamma(), got.dgamma()), "dgamma, " + at);
                assertTrue(sameBits(want.dbeta(), got.dbeta()), "dbeta, " + at);
              }
            }
          }
        });
  }

  /**
   * The residual unit's form, dx = result + addend in the pass that writes dx: bit for bit the
   * accumulating form over a copy of addend, addend left unwritten, dx apart or over dy.
   */
  @Test
  void backwardPlusIsTheAccumulatingFormOverACopyBitForBit() {
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 3), integers().between(1, 3),
        integers().between(1, MAX_L), longs().all()).checkAssert((n, c, l, seed) -> {
          Case k = Case.random(n, c, l, seed, seed % 4 == 0);
          for (KernelProvider p : providers()) {
            Result want = k.backwardFused(p.elementwise(), true, false);
            for (boolean inPlace : new boolean[] {false, true}) {
              float[] addendAfter = new float[k.x().length];
              Result got = k.backwardPlus(p.elementwise(), inPlace, addendAfter);
              String at = p.name() + " n=" + n + " c=" + c + " l=" + l + (inPlace ? " dx over dy" : "");
              assertTrue(sameBits(want.dx(), got.dx()), "dx, " + at);
              assertTrue(sameBits(want.dgamma(), got.dgamma()), "dgamma, " + at);
              assertTrue(sameBits(want.dbeta(), got.dbeta()), "dbeta, " + at);
              assertTrue(sameBits(k.dx0(), addendAfter), "addend written, " + at);
            }
          }
        });
  }

  @Test
  void theAddendIsDxItselfOrAnotherArray() {
    for (KernelProvider p : providers()) {
      float[] ch = {0f, 0f};
      float[] one = {1f, 1f};
      float[] x = new float[6];
      float[] g = new float[6];
      float[] dx = new float[12];
      for (float[] bad : new float[][] {x, g}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.elementwise()
            .batchNormReluBackwardFromInputPlus(1, 2, 3, g, 0, x, 0, ch, 0, one, 0, ch, 0, one, 0, bad, 0, dx, 0,
                ch.clone(), 0, ch.clone(), 0));
        assertTrue(e.getMessage().contains("addend"), e.getMessage());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.elementwise()
          .batchNormReluBackwardFromInputPlus(1, 2, 3, g, 0, x, 0, ch, 0, one, 0, ch, 0, one, 0, dx, 6, dx, 0,
              ch.clone(), 0, ch.clone(), 0));
      assertTrue(e.getMessage().contains("addend"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> p.elementwise()
          .batchNormReluBackwardFromInputPlus(1, 2, 3, g, 0, x, 0, ch, 0, one, 0, ch, 0, one, 0, null, 0, dx, 0,
              ch.clone(), 0, ch.clone(), 0));
      assertTrue(e.getMessage().contains("addend"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> p.elementwise()
          .batchNormReluBackwardFromInputPlus(1, 2, 3, g, 0, x, 0, ch, 0, one, 0, ch, 0, one, 0, new float[5], 0, dx,
              0, ch.clone(), 0, ch.clone(), 0));
      assertTrue(e.getMessage().contains("addend"), e.getMessage());
      // dx itself at its own offset is the accumulating form
      p.elementwise().batchNormReluBackwardFromInputPlus(1, 2, 3, g, 0, x, 0, ch, 0, one, 0, ch, 0, one, 0, dx, 6,
          dx, 6, ch.clone(), 0, ch.clone(), 0);
    }
  }

  @Test
  void backwardSimdAgreesWithTheScalarTwin() {
    KernelProvider simd = KernelPairs.simd();
    Elementwise scalar = KernelProvider.scalar().elementwise();
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 3), integers().between(1, 3),
        integers().between(1, MAX_L), longs().all()).checkAssert((n, c, l, seed) -> {
          Case k = Case.random(n, c, l, seed, false);
          for (boolean accumulate : new boolean[] {false, true}) {
            Result a = k.backwardFused(simd.elementwise(), accumulate, false);
            Result b = k.backwardFused(scalar, accumulate, false);
            for (int ch = 0; ch < c; ch++) {
              assertEquals(b.dgamma()[ch], a.dgamma()[ch], 1e-5 * n * l, "dgamma");
              assertEquals(b.dbeta()[ch], a.dbeta()[ch], 1e-5 * n * l, "dbeta");
            }
            for (int i = 0; i < a.dx().length; i++) {
              assertEquals(b.dx()[i], a.dx()[i], 1e-5 * Math.max(1, Math.abs(b.dx()[i])) * n * l, "dx at " + i);
            }
          }
        });
  }

  @Test
  void theMaskIsTheForwardOutputsSign() {
    // One channel, γ = 1, β = 0, mean 0, invStd 1: the forward output is x itself, so dy is
    // kept exactly where x > 0 (not at ±0): Σdy counts those positions and Σdy·x̂ adds their x.
    float[] x = {2f, -1f, 0f, -0f, -5f, 3f};
    float[] dy = {1f, 1f, 1f, 1f, 1f, 1f};
    for (KernelProvider p : providers()) {
      float[] dgamma = {0f};
      float[] dbeta = {0f};
      p.elementwise().batchNormReluBackwardFromInput(1, 1, 6, dy.clone(), 0, x, 0, new float[] {0f}, 0,
          new float[] {1f}, 0, new float[] {0f}, 0, new float[] {1f}, 0, new float[6], 0, false, dgamma, 0, dbeta, 0);
      assertEquals(2f, dbeta[0], p.name() + ": Σ of ReLU-masked dy");
      assertEquals(5f, dgamma[0], p.name() + ": Σ dy·x̂ over the kept positions (2 + 3)");
    }
  }

  @Test
  void dxMustNotAliasTheInputNorDyWhenAccumulating() {
    for (KernelProvider p : providers()) {
      float[] a = new float[6];
      float[] ch = {0f, 0f};
      float[] one = {1f, 1f};
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.elementwise()
          .batchNormReluBackwardFromInput(1, 2, 3, new float[6], 0, a, 0, ch, 0, one, 0, ch, 0, one, 0, a, 0, false,
              ch.clone(), 0, ch.clone(), 0));
      assertTrue(e.getMessage().contains("alias"), e.getMessage());
      float[] g = new float[6];
      e = assertThrows(IllegalArgumentException.class, () -> p.elementwise()
          .batchNormReluBackwardFromInput(1, 2, 3, g, 0, new float[6], 0, ch, 0, one, 0, ch, 0, one, 0, g, 0, true,
              ch.clone(), 0, ch.clone(), 0));
      assertTrue(e.getMessage().contains("alias"), e.getMessage());
    }
  }
}
