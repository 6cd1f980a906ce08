package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import drsn.tensor.ConvFixtures.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * {@link Convolution#forwardPairAffineReluPrepacked} (a residual branch at inference, the second
 * batch norm's map applied as the first convolution's results leave the kernel) bit for bit its
 * definition, {@link Convolution#forwardAffineReluPrepacked} twice, on every path: on
 * QuickTheories' pairs of 1-D shapes (the first's output channels mostly multiples of 4, rows from
 * narrower than a vector to several, first strides 1–2, second strides 1–2, kernels 1–5) and on the
 * paper's branches, ±0 at both ReLUs' boundaries and NaN included, with the intermediate, the
 * scratch and the workspace full of NaN beforehand; bad arguments are refused with their names.
 */
class ConvolutionPairTest {

  private static final int EXAMPLES = 150;

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  /** Two 1-D shapes in a row: the second's input is the first's output. */
  record Pair(ConvShape first, ConvShape second) {
  }

  static Gen<Pair> pairs() {
    return integers().between(1, 17).zip(integers().between(1, 20), integers().between(1, 150),
        integers().between(0, 1_000_000), (ci, co, width, g) -> {
          int mid = g % 4 == 0 ? co : 4 * (1 + co % 5); // mostly the fused path's multiples of 4
          int k1 = g / 4 % 5 == 4 ? 1 + g / 20 % 5 : 3;
          int k2 = g / 100 % 5 == 4 ? 1 + g / 500 % 5 : 3;
          int stride1 = 1 + g / 2500 % 2;
          int stride2 = g / 5000 % 6 == 5 ? 2 : 1;
          try {
            ConvShape first = ConvShape.of1d(ci, mid, width, k1, stride1, (k1 - 1) / 2, 1);
            ConvShape second = ConvShape.of1d(mid, 1 + g / 30000 % 20, first.outWidth(), k2, stride2, (k2 - 1) / 2,
                1);
            return new Pair(first, second);
          } catch (IllegalArgumentException kernelTooLarge) {
            return null;
          }
        }).assuming(Objects::nonNull).describedAs(p -> p.first() + " then " + p.second());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void aPairIsTwoAffineReluForwardsBitForBit(Path path) {
    qt().withExamples(EXAMPLES).forAll(pairs(), ConvolutionPropertiesTest.seeds())
        .checkAssert((p, seed) -> check(path.conv(), p.first(), p.second(), seed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void thePapersBranchesAreTwoAffineReluForwardsBitForBit(Path path) {
    int[][] branches = { // in, out, length, first's stride (DRSN-CW at L = 2048: each stage's units)
        {4, 4, 1024, 2}, {4, 4, 512, 1}, {4, 8, 512, 2}, {8, 8, 256, 1}, {8, 16, 256, 2}, {16, 16, 128, 1}};
    long seed = 1;
    for (int[] b : branches) {
      ConvShape first = ConvShape.of1d(b[0], b[1], b[2], 3, b[3], 1, 1);
      ConvShape second = ConvShape.of1d(b[1], b[1], first.outWidth(), 3, 1, 1, 1);
      for (int batch = 1; batch <= 3; batch++) {
        check(path.conv(), first, second, 1000 * seed++ + batch);
      }
    }
  }

  private static void check(Convolution conv, ConvShape s1, ConvShape s2, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int batch = seed % 3 == 0 ? 1 + r.nextInt(3) : 1;
    float[] z = ConvFixtures.gaussian(r, 1 + batch * s1.inputSize());
    for (int i = 1; i < z.length; i++) {
      int roll = r.nextInt(25);
      if (roll == 0) {
        z[i] = r.nextBoolean() ? 0f : -0f; // with a shift of 0: the first ReLU's boundary
      } else if (roll == 1 && seed % 5 == 0) {
        z[i] = Float.NaN;
      }
    }
    float[] scale1 = ConvFixtures.gaussian(r, s1.inChannels());
    float[] shift1 = ConvFixtures.gaussian(r, s1.inChannels());
    shift1[r.nextInt(shift1.length)] = 0f;
    float[] scale2 = ConvFixtures.gaussian(r, 2 + s2.inChannels());
    float[] shift2 = ConvFixtures.gaussian(r, 1 + s2.inChannels());
    shift2[1 + r.nextInt(s2.inChannels())] = r.nextBoolean() ? 0f : -0f;
    scale2[2 + r.nextInt(s2.inChannels())] = 0f; // the second ReLU's boundary: fma(m, 0, ±0)
    float[] w = ConvFixtures.gaussian(r, 5 + s1.weightSize() + s2.weightSize());
    int w1Off = 5;
    int w2Off = 5 + s1.weightSize();
    float[] b1 = r.nextBoolean() ? ConvFixtures.gaussian(r, s1.outChannels()) : null;
    float[] b2 = r.nextBoolean() ? ConvFixtures.gaussian(r, s2.outChannels()) : null;
    float[] packed1 = new float[conv.packedForwardWeightsSize(s1)];
    conv.packForwardWeights(s1, w, w1Off, packed1, 0);
    float[] packed2 = new float[3 + conv.packedForwardWeightsSize(s2)];
    conv.packForwardWeights(s2, w, w2Off, packed2, 3);

    float[] scratch = new float[batch * Math.max(s1.inputSize(), s2.inputSize())];
    float[] mid = new float[batch * s1.outputSize()];
    float[] want = new float[batch * s2.outputSize()];
    float[] ws = new float[Math.max(conv.workspaceSize(s1, batch), conv.workspaceSize(s2, batch))];
    conv.forwardAffineReluPrepacked(s1, batch, z, 1, scale1, 0, shift1, 0, scratch, w, w1Off, packed1, 0, b1, 0, mid,
        0, ws);
    conv.forwardAffineReluPrepacked(s2, batch, mid, 0, scale2, 2, shift2, 1, scratch, w, w2Off, packed2, 3, b2, 0,
        want, 0, ws);

    FoldedConvolution first = new FoldedConvolution(s1, scale1, 0, shift1, 0, w, w1Off, packed1, 0, b1, 0);
    FoldedConvolution second = new FoldedConvolution(s2, scale2, 2, shift2, 1, w, w2Off, packed2, 3, b2, 0);
    float[] pairWs = new float[conv.pairWorkspaceSize(s1, s2, batch)];
    Arrays.fill(pairWs, Float.NaN);
    Arrays.fill(scratch, Float.NaN);
    Arrays.fill(mid, Float.NaN);
    float[] got = new float[2 + want.length];
    Arrays.fill(got, Float.NaN);
    conv.forwardPairAffineReluPrepacked(first, second, batch, z, 1, mid, scratch, got, 2, pairWs);
    String what = s1 + " then " + s2 + " batch " + batch;
    for (int k = 0; k < want.length; k++) {
      assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[2 + k]), what + ": element " + k);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void badArgumentsAreNamed(Path path) {
    Convolution conv = path.conv();
    ConvShape s1 = ConvShape.of1d(8, 8, 64, 3, 1, 1, 1);
    ConvShape s2 = ConvShape.of1d(8, 8, 64, 3, 1, 1, 1);
    float[] c8 = new float[8];
    float[] w = new float[s1.weightSize()];
    float[] packed = new float[conv.packedForwardWeightsSize(s1)];
    FoldedConvolution first = new FoldedConvolution(s1, c8, 0, c8, 0, w, 0, packed, 0, null, 0);
    FoldedConvolution second = new FoldedConvolution(s2, c8, 0, c8, 0, w, 0, packed, 0, null, 0);
    float[] z = new float[s1.inputSize()];
    float[] mid = new float[s1.outputSize()];
    float[] x = new float[s1.inputSize()];
    float[] y = new float[s2.outputSize()];
    float[] ws = new float[conv.pairWorkspaceSize(s1, s2, 1)];

    ConvShape wider = ConvShape.of1d(8, 8, 65, 3, 1, 1, 1);
    FoldedConvolution mismatched = new FoldedConvolution(wider, c8, 0, c8, 0, w, 0,
        new float[conv.packedForwardWeightsSize(wider)], 0, null, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.forwardPairAffineReluPrepacked(first, mismatched, 1, z, 0, mid, x, y, 0, ws));
    assertTrue(e.getMessage().contains("second convolution's input"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> conv.forwardPairAffineReluPrepacked(first, second, 1, z, 0, new float[7], x, y, 0, ws));
    assertTrue(e.getMessage().contains("mid"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> conv.forwardPairAffineReluPrepacked(first, second, 1, new float[9], 0, mid, x, y, 0, ws));
    assertTrue(e.getMessage().contains("z"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> conv.forwardPairAffineReluPrepacked(first, second, 1, z, 0, mid, x, new float[3], 0, ws));
    assertTrue(e.getMessage().contains("y"), e.getMessage());
    if (ws.length > 0) {
      e = assertThrows(IllegalArgumentException.class,
          () -> conv.forwardPairAffineReluPrepacked(first, second, 1, z, 0, mid, x, y, 0,
              new float[ws.length - 1]));
      assertTrue(e.getMessage().contains("workspace"), e.getMessage());
    }
    e = assertThrows(IllegalArgumentException.class,
        () -> conv.forwardPairAffineReluPrepacked(null, second, 1, z, 0, mid, x, y, 0, ws));
    assertTrue(e.getMessage().contains("shapes"), e.getMessage());
  }

  @Test
  void aFoldedConvolutionNeedsItsArrays() {
    ConvShape s = ConvShape.of1d(4, 4, 32, 3, 1, 1, 1);
    float[] a = new float[64];
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> new FoldedConvolution(s, null, 0, a, 0, a, 0, a, 0, null, 0));
    assertTrue(e.getMessage().contains("scale"), e.getMessage());
  }
}
