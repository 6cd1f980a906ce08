package drsn.cli;

import drsn.nn.internal.Json;
import drsn.cli.internal.InputChecks;
import drsn.cli.internal.ModelFiles;
import drsn.cli.internal.Printable;
import drsn.cli.internal.NamedSignal;
import drsn.cli.internal.SignalFiles;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.Predictor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
        "NPY [L] or [C, L] or [N, C, L]; CSV one signal per column; WAV one signal; stdin one signal per line."})
final class PredictCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, paramLabel = "FILE", defaultValue = "drsn-out/model.safetensors",
      description = "Model file or training output folder (default: ${DEFAULT-VALUE}).")
  Path model;

  @Parameters(paramLabel = "INPUT", arity = "0..*",
      description = "Signal files (.npy, .csv, .wav); '-' or none reads numbers from standard input.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per input (class and probabilities).")
  boolean json;

  @Option(names = "--fit", description = "Centre-crop or zero-pad signals of another length to the model's.")
  boolean fit;

  @Option(names = "--top", defaultValue = "3", paramLabel = "K",
      description = "Classes to list per input in text output (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    Model m = ModelFiles.load(model);
    Architecture a = m.architecture();
    List<NamedSignal> signals = new ArrayList<>();
    if (inputs.isEmpty()) {
      inputs.add("-");
    }
    for (String in : inputs) {
      if (in.equals("-")) {
        if (drsn.cli.internal.ProgressBar.onTerminal()) {
          err().println("drsn: reading numbers from standard input, one signal per line (end with Ctrl-D)");
          err().flush();
        }
        signals.addAll(SignalFiles.fromText(System.in, "stdin", a.inputChannels()));
      } else {
        signals.addAll(SignalFiles.read(Path.of(in), a.inputChannels()));
      }
    }
    int n = signals.size();
    int size = a.inputSize();
    Predictor p = m.predictor();
    float[] probs = new float[InputChecks.values("predict", n, a.classes())];
    // Signals are checked and laid out a bounded batch at a time: many short inputs must not
    // become one array of inputs × the model's length before the first is even checked.
    int chunk = 64;
    for (int start = 0; start < n; start += chunk) {
      int cnt = Math.min(chunk, n - start);
      float[] part = new float[cnt * size];
      for (int i = 0; i < cnt; i++) {
        float[] x = SignalFiles.toInput(signals.get(start + i), a, fit ? SignalFiles.Fit.CROP_OR_PAD : SignalFiles.Fit.NONE);
        System.arraycopy(x, 0, part, i * size, size);
      }
      float[] out = new float[cnt * a.classes()];
      p.predictBatch(part, cnt, out);
      System.arraycopy(out, 0, probs, start * a.classes(), out.length);
    }
    PrintWriter o = out();
    for (int i = 0; i < n; i++) {
      float[] pr = java.util.Arrays.copyOfRange(probs, i * a.classes(), (i + 1) * a.classes());
      int best = argmax(pr);
      if (json) {
        o.println(Json.write(result(signals.get(i).name(), a.classNames(), pr, best), Json.Format.REPORT));
      } else {
        StringBuilder b = new StringBuilder();
        b.append(signals.get(i).name()).append(": ").append(a.classNames().get(best))
            .append(String.format(Locale.ROOT, " (%.3f)", pr[best]));
        Integer[] order = new Integer[pr.length];
        for (int c = 0; c < order.length; c++) {
          order[c] = c;
        }
        java.util.Arrays.sort(order, (x, y) -> Float.compare(pr[y], pr[x]));
        if (top > 1) {
          b.append("  [");
          for (int c = 0; c < Math.min(top, order.length); c++) {
            if (c > 0) {
              b.append(", ");
            }
            b.append(a.classNames().get(order[c])).append(String.format(Locale.ROOT, " %.3f", pr[order[c]]));
          }
          b.append(']');
        }
        o.println(Printable.line(b.toString())); // input names come from files and headers
      }
    }
    o.flush();
    return 0;
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

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
