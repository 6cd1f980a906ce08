package drsn.data;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-channel mean and standard deviation fitted on the training split only, stored with the
 * model and applied unchanged to validation, test and inference data (fitting on all data would
 * leak test statistics into training). Channel c is index c of the first axis of an example.
 * Standard deviations are floored at {@link #MIN_STD} so constant channels map to zero.
 */
public record ChannelStats(float[] mean, float[] std) implements Serializable {

  private static final long serialVersionUID = 1L;
  static final float MIN_STD = 1e-6f;
  private static final int MAGIC = 0x43485354; // "CHST"

  public ChannelStats {
    Args.notNull("mean", mean);
    Args.notNull("std", std);
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std must have the same, non-zero number of channels, got "
          + mean.length + " and " + std.length);
    }
    for (int c = 0; c < mean.length; c++) {
      if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException("channel " + c + ": mean must be finite and std finite and > 0, got "
            + mean[c] + " and " + std[c]);
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Fits the statistics on {@code train} (double-precision accumulation). */
  public static ChannelStats fit(Dataset train) {
    Args.notNull("train", train);
    if (train.size() == 0) {
      throw new IllegalArgumentException("cannot fit normalisation statistics on an empty dataset");
    }
    int channels = train.exampleShape()[0];
    int per = train.exampleSize() / channels;
    double[] sum = new double[channels];
    double[] sq = new double[channels];
    float[] d = train.rawData();
    for (int i = 0; i < train.size(); i++) {
      for (int c = 0; c < channels; c++) {
        int off = i * train.exampleSize() + c * per;
        double s = 0;
        double s2 = 0;
        for (int t = 0; t < per; t++) {
          s += d[off + t];
          s2 += (double) d[off + t] * d[off + t];
        }
        sum[c] += s;
        sq[c] += s2;
      }
    }
    float[] mean = new float[channels];
    float[] std = new float[channels];
    double n = (double) per * train.size();
    for (int c = 0; c < channels; c++) {
      double m = sum[c] / n;
      double v = Math.max(0, sq[c] / n - m * m);
      mean[c] = (float) m;
      std[c] = (float) Math.max(MIN_STD, Math.sqrt(v));
    }
    return new ChannelStats(mean, std);
  }

  public int channels() {
    return mean.length;
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** {@code dataset} normalised with these statistics (a new dataset). */
  public Dataset apply(Dataset dataset) {
    Args.notNull("dataset", dataset);
    float[] out = dataset.rawData().clone();
    for (int i = 0; i < dataset.size(); i++) {
      applyInPlace(out, i * dataset.exampleSize(), dataset.exampleShape());
    }
    return dataset.withData(out);
  }

  /** Normalises one example of {@code shape} in place from {@code offset} (inference path, no allocation). */
  public void applyInPlace(float[] x, int offset, int[] shape) {
    Args.notNull("x", x);
    int size = Args.elementCount("example shape", shape);
    if (shape[0] != mean.length) {
      throw new IllegalArgumentException("example has " + shape[0] + " channels, statistics were fitted on "
          + mean.length);
    }
    if (offset < 0 || (long) offset + size > x.length) {
      throw new IllegalArgumentException("x: need " + size + " values from offset " + offset + ", length is " + x.length);
    }
    int per = size / shape[0];
    for (int c = 0; c < mean.length; c++) {
      float m = mean[c];
      float inv = 1f / std[c];
      for (int t = offset + c * per, end = t + per; t < end; t++) {
        x[t] = (x[t] - m) * inv;
      }
    }
  }

  /** Writes a small binary form: magic, channel count, means, stds. */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(mean.length);
    for (float v : mean) {
      out.writeFloat(v);
    }
    for (float v : std) {
      out.writeFloat(v);
    }
  }

  /** Reads what {@link #writeTo} wrote; rejects a wrong magic or an absurd channel count. */
  public static ChannelStats readFrom(DataInput in) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException("not normalisation statistics: magic " + Integer.toHexString(magic) + ", expected "
          + Integer.toHexString(MAGIC));
    }
    int n = in.readInt();
    if (n <= 0 || n > 1 << 16) {
      throw new IOException("normalisation statistics: channel count must be in 1..65536, got " + n);
    }
    float[] m = new float[n];
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = in.readFloat();
    }
    for (int i = 0; i < n; i++) {
      s[i] = in.readFloat();
    }
    try {
      return new ChannelStats(m, s);
    } catch (IllegalArgumentException e) {
      throw new IOException("normalisation statistics: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelStats s && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
