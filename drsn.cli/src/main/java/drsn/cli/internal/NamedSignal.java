package drsn.cli.internal;

/** One input signal as read from a file or stdin: {@code channels[c][t]}, with a name for the output. */
public record NamedSignal(String name, float[][] channels) {

  public int length() {
    return channels.length == 0 ? 0 : channels[0].length;
  }
}
