package drsn.data;

/**
 * In-place iterative radix-2 complex FFT for one power-of-two size, with precomputed twiddles and
 * bit-reversal table so repeated transforms allocate nothing. Used for pink-noise shaping and
 * spectra (envelope spectra, Welch estimates). Double precision: the inputs are short and accuracy
 * matters more than speed here.
 *
 * <p>Shapes: re[n], im[n]; forward computes X[k] = sum_t x[t] e^{-2πikt/n}; inverse includes 1/n.
 */
final class Fft {

  private final int n;
  private final int[] bitReverse;
  private final double[] cos;
  private final double[] sin;

  Fft(int n) {
    if (n < 1 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two >= 1, got " + n);
    }
    this.n = n;
    this.bitReverse = new int[n];
    int bits = Integer.numberOfTrailingZeros(n);
    for (int i = 0; i < n; i++) {
      bitReverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
    cos = new double[n / 2 + 1];
    sin = new double[n / 2 + 1];
    for (int k = 0; k <= n / 2; k++) {
      double a = -2 * Math.PI * k / n;
      cos[k] = Math.cos(a);
      sin[k] = Math.sin(a);
    }
  }

  int size() {
    return n;
  }

  static int nextPowerOfTwo(int len) {
    if (len <= 1) {
      return 1;
    }
    if (len > (1 << 30)) {
      throw new IllegalArgumentException("length too large for an FFT: " + len);
    }
    return Integer.highestOneBit(len - 1) << 1;
  }

  void forward(double[] re, double[] im) {
    transform(re, im, false);
  }

  void inverse(double[] re, double[] im) {
    transform(re, im, true);
    double s = 1.0 / n;
    for (int i = 0; i < n; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  private void transform(double[] re, double[] im, boolean inverse) {
    if (re.length < n || im.length < n) {
      throw new IllegalArgumentException("FFT of size " + n + " needs arrays of at least that length, got "
          + re.length + " and " + im.length);
    }
    for (int i = 0; i < n; i++) {
      int j = bitReverse[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double sign = inverse ? -1 : 1;
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int step = n / len;
      for (int start = 0; start < n; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = sign * sin[k * step];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
