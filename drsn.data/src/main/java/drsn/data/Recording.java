package drsn.data;

import java.util.Arrays;

/**
 * One long multi-channel recording with a class label, for example a CWRU accelerometer file.
 * {@code channels[c]} holds channel c; all channels have the same length. Not copied: treat the
 * arrays as read-only once wrapped.
 */
public record Recording(String name, int label, double sampleRate, float[][] channels) {

  public Recording {
    Args.notNull("recording name", name);
    Args.nonNegative("label of recording '" + name + "'", label);
    Args.positiveFinite("sample rate of recording '" + name + "'", sampleRate);
    Args.notNull("channels of recording '" + name + "'", channels);
    if (channels.length == 0) {
      throw new IllegalArgumentException("recording '" + name + "' must have at least one channel, got none");
    }
    for (int c = 0; c < channels.length; c++) {
      if (channels[c] == null) {
        throw new IllegalArgumentException("recording '" + name + "': channel " + c + " is null");
      }
      if (channels[c].length != channels[0].length) {
        throw new IllegalArgumentException("recording '" + name + "': channel " + c + " has " + channels[c].length
            + " samples, channel 0 has " + channels[0].length);
      }
      for (int t = 0; t < channels[c].length; t++) {
        if (!Float.isFinite(channels[c][t])) {
          throw new IllegalArgumentException("recording '" + name + "': channel " + c + " has a non-finite value "
              + channels[c][t] + " at sample " + t);
        }
      }
    }
  }

  /** A single-channel recording. */
  public static Recording mono(String name, int label, double sampleRate, float[] samples) {
    return new Recording(name, label, sampleRate, new float[][] {Args.notNull("samples", samples)});
  }

  public int channelCount() {
    return channels.length;
  }

  /** Samples per channel. */
  public int length() {
    return channels[0].length;
  }

  /** This recording decimated by {@code factor} with an anti-aliasing filter ({@link Decimator}). */
  public Recording decimate(int factor) {
    var d = new Decimator(factor);
    float[][] out = new float[channels.length][];
    for (int c = 0; c < channels.length; c++) {
      out[c] = d.apply(channels[c]);
    }
    return new Recording(name, label, sampleRate / factor, out);
  }

  @Override
  public String toString() {
    return "Recording[" + name + ", label " + label + ", " + sampleRate + " Hz, " + channels.length + "×" + length() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Recording r && r.name.equals(name) && r.label == label && r.sampleRate == sampleRate
        && Arrays.deepEquals(r.channels, channels);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.deepHashCode(channels);
  }
}
