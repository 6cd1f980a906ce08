package drsn.nn;

/**
 * Classifies an endless signal as it arrives: samples come in chunks of any size (down to one
 * frame), and every time a window of the model's length is complete the listener gets the class
 * probabilities of that window; windows start {@code hop} samples apart (a hop longer than the
 * window skips the samples in between). Memory is one window per channel, whatever the length of
 * the stream. After warm-up (the predictor's first call on this thread) a hop allocates nothing on
 * the heap: the window is kept in the model's input layout [C, L] and classified in place.
 *
 * <p>Not thread-safe: one stream per instance, fed from one thread (the listener runs on it).
 */
public final class StreamingClassifier {

  /** Receives one result per hop. */
  @FunctionalInterface
  public interface Listener {

    /**
     * The window of samples [start, start + window) of every channel has been classified.
     * {@code probabilities} is reused for the next window: copy what must outlive the call.
     */
    void window(long start, float[] probabilities);
  }

  private final Predictor predictor;
  private final Listener listener;
  private final int channels;
  private final int length;
  private final int hop;
  /** The current window, [C, L] channel after channel, its first {@code filled} samples valid. */
  private final float[] window;
  private final float[] probabilities;
  private int filled;
  /** Samples still to drop before the next window begins (hop longer than the window). */
  private long skip;
  /** Stream position of window[0]. */
  private long windowStart;

  public StreamingClassifier(Predictor predictor, int hop, Listener listener) {
    if (predictor == null || listener == null) {
      throw new IllegalArgumentException("predictor and listener must not be null");
    }
    Architecture a = predictor.model().architecture();
    if (a.dimensions() != 1) {
      throw new IllegalArgumentException("streaming needs a 1-D model (signals [C, L]), got a 2-D one");
    }
    if (hop < 1) {
      throw new IllegalArgumentException("hop must be at least 1 sample, got " + hop);
    }
    this.predictor = predictor;
    this.listener = listener;
    this.channels = a.inputChannels();
    this.length = a.inputWidth();
    this.hop = hop;
    this.window = new float[channels * length];
    this.probabilities = new float[a.classes()];
  }

  public int channels() {
    return channels;
  }

  /** Samples per channel of one window. */
  public int windowLength() {
    return length;
  }

  public int hop() {
    return hop;
  }

  /** Frames (samples per channel) taken so far. */
  public long position() {
    return windowStart + filled;
  }

  /**
   * Takes {@code frames} frames of interleaved samples ({@code channels()} values per frame, frame
   * after frame) from {@code samples[offset..]}; calls the listener for every window completed.
   * Non-finite samples are refused before anything is taken.
   */
  public void accept(float[] samples, int offset, int frames) {
    if (samples == null || offset < 0 || frames < 0 || (long) offset + (long) frames * channels > samples.length) {
      throw new IllegalArgumentException("need " + frames + " frames of " + channels + " samples from offset "
          + offset + ", the array has " + (samples == null ? "none" : samples.length));
    }
    int end = offset + frames * channels;
    for (int i = offset; i < end; i++) {
      if (!Float.isFinite(samples[i])) {
        throw new IllegalArgumentException("sample " + samples[i] + " at stream position "
            + (position() + (i - offset) / channels) + " (channel " + (i - offset) % channels
            + "): inputs must be finite");
      }
    }
    int f = 0;
    while (f < frames) {
      if (skip > 0) {
        int n = (int) Math.min(skip, frames - f);
        skip -= n;
        windowStart += n;
        f += n;
        continue;
      }
      // Copy as many frames as fit into the window, then classify it if it is full.
      int n = Math.min(length - filled, frames - f);
      for (int c = 0; c < channels; c++) {
        int dst = c * length + filled;
        int src = offset + f * channels + c;
        for (int k = 0; k < n; k++) {
          window[dst + k] = samples[src + k * channels];
        }
      }
      filled += n;
      f += n;
      if (filled == length) {
        emit();
      }
    }
  }

  /** A whole array of interleaved frames (its length a multiple of {@code channels()}). */
  public void accept(float[] samples) {
    if (samples == null || samples.length % channels != 0) {
      throw new IllegalArgumentException("expected whole frames of " + channels + " samples, got "
          + (samples == null ? "null" : samples.length + " samples"));
    }
    accept(samples, 0, samples.length / channels);
  }

  private void emit() {
    predictor.predict(window, probabilities);
    listener.window(windowStart, probabilities);
    if (hop < length) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(window, c * length + hop, window, c * length, length - hop);
      }
      filled = length - hop;
    } else {
      filled = 0;
      skip = hop - length;
    }
    windowStart += Math.min(hop, length);
  }
}
