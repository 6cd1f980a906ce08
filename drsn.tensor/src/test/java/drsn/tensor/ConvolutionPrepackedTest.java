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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;

/**
 * {@link Convolution#forwardPrepacked} with weights packed once by
 * {@link Convolution#packForwardWeights} gives {@link Convolution#forward}'s bits on every path, at
 * batch 1 (where the direct kernels would not pack per call) and above, on QuickTheories' 1-D
 * shapes of 1–24 output channels (the blocks of 8 and what is left after them) and on the general
 * random shapes; {@link Convolution#forwardAffineReluPrepacked} (an inference's batch norm folded
 * into the convolution's copy) bit for bit {@link Elementwise#affineRelu} then the forward, ±0 at the
 * ReLU's boundary and NaN included, strides 1–3; bad arguments are refused with their names.
 */
class ConvolutionPrepackedTest {

  private static final int EXAMPLES = 120;

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  /** 1-D: 1..16 input and 1..24 output channels, width 1..140, kernel 1..5, stride 1..3, pad 0..2. */
  static Gen<ConvShape> shapes() {
    return integers().between(1, 16).zip(integers().between(1, 24), integers().between(1, 140),
        integers().between(0, 44), (ci, co, width, g) -> {
          try {
            return ConvShape.of1d(ci, co, width, 1 + g % 5, 1 + g / 5 % 3, g / 15 % 3, 1);
          } catch (IllegalArgumentException kernelTooLarge) {
            return null;
          }
        }).assuming(Objects::nonNull).describedAs(Objects::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void prepackedForwardIsForwardBitForBit(Path path) {
    qt().withExamples(EXAMPLES).forAll(shapes(), ConvolutionPropertiesTest.seeds())
        .checkAssert((s, seed) -> check(path.conv(), s, seed));
    qt().withExamples(EXAMPLES / 2).forAll(ConvolutionPropertiesTest.shapes(), ConvolutionPropertiesTest.seeds())
        .checkAssert((s, seed) -> check(path.conv(), s, seed));
  }

  private static void check(Convolution conv, ConvShape s, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int batch = seed % 3 == 0 ? 1 + r.nextInt(5) : 1;
    float[] x = ConvFixtures.gaussian(r, batch * s.inputSize());
    float[] w = ConvFixtures.gaussian(r, 3 + s.weightSize());
    float[] b = r.nextBoolean() ? ConvFixtures.gaussian(r, s.outChannels()) : null;
    float[] ws = new float[conv.workspaceSize(s, batch)];
    float[] want = new float[batch * s.outputSize()];
    conv.forward(s, batch, x, 0, w, 3, b, 0, want, 0, ws);
    int size = conv.packedForwardWeightsSize(s);
    assertTrue(size >= 0, "packed size " + size);
    float[] packed = new float[2 + size];
    conv.packForwardWeights(s, w, 3, packed, 2);
    float[] got = new float[want.length];
    Arrays.fill(got, Float.NaN);
    Arrays.fill(ws, Float.NaN);
    conv.forwardPrepacked(s, batch, x, 0, w, 3, packed, 2, b, 0, got, 0, ws);
    assertSameBits(want, got, s + " batch " + batch);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void affineReluPrepackedIsAffineReluThenForwardBitForBit(Path path) {
    Elementwise ew = path.name().equals("scalar") ? KernelProvider.scalar().elementwise()
        : KernelProvider.simd().orElseThrow().elementwise();
    Convolution conv = path.conv();
    qt().withExamples(EXAMPLES).forAll(shapes(), ConvolutionPropertiesTest.seeds()).checkAssert((s, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      int batch = seed % 3 == 0 ? 1 + r.nextInt(5) : 1;
      int c = s.inChannels();
      int plane = s.height() * s.width();
      float[] z = ConvFixtures.gaussian(r, 1 + batch * s.inputSize());
      float[] scale = ConvFixtures.gaussian(r, c);
      float[] shift = ConvFixtures.gaussian(r, c);
      shift[r.nextInt(c)] = 0f;
      for (int i = 1; i < z.length; i++) {
        int roll = r.nextInt(25);
        if (roll == 0) {
          z[i] = 0f; // with shift 0: the ReLU's boundary, ±0
        } else if (roll == 1) {
          z[i] = -0f;
        } else if (roll == 2 && seed % 5 == 0) {
          z[i] = Float.NaN;
        }
      }
      float[] w = ConvFixtures.gaussian(r, s.weightSize());
      float[] b = r.nextBoolean() ? ConvFixtures.gaussian(r, s.outChannels()) : null;
      float[] packed = new float[conv.packedForwardWeightsSize(s)];
      conv.packForwardWeights(s, w, 0, packed, 0);
      float[] ws = new float[conv.workspaceSize(s, batch)];
      float[] x = new float[batch * s.inputSize()];
      for (int n = 0; n < batch; n++) {
        for (int ch = 0; ch < c; ch++) {
          int at = (n * c + ch) * plane;
          ew.affineRelu(z, 1 + at, scale[ch], shift[ch], x, at, plane);
        }
      }
      float[] want = new float[batch * s.outputSize()];
      conv.forward(s, batch, x, 0, w, 0, b, 0, want, 0, ws);
      float[] scratch = new float[x.length];
      Arrays.fill(scratch, Float.NaN);
      Arrays.fill(ws, Float.NaN);
      float[] got = new float[want.length];
      conv.forwardAffineReluPrepacked(s, batch, z, 1, scale, 0, shift, 0, scratch, w, 0, packed, 0, b, 0, got, 0, ws);
      assertSameBits(want, got, s + " batch " + batch);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void badAffineArgumentsAreNamed(Path path) {
    ConvShape s = ConvShape.of1d(8, 8, 64, 3, 1, 1, 1);
    Convolution conv = path.conv();
    float[] z = new float[s.inputSize()];
    float[] x = new float[s.inputSize()];
    float[] c8 = new float[8];
    float[] w = new float[s.weightSize()];
    float[] packed = new float[conv.packedForwardWeightsSize(s)];
    float[] y = new float[s.outputSize()];
    float[] ws = new float[conv.workspaceSize(s, 1)];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        conv.forwardAffineReluPrepacked(s, 1, new float[5], 0, c8, 0, c8, 0, x, w, 0, packed, 0, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("z"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        conv.forwardAffineReluPrepacked(s, 1, z, 0, new float[7], 0, c8, 0, x, w, 0, packed, 0, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("scale"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        conv.forwardAffineReluPrepacked(s, 1, z, 0, c8, 0, c8, 1, x, w, 0, packed, 0, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("shift"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        conv.forwardAffineReluPrepacked(s, 1, z, 0, c8, 0, c8, 0, x, w, 0, packed, 0, null, 0, new float[3], 0, ws));
    assertTrue(e.getMessage().contains("y"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void aPackedArrayTooShortIsNamed(Path path) {
    ConvShape s = ConvShape.of1d(16, 16, 128, 3, 1, 1, 1);
    Convolution conv = path.conv();
    int size = conv.packedForwardWeightsSize(s);
    if (size == 0) {
      return; // this path reads the weights in place: any packed array will do
    }
    float[] w = new float[s.weightSize()];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.packForwardWeights(s, w, 0, new float[size - 1], 0));
    assertTrue(e.getMessage().contains("packed"), e.getMessage());
    float[] x = new float[s.inputSize()];
    float[] y = new float[s.outputSize()];
    float[] ws = new float[conv.workspaceSize(s, 1)];
    e = assertThrows(IllegalArgumentException.class,
        () -> conv.forwardPrepacked(s, 1, x, 0, w, 0, new float[size], 1, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("packed"), e.getMessage());
  }

  private static void assertSameBits(float[] want, float[] got, String what) {
    for (int k = 0; k < want.length; k++) {
      assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]), what + ": element " + k);
    }
  }
}
