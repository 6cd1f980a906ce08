package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.ConvFixtures.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Accumulation semantics of backwardWeights, and rejection of bad arguments by every path. */
class ConvolutionArgumentsTest {

  private static final ConvShape S = ConvShape.of1d(3, 4, 20, 3, 2, 1, 1); // OW = 10
  private static final int N = 2;

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  /**
   * backwardWeights adds. With batch 1, twice the same call from zero gives exactly twice the
   * gradient (g + g is exact in float). With a larger batch the im2col path adds sample by sample,
   * so the second call's sums round differently: there the doubling holds within twice the bound
   * of {@link ConvFixtures}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void backwardWeightsAccumulates(Path path) {
    ConvShape[] shapes = {S, ConvShape.of1d(16, 16, 128, 3, 1, 1, 1), ConvShape.of2d(3, 5, 7, 9, 3, 1, 1, 1)};
    for (ConvShape s : shapes) {
      for (int batch : new int[] {1, 3}) {
        Convolution conv = path.conv();
        SplittableRandom r = new SplittableRandom(31);
        float[] x = ConvFixtures.gaussian(r, batch * s.inputSize());
        float[] dy = ConvFixtures.gaussian(r, batch * s.outputSize());
        float[] ws = new float[conv.workspaceSize(s, batch)];
        float[] once = new float[s.weightSize()], onceB = new float[s.outChannels()];
        conv.backwardWeights(s, batch, x, 0, dy, 0, once, 0, onceB, 0, ws);
        float[] twice = new float[s.weightSize()], twiceB = new float[s.outChannels()];
        conv.backwardWeights(s, batch, x, 0, dy, 0, twice, 0, twiceB, 0, ws);
        conv.backwardWeights(s, batch, x, 0, dy, 0, twice, 0, twiceB, 0, ws);
        double[] absDw = new double[once.length];
        ConvFixtures.backwardWeights(s, batch, ConvFixtures.abs(ConvFixtures.toDouble(x, 0, x.length)),
            ConvFixtures.abs(ConvFixtures.toDouble(dy, 0, dy.length)), absDw);
        double[] absDb = new double[onceB.length];
        ConvFixtures.backwardBias(s, batch, ConvFixtures.toDouble(dy, 0, dy.length), absDb);
        double factor = batch == 1 ? 0 : 2 * 2.0 * 2 * (ConvFixtures.backwardWeightsTerms(s, batch) + 2) * ConvFixtures.U;
        String what = path + " " + s + " batch " + batch;
        for (int k = 0; k < once.length; k++) {
          assertTrue(once[k] != 0f, "a gradient that is exactly 0 would make this test vacuous");
          assertTrue(Math.abs(twice[k] - 2.0 * once[k]) <= factor * absDw[k],
              what + ": dw[" + k + "] after two calls is " + twice[k] + ", after one " + once[k]);
        }
        for (int k = 0; k < onceB.length; k++) {
          assertTrue(Math.abs(twiceB[k] - 2.0 * onceB[k]) <= factor * absDb[k],
              what + ": dbias[" + k + "] after two calls is " + twiceB[k] + ", after one " + onceB[k]);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void badArgumentsAreRejectedWithWhatWasExpected(Path path) {
    Convolution c = path.conv();
    int in = N * S.inputSize(), out = N * S.outputSize(), wn = S.weightSize();
    float[] x = new float[in], y = new float[out], w = new float[wn], b = new float[4];
    float[] ws = new float[c.workspaceSize(S, N)];

    // wrong lengths for the shape and batch
    rejects(() -> c.forward(S, N, new float[in - 1], 0, w, 0, b, 0, y, 0, ws), "x", "" + in, "" + (in - 1));
    rejects(() -> c.forward(S, N, x, 1, w, 0, b, 0, y, 0, ws), "x", "" + in, "offset 1");
    rejects(() -> c.forward(S, N, x, 0, new float[wn - 1], 0, b, 0, y, 0, ws), "w", "" + wn, "" + (wn - 1));
    rejects(() -> c.forward(S, N, x, 0, w, 0, new float[3], 0, y, 0, ws), "bias", "4", "3");
    rejects(() -> c.forward(S, N, x, 0, w, 0, b, 0, new float[out - 1], 0, ws), "y", "" + out, "" + (out - 1));
    rejects(() -> c.forward(S, N + 1, x, 0, w, 0, b, 0, y, 0, ws), "x", "" + (N + 1) * S.inputSize(), "" + in);
    rejects(() -> c.forward(S, N, x, -1, w, 0, b, 0, y, 0, ws), "x", "offset -1");
    rejects(() -> c.backwardInput(S, N, new float[out - 1], 0, w, 0, x, 0, ws), "dy", "" + out, "" + (out - 1));
    rejects(() -> c.backwardInput(S, N, y, 0, w, 0, new float[in - 1], 0, ws), "dx", "" + in, "" + (in - 1));
    rejects(() -> c.backwardWeights(S, N, x, 0, y, 0, new float[wn - 1], 0, b, 0, ws), "dw", "" + wn, "" + (wn - 1));
    rejects(() -> c.backwardWeights(S, N, x, 0, y, 0, w, 0, new float[2], 0, ws), "dbias", "4", "2");
    rejects(() -> c.backwardWeights(S, N, new float[1], 0, y, 0, w, 0, b, 0, ws), "x", "" + in, "1");

    // nulls (a null bias / dbias is allowed: no bias)
    rejects(() -> c.forward(null, N, x, 0, w, 0, b, 0, y, 0, ws), "shape");
    rejects(() -> c.forward(S, N, null, 0, w, 0, b, 0, y, 0, ws), "x", "null");
    rejects(() -> c.forward(S, N, x, 0, null, 0, b, 0, y, 0, ws), "w", "null");
    rejects(() -> c.forward(S, N, x, 0, w, 0, b, 0, null, 0, ws), "y", "null");
    rejects(() -> c.backwardInput(S, N, null, 0, w, 0, x, 0, ws), "dy", "null");
    rejects(() -> c.backwardWeights(S, N, x, 0, y, 0, null, 0, b, 0, ws), "dw", "null");
    rejects(() -> c.workspaceSize(null, N), "shape");

    // workspace
    if (ws.length > 0) {
      rejects(() -> c.forward(S, N, x, 0, w, 0, b, 0, y, 0, new float[ws.length - 1]),
          "workspace", "" + ws.length, "" + (ws.length - 1));
      rejects(() -> c.backwardInput(S, N, y, 0, w, 0, x, 0, null), "workspace", "null");
      rejects(() -> c.backwardWeights(S, N, x, 0, y, 0, w, 0, b, 0, new float[1]), "workspace", "1");
    }

    // batch <= 0
    for (int batch : new int[] {0, -1}) {
      rejects(() -> c.forward(S, batch, x, 0, w, 0, b, 0, y, 0, ws), "batch", "" + batch);
      rejects(() -> c.backwardInput(S, batch, y, 0, w, 0, x, 0, ws), "batch", "" + batch);
      rejects(() -> c.backwardWeights(S, batch, x, 0, y, 0, w, 0, b, 0, ws), "batch", "" + batch);
      rejects(() -> c.workspaceSize(S, batch), "batch", "" + batch);
    }
    // an absurd batch: a message about sizes, not an overflow or an OutOfMemoryError
    rejects(() -> c.forward(S, Integer.MAX_VALUE, x, 0, w, 0, b, 0, y, 0, ws), "x", "" + in);
  }

  @Test
  void badShapesAreRejected() {
    rejects(() -> ConvShape.of1d(0, 4, 10, 3, 1, 1, 1), "inChannels", "0");
    rejects(() -> ConvShape.of1d(4, 4, 10, 3, 0, 1, 1), "stride", "0");
    rejects(() -> ConvShape.of1d(4, 4, 10, 3, 1, -1, 1), "padding", "-1");
    rejects(() -> ConvShape.of1d(4, 4, 2, 5, 1, 0, 1), "kernel", "larger");
    rejects(() -> ConvShape.of2d(100_000, 100_000, 10, 10, 3, 1, 1, 1), "too large");
  }

  private static void rejects(Executable call, String... mentions) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
    }
  }
}
