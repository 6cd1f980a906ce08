package drsn.data;

import java.util.random.RandomGenerator;

/**
 * Adds noise of one {@link NoiseKind} to examples at a target signal-to-noise ratio, where
 * SNR = 10·log10(P_signal / P_noise) and P is the mean square over the whole example (all
 * channels): every example gets noise scaled to its own power. The noise drawn for an example is
 * rescaled to exactly the required power, so the achieved SNR equals the target up to float
 * rounding. Channels (rows along the last axis) get independent noise.
 *
 * <p>An instance keeps scratch buffers so that {@link #addAtSnr} allocates nothing once warmed up;
 * use one instance per thread.
 */
public final class Noise {

  private static final double INV_SQRT2 = 1 / Math.sqrt(2);

  private final NoiseKind kind;
  private float[] noise = new float[0];
  private Fft fft;
  private double[] re = new double[0];
  private double[] im = new double[0];

  public Noise(NoiseKind kind) {
    this.kind = Args.notNull("noise kind", kind);
  }

  public NoiseKind kind() {
    return kind;
  }

  /**
   * Adds noise to {@code x[off, off+len)} (one example made of rows of {@code rowLength} values)
   * so that its SNR is {@code snrDb}. An example of zero power is left unchanged (its SNR is
   * undefined).
   */
  public void addAtSnr(float[] x, int off, int len, int rowLength, double snrDb, RandomGenerator rng) {
    Args.notNull("signal", x);
    Args.notNull("rng", rng);
    Args.finite("SNR in dB", snrDb);
    Args.positive("row length", rowLength);
    if (off < 0 || len < 0 || (long) off + len > x.length) {
      throw new IllegalArgumentException("signal: need " + len + " values from offset " + off
          + ", but its length is " + x.length);
    }
    if (len % rowLength != 0) {
      throw new IllegalArgumentException("example length " + len + " is not a multiple of the row length " + rowLength);
    }
    double ps = 0;
    for (int i = off; i < off + len; i++) {
      ps += (double) x[i] * x[i];
    }
    ps /= Math.max(1, len);
    if (ps == 0) {
      return;
    }
    if (noise.length < len) {
      noise = new float[len];
    }
    for (int r = 0; r < len; r += rowLength) {
      fill(noise, r, rowLength, rng);
    }
    double pn = 0;
    for (int i = 0; i < len; i++) {
      pn += (double) noise[i] * noise[i];
    }
    pn /= len;
    if (pn == 0) {
      return;
    }
    double scale = Math.sqrt(ps / (pn * Math.pow(10, snrDb / 10)));
    for (int i = 0; i < len; i++) {
      x[off + i] += (float) (scale * noise[i]);
    }
  }

  /** Writes {@code len} zero-mean noise samples of roughly unit power into {@code out} from {@code off}. */
  public void fill(float[] out, int off, int len, RandomGenerator rng) {
    Args.notNull("out", out);
    Args.notNull("rng", rng);
    if (off < 0 || len < 0 || (long) off + len > out.length) {
      throw new IllegalArgumentException("out: need " + len + " values from offset " + off + ", but its length is "
          + out.length);
    }
    switch (kind) {
      case WHITE_GAUSSIAN -> {
        for (int i = 0; i < len; i++) {
          out[off + i] = (float) rng.nextGaussian();
        }
      }
      case LAPLACIAN -> {
        // An exponential variate with a random sign is Laplace; scale 1/sqrt(2) gives unit variance.
        for (int i = 0; i < len; i++) {
          double e = -Math.log(1.0 - rng.nextDouble());
          out[off + i] = (float) ((rng.nextBoolean() ? e : -e) * INV_SQRT2);
        }
      }
      case PINK -> pink(out, off, len, rng);
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  /**
   * Spectral shaping: white Gaussian noise on the next power of two, its spectrum multiplied by
   * 1/sqrt(f) (so power ∝ 1/f) with the DC bin removed, transformed back and truncated.
   */
  private void pink(float[] out, int off, int len, RandomGenerator rng) {
    if (len == 0) {
      return;
    }
    int n = Fft.nextPowerOfTwo(Math.max(2, len));
    if (fft == null || fft.size() != n) {
      fft = new Fft(n);
      re = new double[n];
      im = new double[n];
    }
    for (int i = 0; i < n; i++) {
      re[i] = rng.nextGaussian();
      im[i] = 0;
    }
    fft.forward(re, im);
    re[0] = 0;
    im[0] = 0;
    for (int k = 1; k < n; k++) {
      double g = 1 / Math.sqrt(Math.min(k, n - k));
      re[k] *= g;
      im[k] *= g;
    }
    fft.inverse(re, im);
    double p = 0;
    for (int i = 0; i < len; i++) {
      p += re[i] * re[i];
    }
    double s = p > 0 ? Math.sqrt(len / p) : 0;
    for (int i = 0; i < len; i++) {
      out[off + i] = (float) (re[i] * s);
    }
  }

  /** {@code n} samples of unit-power noise of {@code kind}, determined by {@code seed}. */
  public static float[] generate(NoiseKind kind, int n, long seed) {
    Args.nonNegative("number of samples", n);
    float[] out = new float[n];
    new Noise(kind).fill(out, 0, n, new SeededRandom(SeededRandom.mix(seed, 0x401)));
    return out;
  }

  /**
   * A fixed noisy copy of {@code dataset} (the DRSN paper's protocol): every example gets its own
   * fresh noise at {@code snrDb}, drawn from a stream determined by (seed, example index).
   */
  public static Dataset addToCopy(Dataset dataset, NoiseKind kind, double snrDb, long seed) {
    Args.notNull("dataset", dataset);
    Args.finite("SNR in dB", snrDb);
    float[] data = dataset.rawData().clone();
    int size = dataset.exampleSize();
    int[] shape = dataset.exampleShape();
    int row = shape[shape.length - 1];
    var noise = new Noise(kind);
    var rng = new SeededRandom(0);
    for (int i = 0; i < dataset.size(); i++) {
      noise.addAtSnr(data, i * size, size, row, snrDb, rng.reseed(SeededRandom.mix(seed, i)));
    }
    return dataset.withData(data);
  }
}
