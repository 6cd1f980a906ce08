package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import drsn.tensor.ConvFixtures.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Convolution#backwardWeightsFromBatchNormRelu} and {@link Convolution#forwardFromBatchNormRelu}
 * against their definition: batch norm's training forward with its ReLU
 * ({@link Elementwise#batchNormForward}, the same provider's) into a buffer, then
 * {@link Convolution#backwardWeights} or {@link Convolution#forward} over it, bit for bit, on every path (scalar,
 * SIMD im2col, direct, automatic) and on QuickTheories' shapes (1-D and 2-D, strides 1..3, so the
 * direct kernels' own stride-1 and stride-2 copies and the default for the rest); some z are the
 * channel mean exactly with β = 0 (the ReLU's boundary) and a few are NaN. And bad arguments are
 * refused with the name of what was wrong.
 */
class ConvolutionFromBatchNormReluTest {

  private static final int EXAMPLES = 150;

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  private static Elementwise elementwiseOf(Path path) {
    return path.name().equals("scalar") ? KernelProvider.scalar().elementwise()
        : KernelProvider.simd().orElseThrow().elementwise();
  }

  /** A batch norm's input and statistics: some z are the channel mean exactly with β = 0 (the ReLU's boundary), a few NaN. */
  private record Input(int batch, float[] z, float[] mean, float[] invStd, float[] gamma, float[] beta) {

    static Input of(ConvShape s, long seed, SplittableRandom r) {
      int batch = 1 + r.nextInt(3);
      int c = s.inChannels();
      int plane = s.height() * s.width();
      float[] z = ConvFixtures.gaussian(r, batch * s.inputSize());
      float[] mean = ConvFixtures.gaussian(r, c);
      float[] invStd = new float[c];
      float[] gamma = ConvFixtures.gaussian(r, c);
      float[] beta = ConvFixtures.gaussian(r, c);
      for (int ch = 0; ch < c; ch++) {
        invStd[ch] = (float) r.nextDouble(0.25, 4);
      }
      beta[r.nextInt(c)] = 0f;
      for (int i = 0; i < z.length; i++) {
        int roll = r.nextInt(20);
        if (roll == 0) {
          z[i] = mean[(i / plane) % c];
        } else if (roll == 1 && seed % 3 == 0) {
          z[i] = Float.NaN;
        }
      }
      return new Input(batch, z, mean, invStd, gamma, beta);
    }

    /** Batch norm's training forward with its ReLU, as the provider computes it. */
    float[] normalized(Elementwise ew, ConvShape s) {
      float[] x = new float[z.length];
      ew.batchNormForward(batch, s.inChannels(), s.height() * s.width(), z, 0, mean, 0, invStd, 0, gamma, 0, beta, 0,
          x, 0, true);
      return x;
    }

    /** Scratch of x's size full of NaN: whatever it held must not matter. */
    float[] scratch() {
      float[] scratch = new float[z.length];
      Arrays.fill(scratch, Float.NaN);
      return scratch;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void isBatchNormForwardWithReluThenBackwardWeightsBitForBit(Path path) {
    Elementwise ew = elementwiseOf(path);
    qt().withExamples(EXAMPLES).forAll(ConvolutionPropertiesTest.shapes(), ConvolutionPropertiesTest.seeds())
        .checkAssert((s, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          Input in = Input.of(s, seed, r);
          int batch = in.batch();
          float[] dy = ConvFixtures.gaussian(r, batch * s.outputSize());
          float[] dw0 = ConvFixtures.gaussian(r, s.weightSize());
          float[] db0 = ConvFixtures.gaussian(r, s.outChannels());
          float[] ws = new float[path.conv().workspaceSize(s, batch)];

          float[] dwWant = dw0.clone();
          float[] dbWant = db0.clone();
          path.conv().backwardWeights(s, batch, in.normalized(ew, s), 0, dy, 0, dwWant, 0, dbWant, 0, ws);

          float[] dwGot = dw0.clone();
          float[] dbGot = db0.clone();
          Arrays.fill(ws, Float.NaN);
          path.conv().backwardWeightsFromBatchNormRelu(s, batch, in.z(), 0, in.mean(), 0, in.invStd(), 0, in.gamma(),
              0, in.beta(), 0, in.scratch(), dy, 0, dwGot, 0, dbGot, 0, ws);
          String at = path + " " + s + " batch " + batch;
          assertTrue(sameBits(dwWant, dwGot), "dw, " + at);
          assertTrue(sameBits(dbWant, dbGot), "dbias, " + at);
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void isBatchNormForwardWithReluThenForwardBitForBit(Path path) {
    Elementwise ew = elementwiseOf(path);
    qt().withExamples(EXAMPLES).forAll(ConvolutionPropertiesTest.shapes(), ConvolutionPropertiesTest.seeds())
        .checkAssert((s, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          Input in = Input.of(s, seed, r);
          int batch = in.batch();
          float[] w = ConvFixtures.gaussian(r, s.weightSize());
          float[] bias = seed % 2 == 0 ? ConvFixtures.gaussian(r, s.outChannels()) : null;
          float[] ws = new float[path.conv().workspaceSize(s, batch)];

          float[] want = new float[batch * s.outputSize()];
          path.conv().forward(s, batch, in.normalized(ew, s), 0, w, 0, bias, 0, want, 0, ws);

          float[] got = new float[want.length + 3];
          Arrays.fill(got, Float.NaN);
          Arrays.fill(ws, Float.NaN);
          path.conv().forwardFromBatchNormRelu(s, batch, in.z(), 0, in.mean(), 0, in.invStd(), 0, in.gamma(), 0,
              in.beta(), 0, in.scratch(), w, 0, bias, 0, got, 3, ws);
          assertTrue(sameBits(want, Arrays.copyOfRange(got, 3, got.length)), path + " " + s + " batch " + batch);
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void badArgumentsAreNamed(Path path) {
    ConvShape s = ConvShape.of1d(4, 4, 64, 3, 1, 1, 1);
    int batch = 2;
    float[] z = new float[batch * s.inputSize()];
    float[] x = new float[batch * s.inputSize()];
    float[] c4 = new float[4];
    float[] dy = new float[batch * s.outputSize()];
    float[] dw = new float[s.weightSize()];
    float[] ws = new float[path.conv().workspaceSize(s, batch)];
    Convolution k = path.conv();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        k.backwardWeightsFromBatchNormRelu(s, batch, new float[10], 0, c4, 0, c4, 0, c4, 0, c4, 0, x, dy, 0, dw, 0,
            null, 0, ws));
    assertTrue(e.getMessage().contains("z"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        k.backwardWeightsFromBatchNormRelu(s, batch, z, 0, new float[3], 0, c4, 0, c4, 0, c4, 0, x, dy, 0, dw, 0,
            null, 0, ws));
    assertTrue(e.getMessage().contains("mean"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        k.backwardWeightsFromBatchNormRelu(s, batch, z, 0, c4, 0, c4, 0, c4, 0, c4, 0, new float[5], dy, 0, dw, 0,
            null, 0, ws));
    assertTrue(e.getMessage().contains("x"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        k.backwardWeightsFromBatchNormRelu(s, batch, z, 0, c4, 0, c4, 0, c4, 0, c4, 0, x, new float[3], 0, dw, 0,
            null, 0, ws));
    assertTrue(e.getMessage().contains("dy"), e.getMessage());

    float[] w = new float[s.weightSize()];
    float[] y = new float[batch * s.outputSize()];
    e = assertThrows(IllegalArgumentException.class, () ->
        k.forwardFromBatchNormRelu(s, batch, new float[10], 0, c4, 0, c4, 0, c4, 0, c4, 0, x, w, 0, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("z"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        k.forwardFromBatchNormRelu(s, batch, z, 0, c4, 0, new float[2], 0, c4, 0, c4, 0, x, w, 0, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("invStd"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        k.forwardFromBatchNormRelu(s, batch, z, 0, c4, 0, c4, 0, c4, 0, c4, 0, x, new float[3], 0, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("w"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        k.forwardFromBatchNormRelu(s, batch, z, 0, c4, 0, c4, 0, c4, 0, c4, 0, x, w, 0, null, 0, new float[7], 0, ws));
    assertTrue(e.getMessage().contains("y"), e.getMessage());
  }

  private static boolean sameBits(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (!KernelPairs.sameBits(a[i], b[i])) {
        return false;
      }
    }
    return a.length == b.length;
  }
}
