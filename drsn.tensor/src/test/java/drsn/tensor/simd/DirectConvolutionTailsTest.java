package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.ConvShape;
import drsn.tensor.KernelProvider;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every tail length of {@link DirectConvolution}: widths 1 to 5 vectors + 3, where a row ends on a
 * whole vector that overlaps the one before it (forward, backwardInput) or on a masked vector
 * (backwardWeights). Forward and backwardInput must give, at every position, the bits of the
 * kernels' documented summation order (computed here one position at a time with
 * {@link Math#fma}), so a position recomputed by the overlapping vector, or one a wrong offset
 * reads past the row, shows up as a different bit pattern. backwardWeights' sums are checked
 * against a double-precision sum; its workspace starts as NaN, which a lane read past the row
 * without its mask would carry into dw.
 */
class DirectConvolutionTailsTest {

  /** (in, out, kernel, stride, pad): blocks of 4 both ways, the stem's single input, leftover channels. */
  private static final int[][] CONFIGS = {
      {4, 8, 3, 1, 1}, {8, 4, 3, 2, 1}, {1, 4, 3, 2, 1}, {5, 3, 3, 1, 1}, {6, 7, 3, 2, 1}, {4, 4, 1, 2, 0},
  };

  @Test
  void everyTailLengthGivesTheSummationOrdersBits() {
    Assumptions.assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    int lanes = FloatVector.SPECIES_PREFERRED.length(); // not before the assumption: the scalar run has no Vector API
    DirectConvolution conv = new DirectConvolution();
    SplittableRandom r = new SplittableRandom(20261207);
    int checked = 0;
    for (int[] c : CONFIGS) {
      for (int width = 1; width <= 5 * lanes + 3; width++) {
        ConvShape s;
        try {
          s = ConvShape.of1d(c[0], c[1], width, c[2], c[3], c[4], 1);
        } catch (IllegalArgumentException kernelTooLarge) {
          continue;
        }
        int batch = 2;
        float[] x = gaussian(r, batch * s.inputSize());
        float[] w = gaussian(r, s.weightSize());
        float[] b = gaussian(r, s.outChannels());
        float[] ws = new float[conv.workspaceSize(s, batch)];
        String what = s + " width " + width;

        float[] y = new float[batch * s.outputSize()];
        Arrays.fill(ws, Float.NaN);
        conv.forward(s, batch, x, 0, w, 0, b, 0, y, 0, ws);
        for (int n = 0; n < batch; n++) {
          for (int o = 0; o < s.outChannels(); o++) {
            for (int p = 0; p < s.outWidth(); p++) {
              assertBits(forwardInOrder(s, x, n, w, b, o, p), y[n * s.outputSize() + o * s.outWidth() + p],
                  what + ": forward y[" + n + ", " + o + ", " + p + "]");
            }
          }
        }

        float[] dy = gaussian(r, y.length);
        float[] dx = new float[x.length];
        Arrays.fill(ws, Float.NaN);
        conv.backwardInput(s, batch, dy, 0, w, 0, dx, 0, ws);
        for (int n = 0; n < batch; n++) {
          for (int ch = 0; ch < s.inChannels(); ch++) {
            for (int iw = 0; iw < width; iw++) {
              assertBits(backwardInputInOrder(s, dy, n, w, ch, iw), dx[n * s.inputSize() + ch * width + iw],
                  what + ": backwardInput dx[" + n + ", " + ch + ", " + iw + "]");
            }
          }
        }

        float[] dw = new float[s.weightSize()];
        float[] db = new float[s.outChannels()];
        Arrays.fill(ws, Float.NaN);
        conv.backwardWeights(s, batch, x, 0, dy, 0, dw, 0, db, 0, ws);
        for (int o = 0; o < s.outChannels(); o++) {
          for (int ch = 0; ch < s.inChannels(); ch++) {
            for (int j = 0; j < s.kernelW(); j++) {
              double[] sum = weightGradient(s, x, dy, batch, o, ch, j);
              float got = dw[(o * s.inChannels() + ch) * s.kernelW() + j];
              assertTrue(Math.abs(got - sum[0]) <= 1e-5 * sum[1] + 1e-30,
                  what + ": dw[" + o + ", " + ch + ", " + j + "] = " + got + ", want " + sum[0]);
            }
          }
        }
        checked++;
      }
    }
    assertTrue(checked > 5 * (5 * lanes), "shapes checked: " + checked);
  }

  /** The kernels' order: from the bias, taps j outer, channels c inner; a leftover channel alternates two sums over c. */
  private static float forwardInOrder(ConvShape s, float[] x, int n, float[] w, float[] b, int o, int p) {
    boolean blocked = o < (s.outChannels() & ~3);
    float even = b[o], odd = 0f;
    for (int j = 0; j < s.kernelW(); j++) {
      int iw = p * s.strideW() - s.padW() + j;
      for (int c = 0; c < s.inChannels(); c++) {
        float xv = iw >= 0 && iw < s.width() ? x[n * s.inputSize() + c * s.width() + iw] : 0f;
        float wv = w[(o * s.inChannels() + c) * s.kernelW() + j];
        if (blocked || (c & 1) == 0) {
          even = Math.fma(wv, xv, even);
        } else {
          odd = Math.fma(wv, xv, odd);
        }
      }
    }
    return blocked ? even : even + odd;
  }

  /**
   * From zero; a block of 4 input channels: taps j outer, output channels o inner; a leftover
   * channel: o outer, j inner, alternating two sums over o. Taps that miss dy add nothing.
   */
  private static float backwardInputInOrder(ConvShape s, float[] dy, int n, float[] w, int c, int iw) {
    boolean blocked = c < (s.inChannels() & ~3);
    int kw = s.kernelW(), outC = s.outChannels(), ow = s.outWidth();
    float even = 0f, odd = 0f;
    for (int outer = 0; outer < (blocked ? kw : outC); outer++) {
      for (int inner = 0; inner < (blocked ? outC : kw); inner++) {
        int j = blocked ? outer : inner, o = blocked ? inner : outer;
        int t = iw + s.padW() - j;
        if (t < 0 || t % s.strideW() != 0 || t / s.strideW() >= ow) {
          continue;
        }
        float term = dy[n * s.outputSize() + o * ow + t / s.strideW()];
        float wv = w[(o * s.inChannels() + c) * kw + j];
        if (blocked || (o & 1) == 0) {
          even = Math.fma(wv, term, even);
        } else {
          odd = Math.fma(wv, term, odd);
        }
      }
    }
    return blocked ? even : even + odd;
  }

  /** {Σ_{n, p} dy[n, o, p] · x[n, c, p·sW − pW + j] in double, Σ of the terms' magnitudes}. */
  private static double[] weightGradient(ConvShape s, float[] x, float[] dy, int batch, int o, int c, int j) {
    double sum = 0, magnitude = 0;
    for (int n = 0; n < batch; n++) {
      for (int p = 0; p < s.outWidth(); p++) {
        int iw = p * s.strideW() - s.padW() + j;
        if (iw >= 0 && iw < s.width()) {
          double term = (double) dy[n * s.outputSize() + o * s.outWidth() + p] * x[n * s.inputSize() + c * s.width() + iw];
          sum += term;
          magnitude += Math.abs(term);
        }
      }
    }
    return new double[] {sum, magnitude};
  }

  private static void assertBits(float want, float got, String what) {
    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), what + ": want " + want + ", got " + got);
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }
}
