package drsn.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.ParameterSet;
import drsn.nn.TestLayers;
import drsn.tensor.KernelProvider;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of residual shrinkage units, for any input: 0 &lt; τ ≤ mean|x| of the branch output
 * it scales, and the shrinkage (output minus shortcut) is exactly zero wherever |x| ≤ τ.
 */
class ShrinkagePropertiesTest {

  /** A one-unit DRSN (width c, stride 1 so the shortcut is the identity) to take the unit's parameters from. */
  static ShrinkageUnit unit(boolean channelWise, int c, int len, long seed) {
    return unit(channelWise, c, len, seed, p -> { });
  }

  /** As {@link #unit(boolean, int, int, long)}, with the parameters changed by tweak before binding. */
  static ShrinkageUnit unit(boolean channelWise, int c, int len, long seed,
                            java.util.function.Consumer<ParameterSet> tweak) {
    Family f = channelWise ? Family.DRSN_CW : Family.DRSN_CS;
    Architecture arch = new Architecture(f, 1, 1, 1, len, List.of(c), List.of(1), 3, 1, 1, 2,
        Architecture.defaultNames(2), List.of(0f), List.of(1f), 4, false);
    ParameterSet p = ParameterSet.initialise(arch, seed);
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = p.values();
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (0.3 * r.nextGaussian());
    }
    tweak.accept(p);
    return (ShrinkageUnit) TestLayers.unit(TestLayers.binding(p, new float[v.length]), arch.plan().units().getFirst(),
        KernelProvider.get());
  }

  @Test
  void thresholdsArePositiveAndAtMostTheMeanAbsoluteValueTheyScale() {
    qt().withExamples(150).forAll(booleans().all(), integers().between(1, 4), longs().between(0, 1 << 20),
            integers().between(-3, 3))
        .checkAssert((cw, n, seed, logScale) -> {
          int c = 3 + (int) (seed % 5);
          int len = 5 + (int) (seed % 17);
          ShrinkageUnit u = unit(cw, c, len, seed);
          u.prepare(n);
          float[] x = new float[n * c * len];
          SplittableRandom r = new SplittableRandom(seed + 7);
          double scale = Math.pow(10, logScale);
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) (scale * r.nextGaussian());
          }
          boolean training = n > 1 && r.nextBoolean();
          u.forward(n, x, training, new float[u.workspaceSize(n)], new float[n * c * len]);
          float[] tau = new float[n * c];
          u.thresholds(n, tau, 0);
          for (int s = 0; s < n; s++) {
            double sampleMean = 0;
            for (int ch = 0; ch < c; ch++) {
              sampleMean += meanAbs(u.c2, (s * c + ch) * len, len);
            }
            sampleMean /= c;
            for (int ch = 0; ch < c; ch++) {
              double g = cw ? meanAbs(u.c2, (s * c + ch) * len, len) : sampleMean;
              float t = tau[s * c + ch];
              if (g > 0) {
                assertTrue(t > 0f, "tau " + t + " must be > 0 where mean|x| = " + g);
              }
              // Relative slack for float rounding of the mean (accumulated in a different order).
              assertTrue(t <= g * (1 + 1e-5), "tau " + t + " must be <= mean|x| " + g);
            }
          }
        });
  }

  @Test
  void scalesAreThresholdsOverTheMagnitudeTheyScaleAndZeroedFractionCountsTheZeroedFeatures() {
    qt().withExamples(100).forAll(booleans().all(), integers().between(1, 4), longs().between(0, 1 << 20))
        .checkAssert((cw, n, seed) -> {
          int c = 2 + (int) (seed % 6);
          int len = 3 + (int) (seed % 13);
          ShrinkageUnit u = unit(cw, c, len, seed);
          u.prepare(n);
          float[] x = gaussian(n * c * len, seed + 13);
          u.forward(n, x, false, new float[u.workspaceSize(n)], new float[n * c * len]);
          float[] tau = new float[n * c];
          float[] alpha = new float[n * c];
          u.thresholds(n, tau, 0);
          u.thresholdScales(n, alpha, 0);
          long zeroed = 0;
          for (int s = 0; s < n; s++) {
            double sampleMean = 0;
            for (int ch = 0; ch < c; ch++) {
              sampleMean += meanAbs(u.c2, (s * c + ch) * len, len) / c;
            }
            for (int ch = 0; ch < c; ch++) {
              float a = alpha[s * c + ch];
              assertTrue(a > 0f && a <= 1f, "alpha " + a + " must be in (0, 1]");
              double g = cw ? meanAbs(u.c2, (s * c + ch) * len, len) : sampleMean;
              assertEquals(tau[s * c + ch], a * g, 1e-5 * g, "tau = alpha * mean|x|");
              if (!cw) {
                assertEquals(alpha[s * c], a, "channel-shared scale repeated across channels");
              }
              for (int i = 0; i < len; i++) {
                zeroed += Math.abs(u.c2[(s * c + ch) * len + i]) <= tau[s * c + ch] ? 1 : 0;
              }
            }
          }
          assertEquals((double) zeroed / (n * c * len), u.zeroedFraction(n), 1e-12);
          // A prefix of the batch counts only its own samples.
          double first = u.zeroedFraction(1);
          assertTrue(first >= 0 && first <= 1);
        });
  }

  @Test
  void scalesFollowTheSubnetworkOutputFromNoShrinkageToAWholeMeanMagnitude() {
    int c = 4;
    int len = 64;
    int n = 3;
    float[] x = gaussian(n * c * len, 5);
    for (boolean cw : new boolean[] {true, false}) {
      double previous = -1;
      for (float bias : new float[] {-40f, 0f, 40f}) {
        // fc2 sees ReLU outputs of modest size: a large bias alone decides the sigmoid.
        ShrinkageUnit u = unit(cw, c, len, 3, p -> {
          ParameterSet.Slot slot = p.slot("units.0.fc2.bias");
          java.util.Arrays.fill(p.arrayOf(slot), slot.offset(), slot.offset() + slot.size(), bias);
        });
        u.prepare(n);
        u.forward(n, x, false, new float[u.workspaceSize(n)], new float[n * c * len]);
        float[] alpha = new float[n * c];
        u.thresholdScales(n, alpha, 0);
        double zeroed = u.zeroedFraction(n);
        for (float a : alpha) {
          if (bias < 0) {
            assertEquals(ShrinkageUnit.MIN_ALPHA, a, 0f, "sigmoid(-40) is clamped at MIN_ALPHA");
          } else if (bias > 0) {
            assertEquals(1f, a, 0f);
          }
        }
        if (bias < 0) {
          assertEquals(0.0, zeroed, "a vanishing threshold zeroes no Gaussian feature");
        } else if (bias > 0) {
          // τ = mean|x|: for Gaussian-like features about 58 % of the values lie below it.
          assertTrue(zeroed > 0.3 && zeroed < 0.9, "zeroed fraction " + zeroed + " at tau = mean|x|");
        }
        assertTrue(zeroed > previous || (previous == 0 && zeroed == 0), "zeroed fraction grows with alpha");
        previous = zeroed;
      }
    }
  }

  static float[] gaussian(int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  static double meanAbs(float[] x, int off, int len) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += Math.abs(x[off + i]);
    }
    return s / len;
  }

  @Test
  void shrinkageIsZeroWhereverTheMagnitudeIsAtMostTheThreshold() {
    qt().withExamples(150).forAll(booleans().all(), integers().between(1, 4), longs().between(0, 1 << 20))
        .checkAssert((cw, n, seed) -> {
          int c = 2 + (int) (seed % 6);
          int len = 3 + (int) (seed % 13);
          ShrinkageUnit u = unit(cw, c, len, seed);
          u.prepare(n);
          float[] x = gaussian(n * c * len, seed + 11);
          float[] y = u.forward(n, x, false, new float[u.workspaceSize(n)], new float[n * c * len]);
          float[] tau = new float[n * c];
          u.thresholds(n, tau, 0);
          for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
              float t = tau[s * c + ch];
              for (int i = 0; i < len; i++) {
                int at = (s * c + ch) * len + i;
                float branch = u.c2[at];
                if (Math.abs(branch) <= t) {
                  // Identity shortcut: the output is the input exactly when the shrinkage is zero.
                  assertEquals(Float.floatToIntBits(x[at]), Float.floatToIntBits(y[at]),
                      "|x| = " + Math.abs(branch) + " <= tau " + t + " must shrink to 0");
                } else {
                  float shrunk = Math.copySign(Math.abs(branch) - t, branch);
                  assertEquals(x[at] + shrunk, y[at], 1e-5f * (1 + Math.abs(y[at])));
                }
              }
            }
          }
        });
  }
}
