package drsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {

  @Test
  void matchesTheDirectDftAndInvertsForEverySizeUpTo256() {
    var rnd = new Random(7);
    for (int n = 1; n <= 256; n <<= 1) {
      double[] re = new double[n];
      double[] im = new double[n];
      for (int i = 0; i < n; i++) {
        re[i] = rnd.nextGaussian();
        im[i] = rnd.nextGaussian();
      }
      double[] r0 = re.clone();
      double[] i0 = im.clone();
      var fft = new Fft(n);
      fft.forward(re, im);
      for (int k = 0; k < n; k++) {
        double sr = 0;
        double si = 0;
        for (int t = 0; t < n; t++) {
          double a = -2 * Math.PI * ((long) k * t % n) / n;
          sr += r0[t] * Math.cos(a) - i0[t] * Math.sin(a);
          si += r0[t] * Math.sin(a) + i0[t] * Math.cos(a);
        }
        assertEquals(sr, re[k], 1e-9 * n, "re, n=" + n + " k=" + k);
        assertEquals(si, im[k], 1e-9 * n, "im, n=" + n + " k=" + k);
      }
      fft.inverse(re, im);
      for (int t = 0; t < n; t++) {
        assertEquals(r0[t], re[t], 1e-12 * n);
        assertEquals(i0[t], im[t], 1e-12 * n);
      }
    }
  }

  @Test
  void rejectsSizesThatAreNotPowersOfTwo() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Fft(12));
    assertEquals(true, e.getMessage().contains("12"));
    assertThrows(IllegalArgumentException.class, () -> new Fft(0));
  }
}
