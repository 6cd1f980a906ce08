package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import drsn.tensor.ConvFixtures.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * The shapes whose 1-D weight gradient the direct kernels take with vectors across input channels
 * (kernel 3, stride 1, no dilation, 16 or 32 input channels, output channels a multiple of 8: the
 * DRSN's 16 → 16 units), which the random shapes of {@code ConvolutionPropertiesTest} almost never
 * draw, beside the DRSN's other shapes that take the blocks of positions × taps (4 and 8 input
 * channels, strides 1 and 2, and output counts that are not multiples of 8): within the rounding
 * bound of the definition on every path, with and without a bias gradient and added to what dw
 * held; and {@link Convolution#backwardWeightsFromBatchNormRelu} bit for bit batch norm's output
 * then backwardWeights on them. Widths cover a row narrower than the kernel's reach with padding,
 * a few lanes, and several vectors; padding 0–2; batches 1–3.
 */
class ConvolutionWeightsOverChannelsTest {

  private static final int EXAMPLES = 80;

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  private static final int[] IN = {4, 8, 16, 32};
  private static final int[] OUT = {4, 8, 12, 16, 24};

  /**
   * inC in {4, 8, 16, 32}, outC in {4, 8, 12, 16, 24}, width 1..140, stride 1 at 16+ input channels
   * and 1..2 below, pad 0..2; kernel 3, no dilation.
   */
  static Gen<ConvShape> shapes() {
    return integers().between(0, IN.length - 1).zip(integers().between(0, OUT.length - 1),
        integers().between(1, 140), integers().between(0, 5), (ci, co, width, sp) -> {
          int stride = IN[ci] >= 16 ? 1 : 1 + sp % 2;
          try {
            return ConvShape.of1d(IN[ci], OUT[co], width, 3, stride, sp / 2, 1);
          } catch (IllegalArgumentException kernelTooLarge) {
            return null;
          }
        }).assuming(Objects::nonNull).describedAs(Objects::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void weightGradientIsWithinTheBoundOfTheDefinition(Path path) {
    qt().withExamples(EXAMPLES).forAll(shapes(), ConvolutionPropertiesTest.seeds()).checkAssert((s, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      int batch = 1 + r.nextInt(3);
      float[] x = ConvFixtures.gaussian(r, batch * s.inputSize());
      float[] dy = ConvFixtures.gaussian(r, batch * s.outputSize());
      float[] dw0 = ConvFixtures.gaussian(r, s.weightSize());
      float[] db0 = r.nextBoolean() ? ConvFixtures.gaussian(r, s.outChannels()) : null;
      double[] abs = new double[s.weightSize()];
      double[] want = ConvFixtures.backwardWeights(s, batch, toDouble(x), toDouble(dy), abs);
      for (int k = 0; k < want.length; k++) {
        want[k] += dw0[k];
        abs[k] += Math.abs(dw0[k]);
      }
      float[] ws = new float[path.conv().workspaceSize(s, batch)];
      Arrays.fill(ws, Float.NaN);
      float[] dw = dw0.clone();
      float[] db = db0 == null ? null : db0.clone();
      path.conv().backwardWeights(s, batch, x, 0, dy, 0, dw, 0, db, 0, ws);
      ConvFixtures.assertWithinBound(path + " " + s + " batch " + batch + ": dw", dw, 0, want, abs,
          ConvFixtures.backwardWeightsTerms(s, batch));
      if (db != null) {
        double[] dbAbs = new double[s.outChannels()];
        double[] dbWant = ConvFixtures.backwardBias(s, batch, toDouble(dy), dbAbs);
        for (int o = 0; o < dbWant.length; o++) {
          dbWant[o] += db0[o];
          dbAbs[o] += Math.abs(db0[o]);
        }
        ConvFixtures.assertWithinBound(path + " " + s + ": dbias", db, 0, dbWant, dbAbs,
            ConvFixtures.backwardWeightsTerms(s, batch));
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void fromBatchNormReluIsBatchNormThenBackwardWeightsBitForBit(Path path) {
    Elementwise ew = path.name().equals("scalar") ? KernelProvider.scalar().elementwise()
        : KernelProvider.simd().orElseThrow().elementwise();
    qt().withExamples(EXAMPLES).forAll(shapes(), ConvolutionPropertiesTest.seeds()).checkAssert((s, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      int batch = 1 + r.nextInt(3);
      int c = s.inChannels();
      float[] z = ConvFixtures.gaussian(r, batch * s.inputSize());
      float[] mean = ConvFixtures.gaussian(r, c);
      float[] invStd = new float[c];
      for (int ch = 0; ch < c; ch++) {
        invStd[ch] = (float) r.nextDouble(0.25, 4);
      }
      float[] gamma = ConvFixtures.gaussian(r, c);
      float[] beta = ConvFixtures.gaussian(r, c);
      z[r.nextInt(z.length)] = Float.NaN;
      float[] dy = ConvFixtures.gaussian(r, batch * s.outputSize());
      float[] xs = new float[z.length];
      ew.batchNormForward(batch, c, s.width(), z, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, xs, 0, true);
      float[] ws = new float[path.conv().workspaceSize(s, batch)];
      float[] want = new float[s.weightSize()];
      path.conv().backwardWeights(s, batch, xs, 0, dy, 0, want, 0, null, 0, ws);
      float[] got = new float[s.weightSize()];
      float[] scratch = new float[z.length];
      Arrays.fill(scratch, Float.NaN);
      Arrays.fill(ws, Float.NaN);
      path.conv().backwardWeightsFromBatchNormRelu(s, batch, z, 0, mean, 0, invStd, 0, gamma, 0, beta, 0, scratch,
          dy, 0, got, 0, null, 0, ws);
      for (int k = 0; k < want.length; k++) {
        assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]),
            path + " " + s + " batch " + batch + ": dw differs at " + k);
      }
    });
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
