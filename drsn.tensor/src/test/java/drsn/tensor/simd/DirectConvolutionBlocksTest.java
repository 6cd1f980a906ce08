package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import drsn.tensor.ConvShape;
import drsn.tensor.KernelProvider;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The wide 1-D register blocks of {@link DirectConvolution}'s forward and backward-input passes sum
 * in the same order as its general blocks, so the two give the same bits (QuickTheories, every width up to several wide blocks
 * plus every tail, strides 1–3 including the vectorised stride-2 phase split, any padding,
 * dilation and channel count). Their agreement with the scalar twin and with the definition is
 * {@code ConvolutionPropertiesTest}'s and {@code ConvolutionReferenceTest}'s.
 */
class DirectConvolutionBlocksTest {

  /** 1-D shapes: channels 1..13, width 1..200 (up to 3 wide blocks at 16 lanes), kernel 1..5, stride 1..3, pad 0..2, dilation 1..2. */
  static Gen<ConvShape> shapes() {
    Gen<int[]> channels = range(1, 13).zip(range(1, 13), (a, b) -> new int[] {a, b});
    Gen<int[]> geometry = range(1, 5).zip(range(1, 3), range(0, 2), range(1, 2),
        (k, s, p, d) -> new int[] {k, s, p, d});
    return channels.zip(range(1, 200), geometry, (ch, width, g) -> {
      try {
        return ConvShape.of1d(ch[0], ch[1], width, g[0], g[1], g[2], g[3]);
      } catch (IllegalArgumentException kernelTooLarge) {
        return null;
      }
    }).assuming(Objects::nonNull).describedAs(Objects::toString);
  }

  @Test
  void wideBlocksGiveTheGeneralBlocksBits() {
    Assumptions.assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    DirectConvolution wide = new DirectConvolution(true);
    DirectConvolution general = new DirectConvolution(false);
    qt().withExamples(300).forAll(shapes(), range(1, 5), longRange(0, Long.MAX_VALUE)).checkAssert((s, batch, seed) -> {
      SplittableRandom r = new SplittableRandom(seed);
      float[] x = gaussian(r, batch * s.inputSize());
      float[] w = gaussian(r, s.weightSize());
      float[] b = r.nextBoolean() ? gaussian(r, s.outChannels()) : null;
      float[] ws = new float[wide.workspaceSize(s, batch)];
      float[] y1 = new float[batch * s.outputSize()];
      float[] y2 = new float[y1.length];
      Arrays.fill(ws, Float.NaN);
      wide.forward(s, batch, x, 0, w, 0, b, 0, y1, 0, ws);
      Arrays.fill(ws, Float.NaN);
      general.forward(s, batch, x, 0, w, 0, b, 0, y2, 0, ws);
      assertSameBits(y2, y1, s + " batch " + batch + ": forward");
      float[] dy = gaussian(r, y1.length);
      float[] dx1 = new float[x.length];
      float[] dx2 = new float[x.length];
      Arrays.fill(ws, Float.NaN);
      wide.backwardInput(s, batch, dy, 0, w, 0, dx1, 0, ws);
      Arrays.fill(ws, Float.NaN);
      general.backwardInput(s, batch, dy, 0, w, 0, dx2, 0, ws);
      assertSameBits(dx2, dx1, s + " batch " + batch + ": backwardInput");
    });
  }

  private static void assertSameBits(float[] want, float[] got, String what) {
    for (int k = 0; k < want.length; k++) {
      assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]), what + " differs at " + k);
    }
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }
}
