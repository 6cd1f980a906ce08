package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  private static final int[] SHAPE = {2, 50};

  private static float[] ramp() {
    float[] x = new float[100];
    for (int i = 0; i < 100; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  @Test
  void circularShiftRotatesAllRowsByTheSameAmountWithinTheLimit() {
    float[] src = ramp();
    float[] dst = new float[100];
    var rng = new SeededRandom(1);
    var seenShifts = new java.util.HashSet<Integer>();
    for (int trial = 0; trial < 200; trial++) {
      new CircularShift(5).apply(src, 0, dst, 0, SHAPE, rng);
      int s = Math.floorMod((int) dst[0] - 1 == 0 ? 0 : 50 - ((int) dst[0] - 1), 50);
      // dst[t] = src[(t - s) mod 50] for both rows.
      for (int r = 0; r < 2; r++) {
        for (int t = 0; t < 50; t++) {
          assertEquals(src[r * 50 + Math.floorMod(t - s, 50)], dst[r * 50 + t], "row " + r + " t " + t);
        }
      }
      int signed = s > 25 ? s - 50 : s;
      assertTrue(Math.abs(signed) <= 5, "shift " + signed);
      seenShifts.add(signed);
    }
    assertEquals(11, seenShifts.size(), "all shifts in -5..5 occur: " + seenShifts);
  }

  @Test
  void randomCropCutsOneContiguousSegmentFromEveryRow() {
    float[] src = ramp();
    var crop = new RandomCrop(20);
    assertArrayEquals(new int[] {2, 20}, crop.outputShape(SHAPE));
    float[] dst = new float[40];
    var rng = new SeededRandom(2);
    var starts = new java.util.HashSet<Integer>();
    for (int trial = 0; trial < 300; trial++) {
      crop.apply(src, 0, dst, 0, SHAPE, rng);
      int start = (int) dst[0] - 1;
      starts.add(start);
      assertTrue(start >= 0 && start <= 30);
      for (int t = 0; t < 20; t++) {
        assertEquals(src[start + t], dst[t]);
        assertEquals(src[50 + start + t], dst[20 + t], "rows share the offset");
      }
    }
    assertTrue(starts.contains(0) && starts.contains(30), "both extremes reachable: " + starts);
  }

  @Test
  void noiseAugmentationReachesItsSnrAndDrawsFreshNoise() {
    float[] src = SyntheticBearing.builder().build().recording(2, 2048, 1).channels()[0];
    var aug = new NoiseAugmentation(NoiseKind.WHITE_GAUSSIAN, -3);
    var rng = new SeededRandom(4);
    float[] a = new float[2048];
    float[] b = new float[2048];
    aug.apply(src, 0, a, 0, new int[] {1, 2048}, rng);
    aug.apply(src, 0, b, 0, new int[] {1, 2048}, rng);
    assertTrue(!Arrays.equals(a, b), "fresh noise per call");
    float[] d = new float[2048];
    for (int i = 0; i < 2048; i++) {
      d[i] = a[i] - src[i];
    }
    assertEquals(-3, 10 * Math.log10(Spectra.power(src, 0, 2048) / Spectra.power(d, 0, 2048)), 0.1);
    DatasetTest.assertMessage("min <= max", () -> new NoiseAugmentation(NoiseKind.PINK, 5, 0));
  }

  @Test
  void chainedAugmentationsComposeShapes() {
    var chain = new CircularShift(3).andThen(new RandomCrop(10));
    assertArrayEquals(new int[] {2, 10}, chain.outputShape(SHAPE));
    float[] dst = new float[20];
    chain.apply(ramp(), 0, dst, 0, SHAPE, new SeededRandom(3));
    for (int t = 1; t < 10; t++) {
      float step = dst[t] - dst[t - 1];
      assertTrue(step == 1 || step == -49, "contiguous modulo the row: " + Arrays.toString(dst));
    }
  }
}
