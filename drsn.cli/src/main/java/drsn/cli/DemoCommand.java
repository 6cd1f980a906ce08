package drsn.cli;

import drsn.cli.internal.DataSources;
import drsn.cli.internal.HtmlReport;
import drsn.cli.internal.ProgressBar;
import drsn.cli.internal.RunResult;
import drsn.cli.internal.TrainConfig;
import drsn.cli.internal.TrainRun;
import drsn.train.TrainingListener;
import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import drsn.nn.Family;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The main job: ResNet vs DRSN-CW on noisy built-in bearing data, with a report.",
        "Builds the built-in dataset with white Gaussian noise, trains ResNet and DRSN-CW on it, prints the",
        "comparison and writes report.html (about a minute on 2 cores)."})
final class DemoCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = "--per-class", defaultValue = "200", description = "Examples per class (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(names = "--length", defaultValue = "2048", description = "Window length (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--snr", defaultValue = "-4", description = "SNR in dB of the added noise (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--epochs", defaultValue = "20", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", description = "Worker threads (default: the available processors).")
  Integer threads;

  @Option(names = {"-o", "--out"}, defaultValue = "drsn-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    DatasetSplit clean = DataSources.builtin(perClass, length, seed);
    DatasetSplit split = new DatasetSplit(Noise.addToCopy(clean.train(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 1),
        Noise.addToCopy(clean.test(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 2));
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    TrainConfig cfg = new TrainConfig(epochs, 32, "adam", 0.01, 0.9, false, 1e-4, "cosine", 0, 0, t, seed);
    String what = String.format(Locale.ROOT, "built-in bearing data, %d classes, %d train / %d test windows of %d "
        + "samples, white Gaussian noise at %s dB SNR", clean.train().numClasses(), clean.train().size(),
        clean.test().size(), length, fmt(snr));
    out().println("drsn demo: " + what);
    out().flush();
    Files.createDirectories(out);
    List<RunResult> runs = new ArrayList<>();
    for (Family f : new Family[] {Family.RESNET, Family.DRSN_CW}) {
      TrainingListener l = quiet ? null : new ProgressBar(err(), ProgressBar.onTerminal(), f.id(), 10);
      RunResult r = TrainRun.run(f.id(), f, split, cfg, List.of(4, 8, 16), List.of(4, 4, 4), l,
          out.resolve(f.id()), false, null);
      TrainCommand.writeOutputs(out.resolve(f.id()), r, what, cfg);
      runs.add(r);
    }
    out().println();
    out().printf(Locale.ROOT, "%-8s %10s %14s %12s%n", "model", "params", "test accuracy", "train time");
    for (RunResult r : runs) {
      out().printf(Locale.ROOT, "%-8s %,10d %13.2f%% %11.1fs%n", r.name(), r.model().architecture().parameterCount(),
          100 * r.test().accuracy(), r.trainSeconds());
    }
    Path report = out.resolve("report.html");
    HtmlReport.write(report, "drsn demo: ResNet vs DRSN-CW under noise", what, runs);
    out().printf(Locale.ROOT, "%nreport: %s (models in %s/<model>/model.safetensors); total %.1f s%n",
        report.toAbsolutePath(), out, (System.nanoTime() - start) / 1e9);
    out().flush();
    return 0;
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
