package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticBearingTest {

  private static final double FS = 12_000;

  @Test
  void characteristicFrequenciesMatchThePublishedCwruValuesForTheSkf6205() {
    // CWRU Bearing Data Center, drive-end bearing, multiples of running speed:
    // inner 5.4152, outer 3.5848, cage 0.39828, rolling element 4.7135 (the ball's impact rate, 2·BSF).
    var g = BearingGeometry.SKF_6205;
    assertEquals(5.4152, g.bpfi(1), 5e-4);
    assertEquals(3.5848, g.bpfo(1), 5e-4);
    assertEquals(0.39828, g.ftf(1), 5e-5);
    assertEquals(4.7135, g.impactRate(FaultLocation.BALL, 1), 5e-4);
    assertEquals(g.bpfo(29.95) + g.bpfi(29.95), 9 * 29.95, 1e-9, "BPFO + BPFI = n·fr");
  }

  @Test
  void defaultDatasetHasTheTenCwruLikeClasses() {
    var ds = SyntheticBearing.builder().examplesPerClass(3).build().generate();
    assertEquals(List.of("normal", "inner_race_1", "inner_race_2", "inner_race_3", "ball_1", "ball_2", "ball_3",
        "outer_race_1", "outer_race_2", "outer_race_3"), ds.classNames());
    assertArrayEquals(new int[] {1, 2048}, ds.exampleShape());
    assertEquals(30, ds.size());
    int[] counts = ds.classCounts();
    for (int c : counts) {
      assertEquals(3, c);
    }
  }

  @Test
  void generationIsBitIdenticalForASeedSequentialOrParallel() {
    var b = SyntheticBearing.builder().examplesPerClass(20).windowLength(1024);
    var a = b.seed(7).parallel(true).build().generate();
    var s = b.seed(7).parallel(false).build().generate();
    var other = b.seed(8).parallel(true).build().generate();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.example(i), s.example(i), "example " + i);
    }
    assertFalse(Arrays.equals(a.example(5), other.example(5)));
    assertFalse(Arrays.equals(a.example(5), a.example(6)), "examples of one class differ (speed, phase, noise)");
  }

  // Envelope analysis: band-pass 2–4 kHz around the 3 kHz resonance, square, average 8,192-sample spectra.

  /** Peak of the squared-envelope spectrum in [lo, hi] Hz, as {frequency, peak / median of the band}. */
  private static double[] envelopePeak(float[] x, double lo, double hi) {
    double[] mag = Spectra.squaredEnvelopeSpectrum(Spectra.bandPass(x, 2000 / FS, 4000 / FS), 8192);
    int n = 2 * (mag.length - 1);
    int from = (int) Math.ceil(lo * n / FS);
    int to = (int) Math.floor(hi * n / FS);
    int best = from;
    for (int k = from; k <= to; k++) {
      if (mag[k] > mag[best]) {
        best = k;
      }
    }
    double[] band = Arrays.copyOfRange(mag, from, to + 1);
    Arrays.sort(band);
    return new double[] {best * FS / n, mag[best] / band[band.length / 2]};
  }

  /** Largest squared-envelope magnitude within ±2 % of {@code hz}, relative to the median over 40..400 Hz. */
  private static double lineStrength(float[] x, double hz) {
    double[] mag = Spectra.squaredEnvelopeSpectrum(Spectra.bandPass(x, 2000 / FS, 4000 / FS), 8192);
    int n = 2 * (mag.length - 1);
    double[] band = Arrays.copyOfRange(mag, (int) (40.0 * n / FS), (int) (400.0 * n / FS));
    Arrays.sort(band);
    double best = 0;
    for (int k = (int) Math.floor(0.98 * hz * n / FS); k <= (int) Math.ceil(1.02 * hz * n / FS); k++) {
      best = Math.max(best, mag[k]);
    }
    return best / band[band.length / 2];
  }

  @Test
  void envelopeSpectraPeakAtEachFaultsCharacteristicFrequency() {
    var gen = SyntheticBearing.builder().speedVariation(0).classes(List.of(BearingCondition.normal(),
        BearingCondition.fault(FaultLocation.OUTER_RACE, 1), BearingCondition.fault(FaultLocation.INNER_RACE, 1),
        BearingCondition.fault(FaultLocation.BALL, 1))).build();
    double fr = gen.nominalShaftHz();
    var g = gen.geometry();
    int n = 1 << 16; // 5.5 s: 0.18 Hz resolution
    float[] normal = gen.recording(0, n, 1).channels()[0];
    float[] outer = gen.recording(1, n, 1).channels()[0];
    float[] inner = gen.recording(2, n, 1).channels()[0];
    float[] ball = gen.recording(3, n, 1).channels()[0];

    double[] po = envelopePeak(outer, 40, 400);
    assertEquals(g.bpfo(fr), po[0], 0.02 * g.bpfo(fr), "outer race: envelope peak at BPFO");
    double[] pi = envelopePeak(inner, 40, 400);
    assertEquals(g.bpfi(fr), pi[0], 0.02 * g.bpfi(fr), "inner race: envelope peak at BPFI");
    double[] pb = envelopePeak(ball, 40, 400);
    double bsf = g.bsf(fr);
    assertTrue(Math.abs(pb[0] - bsf) < 0.02 * bsf || Math.abs(pb[0] - 2 * bsf) < 0.04 * bsf,
        "ball: envelope peak at BSF or 2·BSF, got " + pb[0] + " Hz (BSF " + bsf + ")");
    // Each fault's line stands out; the healthy bearing has none of them.
    System.out.printf("envelope lines (peak/median): outer@BPFO %.1f inner@BPFI %.1f ball %.1f; normal@BPFO %.1f "
        + "@BPFI %.1f @2BSF %.1f; outer@BPFI %.1f%n", po[1], pi[1], pb[1], lineStrength(normal, g.bpfo(fr)),
        lineStrength(normal, g.bpfi(fr)), lineStrength(normal, 2 * bsf), lineStrength(outer, g.bpfi(fr)));
    assertTrue(po[1] > 8 && pi[1] > 8 && pb[1] > 8, "fault lines must stand out of the band");
    for (double f : new double[] {g.bpfo(fr), g.bpfi(fr), 2 * bsf, bsf}) {
      assertTrue(lineStrength(normal, f) < 4, "normal bearing has no line at " + f + " Hz");
    }
    assertTrue(lineStrength(outer, g.bpfi(fr)) < 4, "an outer-race fault has no line at BPFI");
    // Inner-race impacts are modulated by the shaft: sidebands at BPFI ± fr.
    assertTrue(lineStrength(inner, g.bpfi(fr) + fr) > 4 && lineStrength(inner, g.bpfi(fr) - fr) > 4,
        "inner race: shaft-rate sidebands around BPFI");
    assertTrue(lineStrength(outer, g.bpfo(fr) + fr) < 4, "outer race: no shaft-rate modulation");
  }

  @Test
  void severityRaisesTheVibrationLevel() {
    var ds = SyntheticBearing.builder().examplesPerClass(20).build().generate();
    double[] rms = new double[ds.numClasses()];
    for (int i = 0; i < ds.size(); i++) {
      rms[ds.label(i)] += Math.sqrt(Spectra.power(ds.example(i), 0, ds.exampleSize())) / 20;
    }
    for (String loc : new String[] {"inner_race", "ball", "outer_race"}) {
      int s1 = ds.classNames().indexOf(loc + "_1");
      assertTrue(rms[0] < rms[s1], "normal quieter than " + loc + "_1");
      assertTrue(rms[s1] < rms[s1 + 1] && rms[s1 + 1] < rms[s1 + 2], loc + " RMS grows with severity: "
          + Arrays.toString(rms));
    }
  }

  @Test
  void rejectsImpossibleConfigurations() {
    DatasetTest.assertMessage("below the Nyquist", () -> SyntheticBearing.builder().sampleRate(4000).build());
    DatasetTest.assertMessage("listed twice", () -> SyntheticBearing.builder()
        .classes(List.of(BearingCondition.normal(), BearingCondition.normal())));
    DatasetTest.assertMessage("severity 0, got 2", () -> new BearingCondition(FaultLocation.NONE, 2));
    DatasetTest.assertMessage("severity >= 1, got 0", () -> BearingCondition.fault(FaultLocation.BALL, 0));
    DatasetTest.assertMessage("speed variation must be in [0, 0.5), got 0.7",
        () -> SyntheticBearing.builder().speedVariation(0.7));
    DatasetTest.assertMessage("examples per class must be > 0, got 0", () -> SyntheticBearing.builder().examplesPerClass(0));
    DatasetTest.assertMessage("exceed one array", () -> SyntheticBearing.builder().examplesPerClass(1 << 20).build());
    DatasetTest.assertMessage("smaller than the pitch", () -> new BearingGeometry(9, 40, 39, 0));
  }
}
