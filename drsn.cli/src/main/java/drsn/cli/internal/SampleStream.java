package drsn.cli.internal;

import drsn.nn.StreamingClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Decodes raw samples from a byte stream as they arrive and feeds them to a
 * {@link StreamingClassifier}: whatever one read returns is decoded and classified at once, so a
 * result comes as soon as its window is complete, not at the end of the input. Memory is one read
 * buffer and one window, whatever the length of the stream. Channels are interleaved, frame after
 * frame.
 */
public final class SampleStream {

  /** How samples are written on the stream. */
  public enum Format {
    /** Decimal numbers separated by white space, commas or semicolons (raw values). */
    TEXT,
    /** Little-endian IEEE float32 (raw values). */
    F32,
    /** Little-endian signed 16-bit PCM, scaled to [-1, 1) as WAV samples are (full scale). */
    S16;

    public static Format parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "text" -> TEXT;
        case "f32", "f32le", "float32" -> F32;
        case "s16", "s16le", "pcm16" -> S16;
        default -> throw new CliException("--stream-format must be text, f32 or s16, got '" + s + "'");
      };
    }

    /** The scale tag of the decoded values (see {@link SignalFiles}). */
    public String scale() {
      return this == S16 ? SignalFiles.FULL_SCALE : SignalFiles.RAW;
    }
  }

  /** Longest accepted number in text (characters): anything longer is not a sample. */
  static final int MAX_TOKEN = 64;

  private final Format format;
  private final StreamingClassifier classifier;
  private final byte[] buffer = new byte[1 << 14];
  private final float[] samples;
  private final int channels;
  private int pendingSamples;
  /** Bytes of an incomplete binary sample carried to the next read. */
  private final byte[] carry = new byte[4];
  private int carried;
  private final StringBuilder token = new StringBuilder();
  private long valuesRead;

  public SampleStream(Format format, StreamingClassifier classifier) {
    this.format = format;
    this.classifier = classifier;
    this.channels = classifier.channels();
    // Room for every value one read can hold, in whole frames.
    this.samples = new float[buffer.length + channels];
  }

  /** Reads until the end of the stream; returns the number of frames taken. */
  public long run(InputStream in) throws IOException {
    int n;
    while ((n = in.read(buffer)) >= 0) {
      switch (format) {
        case TEXT -> text(n);
        case F32 -> binary(n, 4);
        case S16 -> binary(n, 2);
      }
      flushFrames();
    }
    if (format == Format.TEXT && !token.isEmpty()) {
      endToken();
      flushFrames();
    }
    if (carried > 0) {
      throw new CliException("the stream ended inside a sample (" + carried + " stray byte" + (carried == 1 ? "" : "s")
          + ")");
    }
    if (pendingSamples > 0) {
      throw new CliException("the stream ended inside a frame: " + pendingSamples + " of " + channels + " channels");
    }
    return classifier.position();
  }

  private void text(int n) {
    for (int i = 0; i < n; i++) {
      char c = (char) (buffer[i] & 0xff);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == ';') {
        if (!token.isEmpty()) {
          endToken();
        }
      } else {
        if (token.length() >= MAX_TOKEN) {
          throw new CliException("stdin value " + (valuesRead + 1) + ": more than " + MAX_TOKEN
              + " characters, not a number");
        }
        token.append(c);
      }
    }
  }

  private void endToken() {
    float v;
    try {
      v = Float.parseFloat(token.toString());
    } catch (NumberFormatException e) {
      throw new CliException("stdin value " + (valuesRead + 1) + ": '" + token + "' is not a number");
    }
    if (!Float.isFinite(v)) {
      throw new CliException("stdin value " + (valuesRead + 1) + ": " + token + " is not a finite number");
    }
    token.setLength(0);
    add(v);
  }

  private void binary(int n, int width) {
    int i = 0;
    while (i < n) {
      carry[carried++] = buffer[i++];
      if (carried == width) {
        carried = 0;
        float v;
        if (width == 2) {
          v = (short) ((carry[0] & 0xff) | (carry[1] << 8)) / 32768f;
        } else {
          v = Float.intBitsToFloat((carry[0] & 0xff) | (carry[1] & 0xff) << 8 | (carry[2] & 0xff) << 16
              | (carry[3] & 0xff) << 24);
          if (!Float.isFinite(v)) {
            throw new CliException("stdin sample " + (valuesRead + 1) + " is " + v + "; samples must be finite");
          }
        }
        add(v);
      }
    }
  }

  private void add(float v) {
    samples[pendingSamples++] = v;
    valuesRead++;
  }

  /** Hands the whole frames decoded so far to the classifier; keeps a partial frame. */
  private void flushFrames() {
    int frames = pendingSamples / channels;
    if (frames == 0) {
      return;
    }
    classifier.accept(samples, 0, frames);
    int rest = pendingSamples - frames * channels;
    System.arraycopy(samples, frames * channels, samples, 0, rest);
    pendingSamples = rest;
  }
}
