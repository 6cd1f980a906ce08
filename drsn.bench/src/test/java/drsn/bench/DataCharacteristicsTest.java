package drsn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

/** The periodogram behind the band-energy comparison of the synthetic data with CWRU. */
class DataCharacteristicsTest {

  @Test
  void aSineOnABinPutsAllItsPowerThere() {
    int n = 256;
    qt().forAll(integers().between(1, n / 2 - 1), doubles().between(0.1, 10), doubles().between(0, 6.28))
        .checkAssert((bin, amplitude, phase) -> {
          float[] x = new float[n];
          double energy = 0;
          for (int t = 0; t < n; t++) {
            x[t] = (float) (amplitude * Math.sin(2 * Math.PI * bin * t / n + phase));
            energy += (double) x[t] * x[t];
          }
          double[] p = DataCharacteristics.power(x);
          // Parseval for a real signal without DC or Nyquist content: 2·Σ_{k<n/2} |X_k|² = n·Σ x².
          double total = 0;
          for (double v : p) {
            total += v;
          }
          assertEquals(n * energy, 2 * total, 1e-3 * n * energy);
          assertEquals(total, p[bin], 1e-3 * total, "bin " + bin);
        });
  }
}
