package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.nn.internal.Json;
import drsn.cli.internal.ModelFiles;
import drsn.cli.internal.Printable;
import drsn.cli.internal.ModelSummary;
import drsn.cli.internal.NamedSignal;
import drsn.cli.internal.SignalFiles;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.tensor.KernelProvider;
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

@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Summarises a model: layers, output shapes, parameters, FLOPs.",
        "With --input, also the thresholds τ of every shrinkage unit per channel for that signal."})
final class InspectCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, paramLabel = "FILE", defaultValue = "drsn-out/model.safetensors",
      description = "Model file or training output folder (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = {"-i", "--input"}, paramLabel = "FILE",
      description = "A signal file (.npy, .csv, .wav; the first signal in it) whose thresholds to show.")
  Path input;

  @Option(names = "--fit", description = "Centre-crop or zero-pad the input to the model's length.")
  boolean fit;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    Model m = ModelFiles.load(model);
    Architecture a = m.architecture();
    List<ModelSummary.Row> rows = ModelSummary.rows(a);
    List<UnitShrinkage> taus = null;
    if (input != null) {
      taus = thresholds(m, input, fit);
    }
    PrintWriter o = out();
    if (json) {
      Map<String, Object> j = ModelSummary.describe(a);
      List<Object> layers = new ArrayList<>();
      for (ModelSummary.Row r : rows) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("name", r.name());
        l.put("kind", r.kind());
        l.put("output_shape", r.outShape());
        l.put("parameters", r.parameters());
        l.put("flops", r.flops());
        layers.add(l);
      }
      j.put("layers", layers);
      if (taus != null) {
        List<Object> t = new ArrayList<>();
        for (int u = 0; u < taus.size(); u++) {
          if (taus.get(u) != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("unit", u);
            e.put("thresholds", taus.get(u).tau());
            e.put("scales", taus.get(u).alpha());
            e.put("zeroed_fraction", taus.get(u).zeroed());
            t.add(e);
          }
        }
        j.put("thresholds", t);
      }
      o.println(Json.write(j, Json.Format.REPORT));
      return 0;
    }
    o.printf(Locale.ROOT, "%s model: input %s, %d classes (%s)%n", a.family().id(),
        a.dimensions() == 2 ? a.inputChannels() + "x" + a.inputHeight() + "x" + a.inputWidth()
            : a.inputChannels() + "x" + a.inputWidth(), a.classes(), Printable.line(String.join(", ", a.classNames())));
    o.printf(Locale.ROOT, "%-10s %-28s %-14s %10s %14s%n", "layer", "kind", "output", "params", "FLOPs");
    long tp = 0;
    long tf = 0;
    for (ModelSummary.Row r : rows) {
      o.printf(Locale.ROOT, "%-10s %-28s %-14s %,10d %,14d%n", r.name(), r.kind(), shape(r.outShape()), r.parameters(),
          r.flops());
      tp += r.parameters();
      tf += r.flops();
    }
    o.printf(Locale.ROOT, "%-10s %-28s %-14s %,10d %,14d%n", "total", "", "", tp, tf);
    if (taus != null) {
      o.println();
      o.println("thresholds τ and their scales α = τ / mean|x| per unit and channel for " + input
          + ", and the share of each unit's features set to zero:");
      boolean any = false;
      for (int u = 0; u < taus.size(); u++) {
        UnitShrinkage t = taus.get(u);
        if (t == null) {
          continue;
        }
        any = true;
        String head = String.format(Locale.ROOT, "units.%-3d zeroed %5.1f %%  ", u, 100 * t.zeroed());
        StringBuilder b = new StringBuilder(head).append('τ');
        for (float v : t.tau()) {
          b.append(String.format(Locale.ROOT, " %.4g", v));
        }
        b.append(System.lineSeparator()).append(" ".repeat(head.length())).append('α');
        for (float v : t.alpha()) {
          b.append(String.format(Locale.ROOT, " %.3f", v));
        }
        o.println(b);
      }
      if (!any) {
        o.println("(a " + a.family().id() + " model has no shrinkage units, so no thresholds)");
      }
    }
    o.flush();
    return 0;
  }

  /** One shrinkage unit on one signal: τ and α per channel, and the fraction of its features zeroed. */
  record UnitShrinkage(float[] tau, float[] alpha, double zeroed) {
  }

  /** Every unit on the first signal of the file (null for units without thresholds). */
  static List<UnitShrinkage> thresholds(Model m, Path file, boolean fit) {
    Architecture a = m.architecture();
    List<NamedSignal> signals = SignalFiles.read(file, a.inputChannels());
    if (signals.isEmpty()) {
      throw new CliException(file + " holds no signal");
    }
    return thresholds(m, SignalFiles.toInput(signals.getFirst(), a,
        fit ? SignalFiles.Fit.CROP_OR_PAD : SignalFiles.Fit.NONE));
  }

  static List<UnitShrinkage> thresholds(Model m, float[] x) {
    Network net = m.newNetwork(KernelProvider.get()).training(false);
    net.forward(x, 1);
    List<UnitShrinkage> out = new ArrayList<>();
    for (int u = 0; u < net.unitCount(); u++) {
      out.add(net.hasThresholds(u)
          ? new UnitShrinkage(net.thresholds(u), net.thresholdScales(u), net.zeroedFraction(u)) : null);
    }
    return out;
  }

  private static String shape(int[] s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length; i++) {
      if (i > 0) {
        b.append('x');
      }
      b.append(s[i]);
    }
    return b.toString();
  }
}
