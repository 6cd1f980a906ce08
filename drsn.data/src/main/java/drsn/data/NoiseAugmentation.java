package drsn.data;

import java.util.random.RandomGenerator;

/**
 * Fresh noise for every example of every batch, at an SNR drawn uniformly from
 * [{@code minSnrDb}, {@code maxSnrDb}] (equal bounds give a fixed SNR). One scratch buffer per
 * instance: use one instance per batcher.
 */
public final class NoiseAugmentation implements Augmentation {

  private final Noise noise;
  private final double minSnrDb;
  private final double maxSnrDb;

  public NoiseAugmentation(NoiseKind kind, double minSnrDb, double maxSnrDb) {
    Args.finite("minimum SNR in dB", minSnrDb);
    Args.finite("maximum SNR in dB", maxSnrDb);
    if (minSnrDb > maxSnrDb) {
      throw new IllegalArgumentException("SNR range must have min <= max, got [" + minSnrDb + ", " + maxSnrDb + "]");
    }
    this.noise = new Noise(kind);
    this.minSnrDb = minSnrDb;
    this.maxSnrDb = maxSnrDb;
  }

  /** Noise at one fixed SNR. */
  public NoiseAugmentation(NoiseKind kind, double snrDb) {
    this(kind, snrDb, snrDb);
  }

  @Override
  public void apply(float[] src, int srcOffset, float[] dst, int dstOffset, int[] inputShape, RandomGenerator rng) {
    int size = Args.elementCount("example shape", inputShape);
    System.arraycopy(src, srcOffset, dst, dstOffset, size);
    double snr = minSnrDb == maxSnrDb ? minSnrDb : minSnrDb + (maxSnrDb - minSnrDb) * rng.nextDouble();
    noise.addAtSnr(dst, dstOffset, size, inputShape[inputShape.length - 1], snr, rng);
  }
}
