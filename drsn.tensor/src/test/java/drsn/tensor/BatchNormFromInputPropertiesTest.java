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
 * The fused batch-norm backward that recomputes x̂ from the forward input
 * ({@link Elementwise#batchNormBackwardFromInput}) against its definition, shiftScale into a buffer
 * followed by {@link Elementwise#batchNormBackward}: bit for bit on each provider, for every span
 * length up to three vectors plus a tail, in place (dx = dy) or not; SIMD against the scalar twin
 * within the tolerance of the unfused kernels (their sums are blocked differently).
 */
class BatchNormFromInputPropertiesTest {

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

  private record Case(int n, int c, int l, float[] x, float[] dy, float[] mean, float[] invStd, float[] gamma,
                      float[] dgamma0, float[] dbeta0) {

    static Case random(int n, int c, int l, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      int size = n * c * l;
      float[] invStd = new float[c];
      for (int ch = 0; ch < c; ch++) {
        invStd[ch] = (float) r.nextDouble(0.25, 4);
      }
      return new Case(n, c, l, KernelPairs.gaussian(r, size, 2.0), KernelPairs.gaussian(r, size, 1.0),
          KernelPairs.gaussian(r, c, 0.5), invStd, KernelPairs.gaussian(r, c, 1.0), KernelPairs.gaussian(r, c, 1.0),
          KernelPairs.gaussian(r, c, 1.0));
    }

    Result unfused(Elementwise k) {
      float[] xhat = new float[x.length];
      for (int s = 0; s < n; s++) {
        for (int ch = 0; ch < c; ch++) {
          int at = (s * c + ch) * l;
          k.shiftScale(x, at, mean[ch], invStd[ch], xhat, at, l);
        }
      }
      float[] dx = new float[x.length];
      float[] dgamma = dgamma0.clone();
      float[] dbeta = dbeta0.clone();
      k.batchNormBackward(n, c, l, dy, 0, xhat, 0, gamma, 0, invStd, 0, dx, 0, dgamma, 0, dbeta, 0);
      return new Result(dx, dgamma, dbeta);
    }

    Result fused(Elementwise k, boolean inPlace) {
      float[] dx = inPlace ? dy.clone() : new float[x.length];
      float[] g = inPlace ? dx : dy;
      float[] dgamma = dgamma0.clone();
      float[] dbeta = dbeta0.clone();
      k.batchNormBackwardFromInput(n, c, l, g, 0, x, 0, mean, 0, gamma, 0, invStd, 0, dx, 0, dgamma, 0, dbeta, 0);
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
  void fusedIsShiftScaleThenBatchNormBackwardBitForBit() {
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 3), integers().between(1, 3),
        integers().between(1, MAX_L), longs().all()).checkAssert((n, c, l, seed) -> {
          Case k = Case.random(n, c, l, seed);
          for (KernelProvider p : providers()) {
            Result want = k.unfused(p.elementwise());
            for (boolean inPlace : new boolean[] {false, true}) {
              Result got = k.fused(p.elementwise(), inPlace);
              String at = p.name() + " n=" + n + " c=" + c + " l=" + l + (inPlace ? " in place" : "");
              assertTrue(sameBits(want.dx(), got.dx()), "dx, " + at);
              assertTrue(sameBits(want.dgamma(), got.dgamma()), "dgamma, " + at);
              assertTrue(sameBits(want.dbeta(), got.dbeta()), "dbeta, " + at);
            }
          }
        });
  }

  @Test
  void simdAgreesWithTheScalarTwin() {
    KernelProvider simd = KernelPairs.simd();
    Elementwise scalar = KernelProvider.scalar().elementwise();
    qt().withExamples(EXAMPLES).forAll(integers().between(1, 3), integers().between(1, 3),
        integers().between(1, MAX_L), longs().all()).checkAssert((n, c, l, seed) -> {
          Case k = Case.random(n, c, l, seed);
          Result a = k.fused(simd.elementwise(), false);
          Result b = k.fused(scalar, false);
          for (int ch = 0; ch < c; ch++) {
            assertEquals(b.dgamma()[ch], a.dgamma()[ch], 1e-5 * n * l, "dgamma");
            assertEquals(b.dbeta()[ch], a.dbeta()[ch], 1e-5 * n * l, "dbeta");
          }
          for (int i = 0; i < a.dx().length; i++) {
            assertEquals(b.dx()[i], a.dx()[i], 1e-5 * Math.max(1, Math.abs(b.dx()[i])) * n * l, "dx at " + i);
          }
        });
  }

  @Test
  void dxMustNotAliasTheInput() {
    for (KernelProvider p : providers()) {
      float[] a = new float[6];
      float[] ch = {0f, 0f};
      float[] one = {1f, 1f};
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.elementwise()
          .batchNormBackwardFromInput(1, 2, 3, new float[6], 0, a, 0, ch, 0, one, 0, one, 0, a, 0, ch.clone(), 0,
              ch.clone(), 0));
      assertTrue(e.getMessage().contains("alias"), e.getMessage());
    }
  }
}
