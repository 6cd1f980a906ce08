package drsn.data.io;

/**
 * One signal read from a file for a model to classify: {@code channels[c][t]}, the name that
 * reports it (the file, or the file and the signal's index or column when a file holds several),
 * the sample rate the file states (0 when it states none) and whether its samples are fractions of
 * a format's full scale (WAV) rather than numbers as written (NPY, CSV).
 */
public record ModelInputSignal(String name, float[][] channels, double sampleRate, boolean fullScale) {

  /** Samples per channel. */
  public int length() {
    return channels.length == 0 ? 0 : channels[0].length;
  }
}
