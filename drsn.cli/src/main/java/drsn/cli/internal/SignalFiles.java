package drsn.cli.internal;

import drsn.data.FixedLength;
import drsn.data.io.CsvColumns;
import drsn.data.io.CsvFile;
import drsn.data.io.NpyArray;
import drsn.data.io.NpyFile;
import drsn.data.io.WavAudio;
import drsn.data.io.WavFile;
import drsn.nn.Architecture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads signals for inference from NPY, CSV and WAV files or from text on standard input, and
 * turns them into a model's input layout [C, L].
 * <ul>
 *   <li>NPY: shape [L] is one single-channel signal; [C, L] is one signal of C channels when C is
 *       the model's channel count, otherwise C single-channel signals; [N, C, L] is N signals.</li>
 *   <li>CSV: one signal per column, or, when the model has C &gt; 1 channels and the file C
 *       columns, one C-channel signal.</li>
 *   <li>WAV: one signal, its channels the signal's channels.</li>
 *   <li>Text (stdin): numbers separated by commas or white space; every non-empty line is one
 *       signal (one channel), or, when there are several channels, C lines make one signal.</li>
 * </ul>
 */
public final class SignalFiles {

  private SignalFiles() {
  }

  /** Signals of a file, judged by its extension (.npy, .csv/.txt/.tsv, .wav). */
  public static List<NamedSignal> read(Path file, int modelChannels) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (!Files.exists(file)) {
        throw new CliException("input file " + file + " does not exist");
      }
      if (name.endsWith(".npy")) {
        return fromNpy(NpyFile.read(file), file.toString(), modelChannels);
      } else if (name.endsWith(".wav")) {
        WavAudio a = WavFile.read(file);
        if (a.frames() == 0) {
          throw new CliException(file + " holds no samples (an empty WAV data chunk)");
        }
        return List.of(new NamedSignal(file.toString(), a.channels()));
      } else if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".tsv")) {
        return fromCsv(CsvFile.readColumns(file), file.toString(), modelChannels);
      }
      throw new CliException("cannot tell the format of " + file + ": expected a .npy, .csv or .wav file");
    } catch (NoSuchFileException e) {
      throw new CliException("input file " + file + " does not exist", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static List<NamedSignal> fromNpy(NpyArray a, String source, int modelChannels) {
    int[] shape = a.shape();
    InputChecks.npyShape(shape, source, modelChannels);
    float[] v = a.toFloats();
    List<NamedSignal> out = new ArrayList<>();
    switch (shape.length) {
      case 1 -> out.add(new NamedSignal(source, new float[][] {v}));
      case 2 -> {
        int rows = shape[0];
        int len = shape[1];
        if (rows == modelChannels && modelChannels > 1) {
          out.add(new NamedSignal(source, split(v, 0, rows, len)));
        } else {
          for (int r = 0; r < rows; r++) {
            out.add(new NamedSignal(source + "[" + r + "]", split(v, r * len, 1, len)));
          }
        }
      }
      case 3 -> {
        int n = shape[0];
        int c = shape[1];
        int len = shape[2];
        for (int i = 0; i < n; i++) {
          out.add(new NamedSignal(source + "[" + i + "]", split(v, i * c * len, c, len)));
        }
      }
      default -> throw new IllegalStateException("rank checked by InputChecks.npyShape");
    }
    return out;
  }

  private static float[][] split(float[] v, int off, int rows, int len) {
    float[][] ch = new float[rows][len];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(v, off + r * len, ch[r], 0, len);
    }
    return ch;
  }

  static List<NamedSignal> fromCsv(CsvColumns cols, String source, int modelChannels) {
    double[][] columns = cols.columns();
    List<NamedSignal> out = new ArrayList<>();
    if (modelChannels > 1 && columns.length == modelChannels) {
      float[][] ch = new float[columns.length][];
      for (int c = 0; c < columns.length; c++) {
        ch[c] = toFloats(columns[c]);
      }
      out.add(new NamedSignal(source, ch));
      return out;
    }
    for (int c = 0; c < columns.length; c++) {
      String label = columns.length == 1 ? source : source + ":" + cols.names().get(c);
      out.add(new NamedSignal(label, new float[][] {toFloats(columns[c])}));
    }
    return out;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** Signals from text: see the class comment. */
  public static List<NamedSignal> fromText(InputStream in, String source, int modelChannels) {
    List<float[]> lines = TextSignals.parse(in, source);
    if (lines.isEmpty()) {
      throw new CliException(source + " holds no numbers");
    }
    List<NamedSignal> out = new ArrayList<>();
    if (modelChannels > 1) {
      if (lines.size() % modelChannels != 0) {
        throw new CliException(source + " has " + lines.size() + " lines; a " + modelChannels
            + "-channel model needs " + modelChannels + " lines (one per channel) per signal");
      }
      for (int i = 0; i < lines.size(); i += modelChannels) {
        out.add(new NamedSignal(source + "[" + (i / modelChannels) + "]",
            lines.subList(i, i + modelChannels).toArray(new float[0][])));
      }
    } else {
      for (int i = 0; i < lines.size(); i++) {
        out.add(new NamedSignal(lines.size() == 1 ? source : source + "[" + i + "]", new float[][] {lines.get(i)}));
      }
    }
    return out;
  }

  /** How to bring a signal of the wrong length to the model's length. */
  public enum Fit { NONE, CROP_OR_PAD }

  /** The signal as model input [C, L] (flat), after checking channels, length and finiteness. */
  public static float[] toInput(NamedSignal s, Architecture arch, Fit fit) {
    int c = arch.inputChannels();
    int len = arch.inputHeight() * arch.inputWidth();
    if (s.channels().length != c) {
      throw new CliException(s.name() + ": the model expects " + c + " channel" + (c == 1 ? "" : "s")
          + ", the signal has " + s.channels().length);
    }
    float[] x = new float[c * len];
    for (int ch = 0; ch < c; ch++) {
      float[] v = s.channels()[ch];
      if (v.length != len) {
        if (fit == Fit.NONE) {
          throw new CliException(s.name() + ": the model expects " + len + " samples per channel, the signal has "
              + v.length + " (use --fit to crop or zero-pad)");
        }
        v = FixedLength.fit(v, len, FixedLength.Mode.CENTRE);
      }
      for (int i = 0; i < len; i++) {
        if (!Float.isFinite(v[i])) {
          throw new CliException(s.name() + ": sample " + i + " of channel " + ch + " is " + v[i]
              + "; inputs must be finite");
        }
      }
      System.arraycopy(v, 0, x, ch * len, len);
    }
    return x;
  }
}
