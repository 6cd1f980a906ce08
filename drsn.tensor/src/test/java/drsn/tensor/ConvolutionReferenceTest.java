package drsn.tensor;

import static drsn.tensor.ConvFixtures.assertUntouchedOutside;
import static drsn.tensor.ConvFixtures.assertWithinBound;
import static drsn.tensor.ConvFixtures.embedded;
import static drsn.tensor.ConvFixtures.toDouble;

import drsn.tensor.ConvFixtures.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every convolution path (scalar; SIMD im2col, direct and automatic when the Vector API is
 * present) against the direct definitions computed in double, on random 1-D and 2-D shapes and on
 * every width from 1 to 130 (tails around lane counts 4, 8 and 16 and the direct kernel's 4-vector blocks), with the error bound of
 * {@link ConvFixtures}. Arrays sit at random offsets inside NaN padding: the kernels must neither
 * read the NaN around their ranges nor write there, and must overwrite (not read) y and dx and the
 * NaN-filled workspace.
 */
class ConvolutionReferenceTest {

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void random1dShapesMatchTheDefinition(Path path) {
    SplittableRandom r = new SplittableRandom(11);
    for (int t = 0; t < 60; t++) {
      check(path, ConvFixtures.randomShape(r, false), 1 + r.nextInt(3), r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void random2dShapesMatchTheDefinition(Path path) {
    SplittableRandom r = new SplittableRandom(12);
    for (int t = 0; t < 40; t++) {
      check(path, ConvFixtures.randomShape(r, true), 1 + r.nextInt(2), r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void everyWidthUpToThreeVectorsPlusOne(Path path) {
    SplittableRandom r = new SplittableRandom(13);
    // the paper's block (k=3, pad 1, stride 1 or 2) and a dilated 5-tap kernel, channels off multiples of 4
    int[][] configs = {{3, 1, 1, 1}, {3, 2, 1, 1}, {5, 1, 2, 2}, {2, 3, 0, 1}};
    for (int width = 1; width <= 8 * 16 + 2; width++) { // stride 2 reaches the 4-vector blocks past 128
      for (int[] k : configs) {
        if (width + 2 * k[2] < k[3] * (k[0] - 1) + 1) {
          continue;
        }
        check(path, ConvShape.of1d(5, 6, width, k[0], k[1], k[2], k[3]), 2, r);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void paperShapes(Path path) {
    SplittableRandom r = new SplittableRandom(14);
    for (int c : new int[] {4, 8, 16}) {
      check(path, ConvShape.of1d(c, c, 128, 3, 1, 1, 1), 2, r);
      check(path, ConvShape.of1d(c, 2 * c, 128, 3, 2, 1, 1), 2, r);
    }
  }

  /**
   * Samples long enough that the direct 1-D weight gradient takes the batch in several chunks
   * (it keeps about 64 Ki floats of padded input and dy per chunk), with a partial last chunk.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void longSamplesInSeveralChunks(Path path) {
    SplittableRandom r = new SplittableRandom(17);
    check(path, ConvShape.of1d(4, 4, 3000, 3, 1, 1, 1), 3, r); // chunks of 2 and 1
    check(path, ConvShape.of1d(3, 8, 10001, 3, 2, 1, 1), 3, r); // chunks of 1
  }

  /**
   * Height 1 but padded vertically (so three output rows), wide enough for the direct kernel's
   * 4-vector blocks: not the 1-D layout, whatever height and kernel height say.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void heightOneWithVerticalPaddingIsNotOneD(Path path) {
    SplittableRandom r = new SplittableRandom(16);
    for (int sW = 1; sW <= 2; sW++) {
      check(path, new ConvShape(3, 5, 1, 150, 1, 3, 1, sW, 1, 1, 1, 1), 2, r);
    }
  }

  /** Taps that never land inside the input (all their positions are padding), with arrays at offset 0. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void tapsEntirelyInThePadding(Path path) {
    ConvShape[] shapes = {
        ConvShape.of1d(1, 1, 1, 3, 1, 2, 2),
        ConvShape.of1d(2, 3, 2, 5, 1, 2, 1),
        new ConvShape(2, 2, 1, 1, 3, 3, 1, 1, 2, 2, 2, 2),
    };
    for (ConvShape s : shapes) {
      Convolution conv = path.conv();
      SplittableRandom r = new SplittableRandom(15);
      float[] x = ConvFixtures.gaussian(r, s.inputSize());
      float[] w = ConvFixtures.gaussian(r, s.weightSize());
      float[] y = new float[s.outputSize()];
      float[] ws = new float[conv.workspaceSize(s, 1)];
      conv.forward(s, 1, x, 0, w, 0, null, 0, y, 0, ws);
      double[] abs = new double[y.length];
      double[] want = ConvFixtures.forward(s, 1, toDouble(x, 0, x.length), toDouble(w, 0, w.length), null, abs);
      assertWithinBound(path + " " + s, y, 0, want, abs, ConvFixtures.forwardTerms(s));
      float[] dx = new float[x.length];
      conv.backwardInput(s, 1, y, 0, w, 0, dx, 0, ws);
      float[] dw = new float[w.length];
      conv.backwardWeights(s, 1, x, 0, y, 0, dw, 0, null, 0, ws);
    }
  }

  static void check(Path path, ConvShape s, int batch, SplittableRandom r) {
    Convolution conv = path.conv();
    String what = path.name() + " " + s + " batch " + batch;
    int inN = batch * s.inputSize(), outN = batch * s.outputSize();
    int xOff = r.nextInt(5), wOff = r.nextInt(5), bOff = r.nextInt(5), yOff = r.nextInt(5);
    float[] x = embedded(r, xOff, inN, 3);
    float[] w = embedded(r, wOff, s.weightSize(), 3);
    boolean withBias = r.nextInt(4) != 0;
    float[] b = withBias ? embedded(r, bOff, s.outChannels(), 3) : null;
    float[] ws = ConvFixtures.nanArray(conv.workspaceSize(s, batch) + r.nextInt(3));

    double[] xd = toDouble(x, xOff, inN), wd = toDouble(w, wOff, s.weightSize());
    double[] bd = withBias ? toDouble(b, bOff, s.outChannels()) : null;

    // forward, y overwritten
    float[] y = ConvFixtures.nanArray(yOff + outN + 3);
    conv.forward(s, batch, x, xOff, w, wOff, b, bOff, y, yOff, ws);
    double[] absY = new double[outN];
    double[] yRef = ConvFixtures.forward(s, batch, xd, wd, bd, absY);
    assertWithinBound(what + " forward", y, yOff, yRef, absY, ConvFixtures.forwardTerms(s));
    assertUntouchedOutside(what + " forward y", y, yOff, yOff + outN);

    // backward input, dx overwritten
    float[] dy = embedded(r, yOff, outN, 3);
    double[] dyd = toDouble(dy, yOff, outN);
    Arrays.fill(ws, Float.NaN);
    float[] dx = ConvFixtures.nanArray(xOff + inN + 3);
    conv.backwardInput(s, batch, dy, yOff, w, wOff, dx, xOff, ws);
    double[] absDx = new double[inN];
    double[] dxRef = ConvFixtures.backwardInput(s, batch, dyd, wd, absDx);
    assertWithinBound(what + " backwardInput", dx, xOff, dxRef, absDx, ConvFixtures.backwardInputTerms(s));
    assertUntouchedOutside(what + " backwardInput dx", dx, xOff, xOff + inN);

    // backward weights, added into the previous dw and dbias
    Arrays.fill(ws, Float.NaN);
    float[] dw = embedded(r, wOff, s.weightSize(), 3);
    float[] db = embedded(r, bOff, s.outChannels(), 3);
    double[] dw0 = toDouble(dw, wOff, s.weightSize()), db0 = toDouble(db, bOff, s.outChannels());
    conv.backwardWeights(s, batch, x, xOff, dy, yOff, dw, wOff, db, bOff, ws);
    double[] absDw = ConvFixtures.abs(dw0);
    double[] dwRef = ConvFixtures.backwardWeights(s, batch, xd, dyd, absDw);
    double[] absDb = ConvFixtures.abs(db0);
    double[] dbRef = ConvFixtures.backwardBias(s, batch, dyd, absDb);
    for (int k = 0; k < dwRef.length; k++) {
      dwRef[k] += dw0[k];
    }
    for (int k = 0; k < dbRef.length; k++) {
      dbRef[k] += db0[k];
    }
    long terms = ConvFixtures.backwardWeightsTerms(s, batch);
    assertWithinBound(what + " backwardWeights dw", dw, wOff, dwRef, absDw, terms);
    assertWithinBound(what + " backwardWeights dbias", db, bOff, dbRef, absDb, terms);
    assertUntouchedOutside(what + " dw", dw, wOff, wOff + s.weightSize());
  }

}
