package drsn.cli.internal;

import drsn.nn.InputUnits;

/**
 * One signal as read from a file or stdin: {@code channels[c][t]}, with a name for the output and
 * the units it was read in (sample rate, 0 when the file does not say, and amplitude scale, see
 * {@link SignalFiles}).
 */
public record NamedSignal(String name, float[][] channels, InputUnits units) {

  /** A signal in raw units at an unknown rate (numbers as written). */
  public NamedSignal(String name, float[][] channels) {
    this(name, channels, SignalFiles.RAW_UNKNOWN_RATE);
  }

  public int length() {
    return channels.length == 0 ? 0 : channels[0].length;
  }
}
