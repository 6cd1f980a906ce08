package drsn.tensor;

import static drsn.tensor.ConvFixtures.U;
import static drsn.tensor.ConvFixtures.abs;
import static drsn.tensor.ConvFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import drsn.tensor.ConvFixtures.Path;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * Properties of convolution (QuickTheories): linear in the input and in the weights, a 1×1
 * identity kernel is the identity, and the SIMD paths agree with the scalar one.
 *
 * <p>Tolerances follow {@link ConvFixtures}: ε = 2·(n + 2)·u per unit of Σ|w·x|. For linearity,
 * both sides hold float convolutions (errors ε·A₁·|a| + ε·A₂ and ε·A₃ ≤ ε·(|a|·A₁ + A₂)·(1 + 2u))
 * and the combined input a·x₁ + x₂ is itself rounded (2u per element), so
 * tol = (2ε + 4u)·conv(|w|, |a|·|x₁| + |x₂|).
 */
class ConvolutionPropertiesTest {

  private static final int EXAMPLES = 150;

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  /** Valid 1-D and 2-D shapes: channels 1..17, width 1..140 (the direct kernel's wide blocks are 4 vectors), kernel 1..5, stride 1..3, padding 0..2, dilation 1..2. */
  static Gen<ConvShape> shapes() {
    Gen<int[]> channels = range(1, 17).zip(range(1, 17), (a, b) -> new int[] {a, b});
    Gen<int[]> geometry = range(1, 5).zip(range(1, 3), range(0, 2), range(1, 2),
        (k, s, p, d) -> new int[] {k, s, p, d});
    return channels.zip(range(1, 140), geometry, booleans(), ConvolutionPropertiesTest::shapeOrNull)
        .assuming(Objects::nonNull)
        .describedAs(Objects::toString);
  }

  private static ConvShape shapeOrNull(int[] ch, int width, int[] g, boolean twoD) {
    try {
      if (!twoD) {
        return ConvShape.of1d(ch[0], ch[1], width, g[0], g[1], g[2], g[3]);
      }
      // 2-D: a small height and a kernel height derived from the same draw, channels kept modest
      int h = 1 + width % 7;
      int kh = 1 + (g[0] + width) % 3;
      return new ConvShape(1 + ch[0] % 8, 1 + ch[1] % 8, h, Math.min(width, 24), kh, g[0],
          g[1], 1 + (g[1] + 1) % 3, g[2] % 2, g[2], 1 + h % 2, g[3]);
    } catch (IllegalArgumentException kernelTooLarge) {
      return null;
    }
  }

