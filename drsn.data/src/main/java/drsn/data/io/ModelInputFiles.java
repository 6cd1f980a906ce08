package drsn.data.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the signals of an NPY, CSV or WAV file are laid out for a model with a given number of
 * input channels: the one rule that {@code drsn predict} and drsn on Spark both apply, so that a
 * file gives the same signals wherever it is classified.
 * <ul>
 *   <li>NPY: shape [L] is one single-channel signal; [C, L] is one signal of C channels when C is
 *       the model's channel count (and more than one), otherwise C single-channel signals named
 *       {@code source[r]}; [N, C, L] is N signals named {@code source[i]}.</li>
 *   <li>CSV: one signal per column (named {@code source:column} when there are several), or, when
 *       the model has C &gt; 1 channels and the file C columns, one C-channel signal.</li>
 *   <li>WAV: one signal, its channels the file's, at the file's rate, full-scale.</li>
 * </ul>
 * For training, a file is one recording instead ({@link #recording}): its channels are the file's.
 * Errors are {@link IllegalArgumentException}s whose message names the source and the problem.
 */
public final class ModelInputFiles {

  private ModelInputFiles() {
  }

  /** The kind of a file judged by its name: "npy", "wav", "csv" (also .txt, .tsv) or null. */
  public static String kind(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".npy")) {
      return "npy";
    } else if (n.endsWith(".wav")) {
      return "wav";
    } else if (n.endsWith(".csv") || n.endsWith(".txt") || n.endsWith(".tsv")) {
      return "csv";
    }
    return null;
  }

  /**
   * The signals of a file's bytes, its format judged by {@code source}'s extension.
   *
   * @throws SignalFormatException when the bytes are not a valid file of that format
   * @throws IllegalArgumentException when the format is unknown or the contents do not make signals
   */
  public static List<ModelInputSignal> read(byte[] bytes, String source, int modelChannels)
      throws SignalFormatException {
    String kind = kind(source);
    if (kind == null) {
      throw new IllegalArgumentException("cannot tell the format of " + source + ": expected a .npy, .csv or .wav file");
    }
    return switch (kind) {
      case "npy" -> npy(NpyFile.read(bytes, source), source, modelChannels);
      case "wav" -> wav(WavFile.read(bytes, source), source);
      default -> csv(CsvFile.readColumns(bytes, source, CsvFile.Options.DEFAULT), source, modelChannels);
    };
  }

  /** The signals of an NPY array (see the class comment). */
  public static List<ModelInputSignal> npy(NpyArray a, String source, int modelChannels) {
    int[] shape = a.shape();
    checkNpyShape(shape, source, modelChannels);
    float[] v = a.toFloats();
    List<ModelInputSignal> out = new ArrayList<>();
    switch (shape.length) {
      case 1 -> out.add(raw(source, new float[][] {v}));
      case 2 -> {
        int rows = shape[0];
        int len = shape[1];
        if (rows == modelChannels && modelChannels > 1) {
          out.add(raw(source, split(v, 0, rows, len)));
        } else {
          for (int r = 0; r < rows; r++) {
            out.add(raw(source + "[" + r + "]", split(v, r * len, 1, len)));
          }
        }
      }
      case 3 -> {
        int n = shape[0];
        int c = shape[1];
        int len = shape[2];
        for (int i = 0; i < n; i++) {
          out.add(raw(source + "[" + i + "]", split(v, i * c * len, c, len)));
        }
      }
      default -> throw new IllegalStateException("rank checked by checkNpyShape");
    }
    return out;
  }

  /** The signals of CSV columns (see the class comment). */
  public static List<ModelInputSignal> csv(CsvColumns cols, String source, int modelChannels) {
    double[][] columns = cols.columns();
    List<ModelInputSignal> out = new ArrayList<>();
    if (modelChannels > 1 && columns.length == modelChannels) {
      float[][] ch = new float[columns.length][];
      for (int c = 0; c < columns.length; c++) {
        ch[c] = toFloats(columns[c]);
      }
      out.add(raw(source, ch));
      return out;
    }
    for (int c = 0; c < columns.length; c++) {
      String label = columns.length == 1 ? source : source + ":" + cols.names().get(c);
      out.add(raw(label, new float[][] {toFloats(columns[c])}));
    }
    return out;
  }

  /** The one signal of a WAV file, at its rate, full-scale; a file without samples is an error. */
  public static List<ModelInputSignal> wav(WavAudio a, String source) {
    if (a.frames() == 0) {
      throw new IllegalArgumentException(source + " holds no samples (an empty WAV data chunk)");
    }
    return List.of(new ModelInputSignal(source, a.channels(), a.sampleRate(), true));
  }

  /**
   * A file's bytes as one recording (the rule of {@code drsn train --data FOLDER} and drsn on
   * Spark): a WAV file's channels at its rate, a CSV file's columns (all, or those {@code columns}
   * names by header or 1-based number, in that order), an NPY array [L] (one channel) or [C, L] (C
   * channels); an NPY array [N, C, L] holds N segments of one recording (cut beforehand), one
   * signal each, named {@code source[i]}. A file without samples is an error.
   */
  public static List<ModelInputSignal> recording(byte[] bytes, String source, List<String> columns)
      throws SignalFormatException {
    String kind = kind(source);
    if (kind == null) {
      throw new IllegalArgumentException("cannot tell the format of " + source + ": expected a .npy, .csv or .wav file");
    }
    List<ModelInputSignal> out = switch (kind) {
      case "npy" -> recording(NpyFile.read(bytes, source), source);
      case "wav" -> {
        WavAudio a = WavFile.read(bytes, source);
        yield List.of(new ModelInputSignal(source, a.channels(), a.sampleRate(), true));
      }
      default -> List.of(raw(source, chosenColumns(CsvFile.readColumns(bytes, source, CsvFile.Options.DEFAULT),
          columns)));
    };
    for (ModelInputSignal s : out) {
      if (s.channels().length == 0 || s.length() == 0) {
        throw new IllegalArgumentException(source + " holds no samples");
      }
    }
    return out;
  }

  /** An NPY array as one recording: [L], [C, L], or [N, C, L] as N segments (see {@link #recording}). */
  public static List<ModelInputSignal> recording(NpyArray a, String source) {
    int[] shape = a.shape();
    float[] v = a.toFloats();
    return switch (shape.length) {
      case 1 -> List.of(raw(source, new float[][] {v}));
      case 2 -> List.of(raw(source, split(v, 0, shape[0], shape[1])));
      case 3 -> {
        List<ModelInputSignal> segments = new ArrayList<>();
        for (int i = 0; i < shape[0]; i++) {
          segments.add(raw(source + "[" + i + "]", split(v, i * shape[1] * shape[2], shape[1], shape[2])));
        }
        yield segments;
      }
      default -> throw new IllegalArgumentException(source + ": expected an NPY array [L], [C, L] or [N, C, L], got "
          + "shape " + Arrays.toString(shape));
    };
  }

  /** The CSV columns named or numbered (1-based) in {@code chosen}, or all when it is empty. */
  public static float[][] chosenColumns(CsvColumns cols, List<String> chosen) {
    double[][] columns = cols.columns();
    if (chosen.isEmpty()) {
      float[][] all = new float[columns.length][];
      for (int c = 0; c < columns.length; c++) {
        all[c] = toFloats(columns[c]);
      }
      return all;
    }
    float[][] out = new float[chosen.size()][];
    for (int k = 0; k < chosen.size(); k++) {
      String want = chosen.get(k).strip();
      int index = cols.names().indexOf(want);
      if (index < 0 && want.matches("[0-9]{1,9}")) {
        index = Integer.parseInt(want) - 1;
      }
      if (index < 0 || index >= columns.length) {
        throw new IllegalArgumentException(cols.source() + " has no column '" + want + "' (--columns takes header "
            + "names or numbers from 1); its columns are " + cols.names());
      }
      out[k] = toFloats(columns[index]);
    }
    return out;
  }

  /**
   * Refuses NPY shapes that make no signals for a model of {@code modelChannels} channels, or more
   * than the input limits ({@link Limits#SAMPLES_PER_SIGNAL}, {@link Limits#SIGNALS_PER_FILE}).
   */
  public static void checkNpyShape(int[] shape, String source, int modelChannels) {
    if (shape.length < 1 || shape.length > 3) {
      throw new IllegalArgumentException("cannot use " + source + ": expected an NPY array of 1 to 3 dimensions "
          + "([L], [C, L] or [N, C, L]), got shape " + Arrays.toString(shape));
    }
    for (int d : shape) {
      if (d == 0) {
        throw new IllegalArgumentException(source + " holds no samples (shape " + Arrays.toString(shape) + ")");
      }
    }
    int length = shape[shape.length - 1];
    if (!Limits.SAMPLES_PER_SIGNAL.allows(length)) {
      throw new IllegalArgumentException(source + ": " + Limits.SAMPLES_PER_SIGNAL.exceeded(length));
    }
    long signals = shape.length == 3 ? shape[0]
        : shape.length == 2 && !(shape[0] == modelChannels && modelChannels > 1) ? shape[0] : 1;
    if (!Limits.SIGNALS_PER_FILE.allows(signals)) {
      throw new IllegalArgumentException(source + ": " + Limits.SIGNALS_PER_FILE.exceeded(signals));
    }
  }

  private static ModelInputSignal raw(String name, float[][] channels) {
    return new ModelInputSignal(name, channels, 0, false);
  }

  private static float[][] split(float[] v, int off, int rows, int len) {
    float[][] ch = new float[rows][len];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(v, off + r * len, ch[r], 0, len);
    }
    return ch;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
