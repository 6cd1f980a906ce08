package drsn.data.io;

/**
 * Audio read from a WAV file: one float array per channel, samples scaled to [-1, 1).
 *
 * @param source        the file path or the name given
 * @param sampleRate    samples per second per channel
 * @param bitsPerSample the container size of one sample in the file (8, 16, 24, 32 or 64)
 * @param encoding      how samples were stored
 * @param channels      {@code channels[c][t]}, sample {@code t} of channel {@code c} (not copied)
 */
public record WavAudio(String source, int sampleRate, int bitsPerSample, WavAudio.Encoding encoding,
    float[][] channels) {

  /** How samples are stored. */
  public enum Encoding {
    /** Integer PCM: unsigned for 8 bits, two's complement otherwise. */
    PCM,
    /** IEEE 754 floating point. */
    FLOAT
  }

  /** The number of channels. */
  public int channelCount() {
    return channels.length;
  }

  /** The number of samples per channel. */
  public int frames() {
    return channels.length == 0 ? 0 : channels[0].length;
  }

  @Override
  public String toString() {
    return "WavAudio[" + source + ": " + channelCount() + " ch, " + frames() + " frames, " + sampleRate + " Hz, "
        + bitsPerSample + "-bit " + encoding + "]";
  }
}