  static Gen<Long> seeds() {
    return longRange(0, Long.MAX_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void linearInTheInput(Path path) {
    qt().withExamples(EXAMPLES).forAll(shapes(), seeds(), range(-300, 300)).checkAssert((s, seed, a100) -> {
      SplittableRandom r = new SplittableRandom(seed);
      int batch = 1 + r.nextInt(2);
      float a = a100 / 100f;
      int inN = batch * s.inputSize();
      float[] x1 = ConvFixtures.gaussian(r, inN), x2 = ConvFixtures.gaussian(r, inN);
      float[] w = ConvFixtures.gaussian(r, s.weightSize());
      float[] x3 = new float[inN];
      double[] mix = new double[inN];
      for (int k = 0; k < inN; k++) {
        x3[k] = a * x1[k] + x2[k];
        mix[k] = Math.abs(a * (double) x1[k]) + Math.abs(x2[k]);
      }
      float[] y1 = run(path.conv(), s, batch, x1, w), y2 = run(path.conv(), s, batch, x2, w);
      float[] y3 = run(path.conv(), s, batch, x3, w);
      double[] scale = ConvFixtures.forward(s, batch, mix, abs(toDouble(w, 0, w.length)), null, null);
      assertLinear(path + " " + s + " a=" + a, y3, y1, a, y2, scale, ConvFixtures.forwardTerms(s));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void linearInTheWeights(Path path) {
    qt().withExamples(EXAMPLES).forAll(shapes(), seeds(), range(-300, 300)).checkAssert((s, seed, a100) -> {
      SplittableRandom r = new SplittableRandom(seed);
      int batch = 1 + r.nextInt(2);
      float a = a100 / 100f;
      int wn = s.weightSize();
      float[] x = ConvFixtures.gaussian(r, batch * s.inputSize());
      float[] w1 = ConvFixtures.gaussian(r, wn), w2 = ConvFixtures.gaussian(r, wn);
      float[] w3 = new float[wn];
      double[] mix = new double[wn];
      for (int k = 0; k < wn; k++) {
        w3[k] = a * w1[k] + w2[k];
        mix[k] = Math.abs(a * (double) w1[k]) + Math.abs(w2[k]);
      }
      float[] y1 = run(path.conv(), s, batch, x, w1), y2 = run(path.conv(), s, batch, x, w2);
      float[] y3 = run(path.conv(), s, batch, x, w3);
      double[] scale = ConvFixtures.forward(s, batch, abs(toDouble(x, 0, x.length)), mix, null, null);
      assertLinear(path + " " + s + " a=" + a, y3, y1, a, y2, scale, ConvFixtures.forwardTerms(s));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void identityKernelIsTheIdentity(Path path) {
    qt().withExamples(EXAMPLES).forAll(range(1, 17), range(1, 70), range(1, 2), seeds())
        .checkAssert((c, len, dil, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          int batch = 1 + r.nextInt(3);
          boolean twoD = r.nextBoolean();
          ConvShape s = twoD
              ? new ConvShape(c, c, 1 + len % 5, len, 1, 1, 1, 1, 0, 0, dil, dil)
              : ConvShape.of1d(c, c, len, 1, 1, 0, dil);
          float[] w = new float[c * c];
          for (int k = 0; k < c; k++) {
            w[k * c + k] = 1f;
          }
          float[] x = ConvFixtures.gaussian(r, batch * s.inputSize());
          float[] y = run(path.conv(), s, batch, x, w);
          // x·1 + Σ 0·x' is exact in float whatever the order: bit-identical
          for (int k = 0; k < x.length; k++) {
            assertEquals(Float.floatToIntBits(x[k]), Float.floatToIntBits(y[k]),
                path + " " + s + ": identity changed element " + k + " from " + x[k] + " to " + y[k]);
          }
          float[] dx = new float[x.length];
          path.conv().backwardInput(s, batch, x, 0, w, 0, dx, 0, new float[path.conv().workspaceSize(s, batch)]);
          for (int k = 0; k < x.length; k++) {
            assertEquals(Float.floatToIntBits(x[k]), Float.floatToIntBits(dx[k]),
                path + " " + s + ": identity backwardInput changed element " + k);
          }
        });
  }

  /** Each SIMD path is within the bound of the definition, as the scalar path is: they differ by at most twice it. */
  @Test
  void simdAgreesWithScalar() {
    Assumptions.assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    Convolution scalar = KernelProvider.scalar().convolution();
    List<Path> simd = ConvFixtures.paths().stream().filter(p -> !p.name().equals("scalar")).toList();
    qt().withExamples(EXAMPLES).forAll(shapes(), seeds()).checkAssert((s, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      int batch = 1 + r.nextInt(2);
      float[] x = ConvFixtures.gaussian(r, batch * s.inputSize());
      float[] w = ConvFixtures.gaussian(r, s.weightSize());
      float[] b = ConvFixtures.gaussian(r, s.outChannels());
      float[] dy = ConvFixtures.gaussian(r, batch * s.outputSize());
      Outputs want = Outputs.of(scalar, s, batch, x, w, b, dy);
      double[] xd = abs(toDouble(x, 0, x.length)), wd = abs(toDouble(w, 0, w.length));
      double[] dyd = abs(toDouble(dy, 0, dy.length));
      double[] absY = ConvFixtures.forward(s, batch, xd, wd, abs(toDouble(b, 0, b.length)), null);
      double[] absDx = ConvFixtures.backwardInput(s, batch, dyd, wd, null);
      double[] absDw = ConvFixtures.backwardWeights(s, batch, xd, dyd, null);
      for (Path p : simd) {
        Outputs got = Outputs.of(p.conv(), s, batch, x, w, b, dy);
        String what = p + " vs scalar " + s;
        close(what + " forward", got.y, want.y, absY, ConvFixtures.forwardTerms(s));
        close(what + " backwardInput", got.dx, want.dx, absDx, ConvFixtures.backwardInputTerms(s));
        close(what + " backwardWeights", got.dw, want.dw, absDw, ConvFixtures.backwardWeightsTerms(s, batch));
      }
    });
  }

  private record Outputs(float[] y, float[] dx, float[] dw) {
    static Outputs of(Convolution conv, ConvShape s, int batch, float[] x, float[] w, float[] b, float[] dy) {
      float[] ws = new float[conv.workspaceSize(s, batch)];
      float[] y = new float[batch * s.outputSize()];
      float[] dx = new float[x.length];
      float[] dw = new float[w.length];
      conv.forward(s, batch, x, 0, w, 0, b, 0, y, 0, ws);
      conv.backwardInput(s, batch, dy, 0, w, 0, dx, 0, ws);
      conv.backwardWeights(s, batch, x, 0, dy, 0, dw, 0, null, 0, ws);
      return new Outputs(y, dx, dw);
    }
  }

  private static void close(String what, float[] got, float[] want, double[] abs, long terms) {
    double factor = 2 * 2.0 * (terms + 2) * U;
    for (int k = 0; k < got.length; k++) {
      double tol = factor * abs[k] + 1e-30;
      assertTrue(Math.abs(got[k] - want[k]) <= tol,
          what + ": element " + k + " is " + got[k] + ", scalar gives " + want[k] + " (tolerance " + tol + ")");
    }
  }

  private static float[] run(Convolution conv, ConvShape s, int batch, float[] x, float[] w) {
    float[] y = new float[batch * s.outputSize()];
    conv.forward(s, batch, x, 0, w, 0, null, 0, y, 0, new float[conv.workspaceSize(s, batch)]);
    return y;
  }

  private static void assertLinear(String what, float[] y3, float[] y1, float a, float[] y2, double[] scale,
                                   long terms) {
    double eps = 2.0 * (terms + 2) * U;
    for (int k = 0; k < y3.length; k++) {
      double expect = a * (double) y1[k] + y2[k];
      double tol = (2 * eps + 4 * U) * scale[k] + 1e-30;
      assertTrue(Math.abs(y3[k] - expect) <= tol,
          what + ": conv(a*x1 + x2)[" + k + "] = " + y3[k] + " but a*conv(x1) + conv(x2) = " + expect
              + " (tolerance " + tol + ")");
    }
  }
}
