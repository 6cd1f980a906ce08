package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.ModelFiles;
import drsn.cli.internal.NamedSignal;
import drsn.cli.internal.Printable;
import drsn.cli.internal.ProgressBar;
import drsn.cli.internal.SampleStream;
import drsn.cli.internal.SignalFiles;
import drsn.cli.internal.Timeline;
import drsn.cli.internal.UnitsCheck;
import drsn.cli.internal.WindowLines;
import drsn.nn.Architecture;
import drsn.nn.InputUnits;
import drsn.nn.Model;
import drsn.nn.Predictor;
import drsn.nn.StreamingClassifier;
import drsn.nn.internal.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Classifies signals from NPY, CSV or WAV files or standard input.",
        "NPY [L] or [C, L] or [N, C, L]; CSV one signal per column (or one multi-channel signal when the model has",
        "as many channels); WAV one signal; stdin one signal per line. A signal longer than the model's window",
        "gets a timeline: every window (--hop apart) with its time offset, and a summary (share of time per class,",
        "changes of state). Inputs at another sample rate or scale than the model's are resampled or refused.",
        "--stream classifies an endless signal on standard input as it arrives."})
final class PredictCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, paramLabel = "FILE", defaultValue = "drsn-out/model.safetensors",
      description = "Model file or training output folder (default: ${DEFAULT-VALUE}).")
  Path model;

  @Parameters(paramLabel = "INPUT", arity = "0..*",
      description = "Signal files (.npy, .csv, .wav); '-' or none reads numbers from standard input.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per input (class and probabilities; for long signals the "
      + "timeline and its summary); the same as --format json.")
  boolean json;

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text, csv (one row per window) or json (default: ${DEFAULT-VALUE}).")
  String format = "text";

  @Option(names = "--hop", defaultValue = "0", paramLabel = "SAMPLES",
      description = "Samples between windows of a long signal (default: the model's window length).")
  int hop;

  @Option(names = "--fit", description = "Zero-pad signals shorter than the model's window (longer ones get a timeline; "
      + "nothing is cropped).")
  boolean fit;

  @Option(names = "--stream", description = "Classify raw samples from standard input as they arrive: one result per "
      + "hop as soon as its window is full (channels interleaved; memory bounded by one window).")
  boolean stream;

  @Option(names = "--stream-format", defaultValue = "text", paramLabel = "FORMAT",
      description = "With --stream: text (numbers), f32 (little-endian float32, raw values) or s16 (little-endian "
          + "16-bit PCM, scaled to [-1, 1) like WAV) (default: ${DEFAULT-VALUE}).")
  String streamFormat = "text";

  @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ",
      description = "Sample rate of inputs that do not state one (CSV, NPY, stdin); default: the model's.")
  double rate;

  @Option(names = "--input-scale", paramLabel = "SCALE",
      description = "Declare the scale of CSV, NPY and stdin numbers: raw (as written, the default) or full-scale "
          + "(already in [-1, 1) like WAV samples).")
  String inputScale;

  @Option(names = "--top", defaultValue = "3", paramLabel = "K",
      description = "Classes to list per input in text output (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    Model m = ModelFiles.load(model);
    Architecture a = m.architecture();
    String fmt = json ? "json" : format.toLowerCase(Locale.ROOT);
    if (!List.of("text", "csv", "json").contains(fmt)) {
      throw new CliException("--format must be text, csv or json, got '" + format + "'");
    }
    InputUnits declared = declaredUnits();
    if (stream) {
      return stream(m, fmt, declared);
    }
    if (inputs.isEmpty()) {
      inputs.add("-");
    }
    // Every input is answered as soon as it is read: lines on stdin one by one as they arrive.
    Predictor p = m.predictor();
    PrintWriter o = out();
    if (fmt.equals("csv")) {
      o.println(WindowLines.csvHeader(a.classNames()));
    }
    for (String in : inputs) {
      if (in.equals("-")) {
        if (ProgressBar.onTerminal()) {
          err().println("drsn: reading numbers from standard input, one signal per line (end with Ctrl-D)");
          err().flush();
        }
        SignalFiles.textSignals(System.in, "stdin", a.inputChannels(), s -> answer(p, fmt, declared, s));
      } else {
        for (NamedSignal s : SignalFiles.read(Path.of(in), a.inputChannels())) {
          answer(p, fmt, declared, s);
        }
      }
    }
    return 0;
  }

  /** Classifies one signal (a timeline when it is longer than the model's window) and prints the result. */
  private void answer(Predictor p, String fmt, InputUnits declared, NamedSignal read) {
    Architecture a = p.model().architecture();
    NamedSignal s = UnitsCheck.toModelUnits(declare(read, declared), a.inputUnits(), this::note);
    PrintWriter o = out();
    int window = a.inputWidth();
    if (s.channels().length != a.inputChannels()) {
      throw new CliException(s.name() + ": the model expects " + a.inputChannels() + " channel"
          + (a.inputChannels() == 1 ? "" : "s") + ", the signal has " + s.channels().length);
    }
    if (s.length() > window) {
      Timeline t = Timeline.of(p, s, hop > 0 ? hop : window);
      switch (fmt) {
        case "json" -> o.println(Json.write(t.toMap(), Json.Format.REPORT));
        case "csv" -> t.csv().forEach(o::println);
        default -> t.text().forEach(l -> o.println(Printable.line(l)));
      }
    } else {
      float[] x = SignalFiles.toInput(s, a, fit ? SignalFiles.Fit.CROP_OR_PAD : SignalFiles.Fit.NONE);
      float[] pr = p.predict(x);
      int best = Timeline.argmax(pr);
      switch (fmt) {
        case "json" -> o.println(Json.write(result(s.name(), a.classNames(), pr, best), Json.Format.REPORT));
        case "csv" -> o.println(new WindowLines(s.name(), a.classNames(), s.units().sampleRate()).csvRow(0, pr, best));
        default -> o.println(line(s.name(), a.classNames(), pr, best, top));
      }
    }
    o.flush();
  }

  /** Predictions on a blank window before a stream is read (JIT warm-up). */
  static final int WARM_UP_CALLS = 3;

  /** --stream: results per hop, flushed one by one, until the end of standard input. */
  private int stream(Model m, String fmt, InputUnits declared) {
    Architecture a = m.architecture();
    if (!inputs.isEmpty() && !inputs.equals(List.of("-"))) {
      throw new CliException("--stream reads standard input; leave out the input files");
    }
    SampleStream.Format f = SampleStream.Format.parse(streamFormat);
    if (f == SampleStream.Format.S16 && inputScale != null && !inputScale.equals(SignalFiles.FULL_SCALE)) {
      throw new CliException("--stream-format s16 is full-scale PCM; --input-scale " + inputScale + " contradicts it");
    }
    InputUnits units = new InputUnits(declared.sampleRate(), f == SampleStream.Format.S16 ? f.scale()
        : declared.scale());
    if (UnitsCheck.decimationFactor("stdin", units, a.inputUnits()) != 1) {
      throw new CliException("stdin at " + units + " does not match the model's " + a.inputUnits()
          + "; resample the stream to the model's rate before it reaches drsn");
    }
    double rateForTimes = units.rateKnown() ? units.sampleRate() : a.inputUnits().sampleRate();
    int h = hop > 0 ? hop : a.inputWidth();
    PrintWriter o = out();
    if (fmt.equals("csv")) {
      o.println(WindowLines.csvHeader(a.classNames()));
      o.flush();
    }
    WindowLines line = new WindowLines("stdin", a.classNames(), rateForTimes);
    Predictor predictor = m.predictor();
    // A few predictions on a blank window before the first sample is read, so that the first real
    // window does not run in the interpreter (measured under load: 50-140 ms for the first window
    // without this, then 3-20 ms per hop).
    float[] blank = new float[a.inputSize()];
    float[] scratch = new float[a.classes()];
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      predictor.predict(blank, scratch);
    }
    StreamingClassifier sc = new StreamingClassifier(predictor, h, (start, pr) -> {
      int best = Timeline.argmax(pr);
      o.println(switch (fmt) {
        case "json" -> Json.write(line.windowMap(start, pr, best), Json.Format.REPORT);
        case "csv" -> line.csvRow(start, pr, best);
        default -> Printable.line(line.textLine(start, pr, best));
      });
      o.flush();
    });
    if (ProgressBar.onTerminal()) {
      err().println("drsn: streaming from standard input: " + a.inputChannels() + " channel(s) interleaved, window "
          + a.inputWidth() + ", hop " + h + " (end with Ctrl-D)");
      err().flush();
    }
    try {
      new SampleStream(f, sc).run(System.in);
    } catch (IOException e) {
      throw new CliException("cannot read standard input: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException("stdin: " + e.getMessage(), e);
    }
    return 0;
  }

  private void note(String message) {
    err().println("drsn: note: " + message);
    err().flush();
  }

  /** --rate and --input-scale as units for inputs that state none (null: nothing declared). */
  InputUnits declaredUnits() {
    if (!(rate == 0 || (rate > 0 && Double.isFinite(rate)))) {
      throw new CliException("--rate must be a positive number of samples per second, got " + rate);
    }
    if (inputScale != null && !inputScale.equals(SignalFiles.RAW) && !inputScale.equals(SignalFiles.FULL_SCALE)) {
      throw new CliException("--input-scale must be raw or full-scale, got '" + inputScale + "'");
    }
    return new InputUnits(rate, inputScale == null ? SignalFiles.RAW : inputScale);
  }

  /** Applies the declared rate and scale to a signal read from a raw file (WAV files state theirs). */
  static NamedSignal declare(NamedSignal s, InputUnits declared) {
    if (!s.units().scale().equals(SignalFiles.RAW)) {
      return s;
    }
    double r = s.units().rateKnown() ? s.units().sampleRate() : declared.sampleRate();
    return new NamedSignal(s.name(), s.channels(), new InputUnits(r, declared.scale()));
  }

  /** "name: class (p)  [top classes]". */
  static String line(String name, List<String> classNames, float[] pr, int best, int top) {
    StringBuilder b = new StringBuilder();
    b.append(name).append(": ").append(classNames.get(best)).append(String.format(Locale.ROOT, " (%.3f)", pr[best]));
    Integer[] order = new Integer[pr.length];
    for (int c = 0; c < order.length; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (x, y) -> Float.compare(pr[y], pr[x]));
    if (top > 1) {
      b.append("  [");
      for (int c = 0; c < Math.min(top, order.length); c++) {
        if (c > 0) {
          b.append(", ");
        }
        b.append(classNames.get(order[c])).append(String.format(Locale.ROOT, " %.3f", pr[order[c]]));
      }
      b.append(']');
    }
    return Printable.line(b.toString()); // input and class names come from files: no raw control characters
  }

  static Map<String, Object> result(String name, List<String> classNames, float[] pr, int best) {
    Map<String, Object> r = new LinkedHashMap<>();
    if (name != null) {
      r.put("input", name);
    }
    r.put("class", classNames.get(best));
    r.put("class_index", best);
    Map<String, Object> probs = new LinkedHashMap<>();
    for (int c = 0; c < pr.length; c++) {
      probs.put(classNames.get(c), (double) pr[c]);
    }
    r.put("probabilities", probs);
    return r;
  }
}
