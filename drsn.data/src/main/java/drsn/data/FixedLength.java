package drsn.data;

import java.util.List;

/**
 * Brings examples of different lengths (spoken words, say) to one length. Longer rows are
 * cropped, shorter rows zero-padded; {@link Mode} chooses where.
 */
public final class FixedLength {

  /** Where to crop or pad. */
  public enum Mode {
    /** Keep the centre when cropping; pad equally on both sides (the extra zero at the end). */
    CENTRE,
    /** Keep the beginning when cropping; pad at the end. */
    START
  }

  private FixedLength() {
  }

  /** {@code x} cropped or zero-padded to {@code length} values. */
  public static float[] fit(float[] x, int length, Mode mode) {
    Args.notNull("signal", x);
    Args.positive("target length", length);
    Args.notNull("mode", mode);
    float[] out = new float[length];
    int n = x.length;
    if (n >= length) {
      int from = mode == Mode.CENTRE ? (n - length) / 2 : 0;
      System.arraycopy(x, from, out, 0, length);
    } else {
      int to = mode == Mode.CENTRE ? (length - n) / 2 : 0;
      System.arraycopy(x, 0, out, to, n);
    }
    return out;
  }

  /**
   * One example per recording, each C×length (every channel fitted the same way), labelled with
   * the recording's label.
   */
  public static Dataset toDataset(List<Recording> recordings, List<String> classNames, int length, Mode mode) {
    Args.notNull("recordings", recordings);
    Args.positive("target length", length);
    if (recordings.isEmpty()) {
      throw new IllegalArgumentException("need at least one recording, got none");
    }
    int channels = recordings.get(0).channelCount();
    int size = Args.arraySize("example", channels, length);
    float[] data = new float[Args.arraySize("dataset", size, recordings.size())];
    int[] labels = new int[recordings.size()];
    for (int r = 0; r < recordings.size(); r++) {
      Recording rec = Args.notNull("recording " + r, recordings.get(r));
      if (rec.channelCount() != channels) {
        throw new IllegalArgumentException("recording " + r + " has " + rec.channelCount() + " channels, recording 0 has "
            + channels);
      }
      for (int c = 0; c < channels; c++) {
        System.arraycopy(fit(rec.channels()[c], length, mode), 0, data, r * size + c * length, length);
      }
      labels[r] = rec.label();
    }
    return Dataset.create(data, labels, new int[] {channels, length}, classNames, null);
  }

  /** Every example of {@code dataset} with its rows (last axis) cropped or padded to {@code length}. */
  public static Dataset apply(Dataset dataset, int length, Mode mode) {
    Args.notNull("dataset", dataset);
    Args.positive("target length", length);
    int[] shape = dataset.exampleShape();
    int row = shape[shape.length - 1];
    int rows = dataset.exampleSize() / row;
    int[] outShape = shape.clone();
    outShape[outShape.length - 1] = length;
    float[] src = dataset.rawData();
    float[] out = new float[Args.arraySize("dataset", Args.arraySize("example", rows, length), dataset.size())];
    float[] tmp = new float[row];
    for (int r = 0; r < rows * dataset.size(); r++) {
      System.arraycopy(src, r * row, tmp, 0, row);
      System.arraycopy(fit(tmp, length, mode), 0, out, r * length, length);
    }
    return dataset.withData(out, outShape);
  }
}
