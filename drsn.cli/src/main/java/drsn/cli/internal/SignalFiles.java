package drsn.cli.internal;

import drsn.data.FixedLength;
import drsn.data.io.ModelInputFiles;
import drsn.data.io.ModelInputSignal;
import drsn.data.io.CsvFile;
import drsn.data.io.Limits;
import drsn.data.io.NpyArray;
import drsn.data.io.NpyFile;
import drsn.data.io.WavAudio;
import drsn.data.io.WavFile;
import drsn.nn.Architecture;
import drsn.nn.InputUnits;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads signals from NPY, CSV and WAV files or from text on standard input, and turns them into
 * a model's input layout [C, L].
 *
 * <p>Scaling: loaders do not agree on what an amplitude of 1 means, and the model normalises with
 * fixed statistics from its training data, so the scale is recorded with every signal
 * ({@link InputUnits}): WAV samples are scaled to [-1, 1) of the format's full scale
 * ({@value #FULL_SCALE}); CSV, NPY and text values are used as written ({@value #RAW}). Only WAV
 * files state a sample rate; for the others it is unknown unless given (--rate).
 *
 * <p>For inference ({@link #read}):
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

  /** Scale tag of WAV samples: fractions of the format's full scale, in [-1, 1). */
  public static final String FULL_SCALE = "full-scale";
  /** Scale tag of CSV, NPY and text values: numbers as written, in whatever unit the logger used. */
  public static final String RAW = "raw";
  static final InputUnits RAW_UNKNOWN_RATE = new InputUnits(0, RAW);

  /** Largest stdin text accepted (64 MiB). */
  static final int MAX_TEXT = 64 << 20;

  private SignalFiles() {
  }

  /** Signals of a file, judged by its extension (.npy, .csv/.txt/.tsv, .wav). */
  public static List<NamedSignal> read(Path file, int modelChannels) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (!Files.exists(file)) {
        throw new CliException("input file " + file + " does not exist");
      }
      if (ModelInputFiles.kind(name) == null) {
        throw new CliException("cannot tell the format of " + file + ": expected a .npy, .csv or .wav file");
      }
      return switch (ModelInputFiles.kind(name)) {
        case "npy" -> fromNpy(NpyFile.read(file), file.toString(), modelChannels);
        case "wav" -> named(ModelInputFiles.wav(WavFile.read(file), file.toString()));
        default -> named(ModelInputFiles.csv(CsvFile.readColumns(file), file.toString(), modelChannels));
      };
    } catch (NoSuchFileException e) {
      throw new CliException("input file " + file + " does not exist", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * How to read a file as one recording.
   *
   * @param columns CSV columns that are the recording's channels, by header name or 1-based
   *                number, in this order; empty: every column
   * @param rate    sample rate of files that do not state one (CSV, NPY), 0 when unknown; a WAV
   *                file at another rate is an error
   */
  public record RecordingOptions(List<String> columns, double rate) {

    public static final RecordingOptions DEFAULT = new RecordingOptions(List.of(), 0);

    public RecordingOptions {
      columns = List.copyOf(columns);
      if (!(rate == 0 || (rate > 0 && Double.isFinite(rate)))) {
        throw new CliException("--rate must be a positive number of samples per second, got " + rate);
      }
    }
  }

  /**
   * A file as one recording whose channels are the file's: a WAV file's channels, a CSV file's
   * columns (all, or those chosen), an NPY array [L] (one channel) or [C, L] (C channels). An NPY
   * array [N, C, L] holds N segments of one recording (windows cut beforehand): one signal each,
   * to be kept together. Empty files, files without samples and unreadable files are errors
   * naming the file.
   */
  public static List<NamedSignal> recording(Path file, RecordingOptions o) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String source = file.toString();
    List<NamedSignal> out;
    try {
      if (!Files.isRegularFile(file)) {
        throw new CliException("input file " + file + " does not exist");
      }
      if (Files.size(file) == 0) {
        throw new CliException(file + " is empty");
      }
      InputUnits raw = new InputUnits(o.rate(), RAW);
      if (name.endsWith(".npy")) {
        out = withUnits(ModelInputFiles.recording(NpyFile.read(file), source), raw);
      } else if (name.endsWith(".wav")) {
        WavAudio a = WavFile.read(file);
        if (o.rate() > 0 && a.sampleRate() != o.rate()) {
          throw new CliException(file + " is sampled at " + a.sampleRate() + " Hz, --rate says " + o.rate());
        }
        out = List.of(new NamedSignal(source, a.channels(), new InputUnits(a.sampleRate(), FULL_SCALE)));
      } else if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".tsv")) {
        out = List.of(new NamedSignal(source, ModelInputFiles.chosenColumns(CsvFile.readColumns(file), o.columns()),
            raw));
      } else {
        throw new CliException("cannot tell the format of " + file + ": expected a .npy, .csv or .wav file");
      }
    } catch (NoSuchFileException e) {
      throw new CliException("input file " + file + " does not exist", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (NamedSignal s : out) {
      if (s.channels().length == 0 || s.length() == 0) {
        throw new CliException(file + " holds no samples");
      }
    }
    return out;
  }

  private static List<NamedSignal> withUnits(List<ModelInputSignal> signals, InputUnits units) {
    List<NamedSignal> out = new ArrayList<>(signals.size());
    for (ModelInputSignal s : signals) {
      out.add(new NamedSignal(s.name(), s.channels(), units));
    }
    return out;
  }

  static List<NamedSignal> fromNpy(NpyArray a, String source, int modelChannels) {
    try {
      ModelInputFiles.checkNpyShape(a.shape(), source, modelChannels);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e); // the shape's problem, not a failure to read the file
    }
    return named(ModelInputFiles.npy(a, source, modelChannels));
  }

  /** The signals of {@link ModelInputFiles}, with their units. */
  static List<NamedSignal> named(List<ModelInputSignal> signals) {
    List<NamedSignal> out = new ArrayList<>(signals.size());
    for (ModelInputSignal s : signals) {
      out.add(new NamedSignal(s.name(), s.channels(),
          new InputUnits(s.sampleRate(), s.fullScale() ? FULL_SCALE : RAW)));
    }
    return out;
  }

  /** Signals from text: see the class comment. */
  public static List<NamedSignal> fromText(InputStream in, String source, int modelChannels) {
    List<NamedSignal> out = new ArrayList<>();
    textSignals(in, source, modelChannels, out::add);
    return out;
  }

  /**
   * Signals from text, each handed to {@code each} as soon as its last line has arrived (so that
   * lines fed one by one are answered one by one, not at the end of the input): every non-empty
   * line not starting with # is one channel of numbers; one line is one signal, or C lines one
   * C-channel signal. Memory: one signal; a line longer than {@link #MAX_TEXT} bytes is an error.
   */
  public static void textSignals(InputStream in, String source, int modelChannels,
                                 Consumer<NamedSignal> each) {
    BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    List<float[]> pending = new ArrayList<>();
    int lineNo = 0;
    int firstLine = 0;
    int signals = 0;
    try {
      while (true) {
        int c = b.read();
        if (c >= 0 && c != '\n') {
          if (line.size() >= MAX_TEXT) {
            throw new CliException(source + " line " + (lineNo + 1) + " holds more than " + MAX_TEXT + " bytes");
          }
          line.write(c);
          continue;
        }
        if (c < 0 && line.size() == 0) {
          break;
        }
        lineNo++;
        float[] v = numbers(line.toString(StandardCharsets.UTF_8), source, lineNo);
        line.reset();
        if (v != null) {
          if (pending.isEmpty()) {
            firstLine = lineNo;
          }
          pending.add(v);
          if (pending.size() == Math.max(1, modelChannels)) {
            String name = source + (pending.size() == 1 ? " line " + lineNo : " lines " + firstLine + "-" + lineNo);
            each.accept(new NamedSignal(name, pending.toArray(new float[0][])));
            pending.clear();
            signals++;
          }
        }
        if (c < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new CliException("cannot read " + source + ": " + e.getMessage(), e);
    }
    if (!pending.isEmpty()) {
      throw new CliException(source + " ended after " + pending.size() + " of the " + modelChannels
          + " lines (one per channel) of a signal for a " + modelChannels + "-channel model");
    }
    if (signals == 0) {
      throw new CliException(source + " holds no numbers");
    }
  }

  /** The numbers of one text line, or null for a blank or comment line. */
  private static float[] numbers(String line, String source, int lineNo) {
    String t = line.strip();
    if (t.isEmpty() || t.startsWith("#")) {
      return null;
    }
    String[] parts = t.split("[,;\\s]+");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Float.parseFloat(parts[i]);
      } catch (NumberFormatException e) {
        throw new CliException(source + " line " + lineNo + ", value " + (i + 1) + ": '"
            + Limits.excerpt(parts[i]) + "' is not a number");
      }
      if (!Float.isFinite(v[i])) {
        throw new CliException(source + " line " + lineNo + ", value " + (i + 1) + ": "
            + Limits.excerpt(parts[i]) + " is not a finite number");
      }
    }
    return v;
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
