package drsn.data;

/** Spectral estimates for tests, on the module's own FFT. */
final class Spectra {

  private Spectra() {
  }

  /**
   * Welch estimate: Hann-windowed segments of {@code seg} (a power of two), 50 % overlap, averaged
   * periodograms. Returns power for bins 0..seg/2 (unnormalised: only ratios are used).
   */
  static double[] welch(float[] x, int seg) {
    var fft = new Fft(seg);
    double[] re = new double[seg];
    double[] im = new double[seg];
    double[] w = new double[seg];
    for (int i = 0; i < seg; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / seg);
    }
    double[] p = new double[seg / 2 + 1];
    int count = 0;
    for (int start = 0; start + seg <= x.length; start += seg / 2) {
      for (int i = 0; i < seg; i++) {
        re[i] = x[start + i] * w[i];
        im[i] = 0;
      }
      fft.forward(re, im);
      for (int k = 0; k <= seg / 2; k++) {
        p[k] += re[k] * re[k] + im[k] * im[k];
      }
      count++;
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= count;
    }
    return p;
  }

  /** Least-squares slope of 10·log10(p[k]) against log10(k) over bins [from, to]: dB per decade. */
  static double slopeDbPerDecade(double[] p, int from, int to) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int n = 0;
    for (int k = from; k <= to; k++) {
      double lx = Math.log10(k);
      double ly = 10 * Math.log10(p[k]);
      sx += lx;
      sy += ly;
      sxx += lx * lx;
      sxy += lx * ly;
      n++;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  /**
   * Squared-envelope spectrum: magnitude spectrum of x² with its mean removed, on the largest
   * power-of-two prefix of x. Bin k is at k·fs/n Hz.
   */
  static double[] squaredEnvelopeSpectrum(float[] x) {
    return squaredEnvelopeSpectrum(x, Integer.highestOneBit(x.length));
  }

  /**
   * Squared-envelope spectrum averaged over consecutive segments of {@code seg} samples (a power of
   * two): slip makes impact trains lose phase over long spans, which smears the lines of a single
   * long transform; averaging short segments keeps them sharp.
   */
  static double[] squaredEnvelopeSpectrum(float[] x, int seg) {
    double[] acc = new double[seg / 2 + 1];
    int count = 0;
    for (int start = 0; start + seg <= x.length; start += seg) {
      double[] m = singleSquaredEnvelopeSpectrum(java.util.Arrays.copyOfRange(x, start, start + seg));
      for (int k = 0; k < acc.length; k++) {
        acc[k] += m[k];
      }
      count++;
    }
    for (int k = 0; k < acc.length; k++) {
      acc[k] /= count;
    }
    return acc;
  }

  /**
   * {@code x} band-passed to [lo, hi] (as fractions of the sample rate) by zeroing FFT bins on the
   * largest power-of-two prefix: the classic first step of envelope analysis, which keeps the
   * resonance the impacts excite and drops the shaft harmonics.
   */
  static float[] bandPass(float[] x, double lo, double hi) {
    int n = Integer.highestOneBit(x.length);
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = x[i];
    }
    var fft = new Fft(n);
    fft.forward(re, im);
    for (int k = 0; k < n; k++) {
      double f = (double) Math.min(k, n - k) / n;
      if (f < lo || f > hi) {
        re[k] = 0;
        im[k] = 0;
      }
    }
    fft.inverse(re, im);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (float) re[i];
    }
    return y;
  }

  private static double[] singleSquaredEnvelopeSpectrum(float[] x) {
    int n = Integer.highestOneBit(x.length);
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += (double) x[i] * x[i];
    }
    mean /= n;
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = (double) x[i] * x[i] - mean;
    }
    new Fft(n).forward(re, im);
    double[] mag = new double[n / 2 + 1];
    for (int k = 0; k <= n / 2; k++) {
      mag[k] = Math.hypot(re[k], im[k]);
    }
    return mag;
  }

  static double power(float[] x, int off, int len) {
    double s = 0;
    for (int i = off; i < off + len; i++) {
      s += (double) x[i] * x[i];
    }
    return s / len;
  }
}
