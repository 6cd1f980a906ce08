package drsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DecimatorTest {

  private static final double FS = 48_000;

  private static float[] tone(double hz, int n) {
    float[] x = new float[n];
    for (int t = 0; t < n; t++) {
      x[t] = (float) Math.sin(2 * Math.PI * hz * t / FS + 0.3);
    }
    return x;
  }

  /** RMS gain in dB of a decimated tone, measured away from the edges. */
  private static double gainDb(Decimator d, double hz) {
    int n = 1 << 15;
    float[] y = d.apply(tone(hz, n));
    int margin = d.coefficients().length / d.factor() + 2;
    double p = Spectra.power(y, margin, y.length - 2 * margin);
    return 10 * Math.log10(p / 0.5);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4, 5})
  void suppressesTonesAboveTheNewNyquistByAtLeast40Db(int factor) {
    var d = new Decimator(factor);
    double newNyquist = FS / 2 / factor;
    for (double rel : new double[] {1.02, 1.1, 1.5, 2.3, 3.7}) {
      double hz = rel * newNyquist;
      if (hz < FS / 2) {
        double g = gainDb(d, hz);
        assertTrue(g <= -40, "tone at " + hz + " Hz (" + rel + "× new Nyquist) only attenuated to " + g + " dB");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4, 5})
  void passBandRippleIsBelowATenthOfADecibel(int factor) {
    var d = new Decimator(factor);
    double newNyquist = FS / 2 / factor;
    for (double rel = 0.02; rel <= Decimator.PASS_EDGE; rel += 0.07) {
      double g = gainDb(d, rel * newNyquist);
      assertEquals(0, g, 0.1, "pass-band gain at " + rel + "× new Nyquist");
    }
  }

  @Test
  void keepsEveryFactorthSampleOfASlowSignalInPlace() {
    // A slow ramp-like signal: decimation must not shift it in time (delay compensated).
    var d = new Decimator(4);
    float[] x = tone(50, 20_000);
    float[] y = d.apply(x);
    assertEquals(5000, y.length);
    for (int m = 100; m < 4900; m += 97) {
      assertEquals(x[4 * m], y[m], 1e-3, "sample " + m);
    }
    assertEquals(3, d.outputLength(9));
    double sum = 0;
    for (double h : d.coefficients()) {
      sum += h;
    }
    assertEquals(1, sum, 1e-12, "unit DC gain");
  }

  @Test
  void decimatesRecordingsAndRejectsBadFactors() {
    var rec = Recording.mono("r", 0, FS, tone(100, 4800));
    var dec = rec.decimate(4);
    assertEquals(12_000, dec.sampleRate());
    assertEquals(1200, dec.length());
    DatasetTest.assertMessage("decimation factor must be > 0, got 0", () -> new Decimator(0));
    DatasetTest.assertMessage("<= 1024", () -> new Decimator(5000));
    DatasetTest.assertMessage("signal must not be null", () -> new Decimator(2).apply(null));
  }
}
