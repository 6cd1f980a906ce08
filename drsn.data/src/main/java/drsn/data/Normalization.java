package drsn.data;

/** Per-window normalisation; for statistics fitted on the training split see {@link ChannelStats}. */
public final class Normalization {

  private Normalization() {
  }

  /**
   * Every channel of every example shifted to mean 0 and scaled to standard deviation 1 using its
   * own statistics (a constant channel becomes all zeros). Needs no fitting, so it cannot leak.
   */
  public static Dataset zScorePerWindow(Dataset dataset) {
    Args.notNull("dataset", dataset);
    float[] out = dataset.rawData().clone();
    int channels = dataset.exampleShape()[0];
    int per = dataset.exampleSize() / channels;
    for (int row = 0; row < dataset.size() * channels; row++) {
      zScoreInPlace(out, row * per, per);
    }
    return dataset.withData(out);
  }

  /** z-scores {@code x[off, off+len)} in place. */
  public static void zScoreInPlace(float[] x, int off, int len) {
    Args.notNull("x", x);
    if (off < 0 || len < 0 || (long) off + len > x.length) {
      throw new IllegalArgumentException("x: need " + len + " values from offset " + off + ", length is " + x.length);
    }
    if (len == 0) {
      return;
    }
    double s = 0;
    for (int t = off; t < off + len; t++) {
      s += x[t];
    }
    double m = s / len;
    double v = 0;
    for (int t = off; t < off + len; t++) {
      double d = x[t] - m;
      v += d * d;
    }
    double sd = Math.sqrt(v / len);
    float inv = sd > ChannelStats.MIN_STD ? (float) (1 / sd) : 0f;
    float mf = (float) m;
    for (int t = off; t < off + len; t++) {
      x[t] = (x[t] - mf) * inv;
    }
  }
}
