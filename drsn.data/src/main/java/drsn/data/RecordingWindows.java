package drsn.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Cuts long recordings into fixed-length windows. The only way to get a train/test pair of
 * windowed datasets is {@link #splitByTime}: every recording is first split at a time boundary
 * (the first {@code trainFraction} of its samples for training, the rest for test), and windows
 * are then cut inside each part, so no window crosses the boundary and no test sample appears in
 * any training window. (Overlapping windows split at random put near-copies of test windows into
 * training — a known flaw of many published CWRU results.) The resulting datasets carry each
 * window's {@link WindowOrigin} and refuse further random splits.
 */
public final class RecordingWindows {

  private RecordingWindows() {
  }

  /** Number of windows of {@code window} samples, {@code stride} apart, that fit in {@code length} samples. */
  public static int windowCount(int length, int window, int stride) {
    Args.nonNegative("length", length);
    Args.positive("window length", window);
    Args.positive("stride", stride);
    return length < window ? 0 : (length - window) / stride + 1;
  }

  /**
   * The first samples of the windows that cover a long signal for classification (the timeline of
   * {@code drsn predict}, the windows drsn on Spark scores): windows of {@code window} samples
   * {@code hop} apart from sample 0 and, when samples are left over at the end, one more window
   * ending at the last sample, so that every sample is classified. None when {@code length < window}.
   */
  public static int[] coveringStarts(int length, int window, int hop) {
    int count = windowCount(length, window, hop);
    if (count == 0) {
      return new int[0];
    }
    int tail = length - ((count - 1) * hop + window);
    int[] starts = new int[tail > 0 ? count + 1 : count];
    for (int w = 0; w < count; w++) {
      starts[w] = w * hop;
    }
    if (tail > 0) {
      starts[count] = length - window;
    }
    return starts;
  }

  /** {@link #splitByTime(List, List, double, int, int, int)} with the same stride for both parts. */
  public static DatasetSplit splitByTime(List<Recording> recordings, List<String> classNames, double trainFraction,
      int window, int stride) {
    return splitByTime(recordings, classNames, trainFraction, window, stride, stride);
  }

  /**
   * Splits every recording at sample {@code floor(trainFraction * length)} and cuts windows of
   * {@code window} samples with {@code trainStride} in the first part and {@code testStride} in
   * the second. Examples are C×window (C = channels of the recordings, which must agree); labels
   * are the recordings' labels. Both parts must hold at least one window of every recording.
   */
  public static DatasetSplit splitByTime(List<Recording> recordings, List<String> classNames, double trainFraction,
      int window, int trainStride, int testStride) {
    Args.openFraction("train fraction", trainFraction);
    Args.positive("window length", window);
    Args.positive("train stride", trainStride);
    Args.positive("test stride", testStride);
    int channels = checkRecordings(recordings, classNames);
    int[] boundary = new int[recordings.size()];
    for (int r = 0; r < recordings.size(); r++) {
      Recording rec = recordings.get(r);
      boundary[r] = (int) Math.floor(trainFraction * rec.length());
      int testLength = rec.length() - boundary[r];
      if (boundary[r] < window || testLength < window) {
        throw new IllegalArgumentException("recording " + r + " ('" + rec.name() + "', " + rec.length()
            + " samples) split at " + trainFraction + " gives parts of " + boundary[r] + " and " + testLength
            + " samples; each must hold a window of " + window);
      }
    }
    Dataset train = cut(recordings, classNames, channels, window, trainStride, r -> 0, r -> boundary[r]);
    Dataset test = cut(recordings, classNames, channels, window, testStride, r -> boundary[r],
        r -> recordings.get(r).length());
    return new DatasetSplit(train, test);
  }

  /**
   * All windows of all recordings, for data that will not be split (inference, or a recording
   * reserved entirely for test). The dataset refuses random splits.
   */
  public static Dataset windowAll(List<Recording> recordings, List<String> classNames, int window, int stride) {
    Args.positive("window length", window);
    Args.positive("stride", stride);
    int channels = checkRecordings(recordings, classNames);
    Dataset d = cut(recordings, classNames, channels, window, stride, r -> 0, r -> recordings.get(r).length());
    if (d.size() == 0) {
      throw new IllegalArgumentException("window length " + window + " exceeds every recording's length");
    }
    return d;
  }

  /**
   * All windows of all recordings where recordings are grouped into units that any later split
   * must keep together (the files of one machine, say): a window's {@link WindowOrigin#recording}
   * is its recording's unit, {@code unitOf[r]}, not its index. The recordings of one unit are laid
   * end to end on the unit's time axis, in list order, one window length apart, so that windows of
   * different recordings never share a sample position and {@link WindowOrigin#overlaps} stays
   * true to the data. With {@code unitOf[r] == r} this is {@link #windowAll}. Recordings shorter
   * than one window give no windows; at least one window in all is required.
   */
  public static Dataset windowUnits(List<Recording> recordings, List<String> classNames, int window, int stride,
      int[] unitOf) {
    Args.positive("window length", window);
    Args.positive("stride", stride);
    int channels = checkRecordings(recordings, classNames);
    Args.notNull("unitOf", unitOf);
    if (unitOf.length != recordings.size()) {
      throw new IllegalArgumentException("unitOf: expected one unit per recording (" + recordings.size() + "), got "
          + unitOf.length);
    }
    Map<Integer, Long> axisEnd = new HashMap<>();
    int[] offset = new int[unitOf.length];
    for (int r = 0; r < unitOf.length; r++) {
      Args.nonNegative("unitOf[" + r + "]", unitOf[r]);
      long at = axisEnd.getOrDefault(unitOf[r], 0L);
      long end = at + recordings.get(r).length() + window;
      if (end > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("the recordings of unit " + unitOf[r] + " hold more than "
            + Integer.MAX_VALUE + " samples in all");
      }
      offset[r] = (int) at;
      axisEnd.put(unitOf[r], end);
    }
    Dataset d = cut(recordings, classNames, channels, window, stride, r -> 0, r -> recordings.get(r).length(),
        r -> unitOf[r], r -> offset[r]);
    if (d.size() == 0) {
      throw new IllegalArgumentException("window length " + window + " exceeds every recording's length");
    }
    return d;
  }

  private static int checkRecordings(List<Recording> recordings, List<String> classNames) {
    Args.notNull("recordings", recordings);
    Args.notNull("classNames", classNames);
    if (recordings.isEmpty()) {
      throw new IllegalArgumentException("need at least one recording, got none");
    }
    int channels = Args.notNull("recording 0", recordings.get(0)).channelCount();
    for (int r = 0; r < recordings.size(); r++) {
      Recording rec = Args.notNull("recording " + r, recordings.get(r));
      if (rec.channelCount() != channels) {
        throw new IllegalArgumentException("recording " + r + " ('" + rec.name() + "') has " + rec.channelCount()
            + " channels, recording 0 has " + channels);
      }
      if (rec.label() >= classNames.size()) {
        throw new IllegalArgumentException("recording " + r + " ('" + rec.name() + "') has label " + rec.label()
            + ", but there are only " + classNames.size() + " class names");
      }
      if (rec.sampleRate() != recordings.get(0).sampleRate()) {
        throw new IllegalArgumentException("recording " + r + " ('" + rec.name() + "') is sampled at "
            + rec.sampleRate() + " Hz, recording 0 at " + recordings.get(0).sampleRate()
            + " Hz; resample first (Recording.decimate)");
      }
    }
    return channels;
  }

  private static Dataset cut(List<Recording> recordings, List<String> classNames, int channels, int window, int stride,
      IntUnaryOperator from, IntUnaryOperator to) {
    return cut(recordings, classNames, channels, window, stride, from, to, r -> r, r -> 0);
  }

  private static Dataset cut(List<Recording> recordings, List<String> classNames, int channels, int window, int stride,
      IntUnaryOperator from, IntUnaryOperator to,
      IntUnaryOperator unit, IntUnaryOperator axisOffset) {
    long total = 0;
    for (int r = 0; r < recordings.size(); r++) {
      total += windowCount(to.applyAsInt(r) - from.applyAsInt(r), window, stride);
    }
    int exampleSize = Args.arraySize("window", channels, window);
    if (total * exampleSize > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(total + " windows of " + channels + "×" + window
          + " are more values than one array can hold; use a larger stride");
    }
    int n = (int) total;
    float[] data = new float[n * exampleSize];
    int[] labels = new int[n];
    int[] origins = new int[3 * n];
    int k = 0;
    for (int r = 0; r < recordings.size(); r++) {
      Recording rec = recordings.get(r);
      int start = from.applyAsInt(r);
      int count = windowCount(to.applyAsInt(r) - start, window, stride);
      for (int w = 0; w < count; w++, k++) {
        int s = start + w * stride;
        for (int c = 0; c < channels; c++) {
          System.arraycopy(rec.channels()[c], s, data, k * exampleSize + c * window, window);
        }
        labels[k] = rec.label();
        origins[3 * k] = unit.applyAsInt(r);
        origins[3 * k + 1] = axisOffset.applyAsInt(r) + s;
        origins[3 * k + 2] = window;
      }
    }
    return Dataset.create(data, labels, new int[] {channels, window}, classNames, origins);
  }
}
