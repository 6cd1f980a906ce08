package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.DataSources;
import drsn.cli.internal.Defaults;
import drsn.cli.internal.HtmlReport;
import drsn.cli.internal.PairedComparison;
import drsn.cli.internal.ProgressBar;
import drsn.cli.internal.RunResult;
import drsn.cli.internal.TrainConfig;
import drsn.cli.internal.TrainRun;
import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import drsn.nn.Family;
import drsn.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The main job: ResNet vs DRSN-CW on noisy built-in bearing data, over several seeds, with a report.",
        "For every seed it builds the built-in dataset (new signals and new noise), adds white Gaussian noise, trains",
        "ResNet and DRSN-CW with the training defaults of 'drsn train', and tests both on the same windows; it prints",
        "each seed's accuracies and their paired difference, how sure that difference is, and writes report.html."})
final class DemoCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = "--per-class", defaultValue = "" + Defaults.PER_CLASS,
      description = "Examples per class (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(names = "--length", defaultValue = "" + Defaults.WINDOW, description = "Window length (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--snr", defaultValue = "-4", description = "SNR in dB of the added noise (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--seeds", defaultValue = "3", description = "Seeds, each a new data set and training "
      + "(default: ${DEFAULT-VALUE}).")
  int seeds;

  @Mixin
  TrainingOptions training = new TrainingOptions();

  @Option(names = {"-o", "--out"}, defaultValue = "drsn-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    if (seeds < 1 || seeds > 100) {
      throw new CliException("--seeds must be in [1, 100], got " + seeds);
    }
    long start = System.nanoTime();
    Family[] families = {Family.RESNET, Family.DRSN_CW};
    String what = null;
    Files.createDirectories(out);
    List<RunResult> runs = new ArrayList<>();
    double[][] accuracy = new double[families.length][seeds];
    for (int s = 0; s < seeds; s++) {
      long seed = training.seed + s;
      DatasetSplit clean = DataSources.builtin(perClass, length, seed);
      DatasetSplit split = new DatasetSplit(Noise.addToCopy(clean.train(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 1),
          Noise.addToCopy(clean.test(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 2));
      if (what == null) {
        what = String.format(Locale.ROOT, "built-in bearing data, %d classes, %d training / %d test windows of %d "
            + "samples per seed, white Gaussian noise at %s dB SNR, %d seed%s", clean.train().numClasses(),
            clean.train().size(), clean.test().size(), length, fmt(snr), seeds, seeds == 1 ? "" : "s");
        out().println("drsn demo: " + what);
        out().flush();
      }
      TrainConfig cfg = training.config(seed);
      for (int f = 0; f < families.length; f++) {
        String name = families[f].id() + (seeds > 1 ? " seed " + seed : "");
        TrainingListener l = quiet ? null : new ProgressBar(err(), ProgressBar.onTerminal(), name, 10);
        Path dir = out.resolve(families[f].id() + (seeds > 1 ? "-seed" + seed : ""));
        RunResult r = TrainRun.run(name, families[f], split, cfg, training.widths(), training.units(), l, dir, false,
            null);
        TrainCommand.writeOutputs(dir, r, what, cfg);
        runs.add(r);
        accuracy[f][s] = r.test().accuracy();
      }
    }
    out().println();
    out().printf(Locale.ROOT, "%-6s %14s %14s %12s  %s%n", "seed", "resnet", "drsn-cw", "difference", "epochs kept "
        + "(resnet, drsn-cw)");
    for (int s = 0; s < seeds; s++) {
      out().printf(Locale.ROOT, "%-6d %13.2f%% %13.2f%% %+11.2f  %d, %d%n", training.seed + s, 100 * accuracy[0][s],
          100 * accuracy[1][s], 100 * (accuracy[1][s] - accuracy[0][s]), runs.get(2 * s).chosenEpoch(),
          runs.get(2 * s + 1).chosenEpoch());
    }
    PairedComparison p = PairedComparison.of(accuracy[0], accuracy[1]);
    out().printf(Locale.ROOT, "%-6s %13.2f%% %13.2f%% %+11.2f%n", "mean", 100 * p.meanA(), 100 * p.meanB(),
        100 * p.meanDifference());
    out().println();
    out().println(p.verdict("drsn-cw", "resnet"));
    double seconds = 0;
    for (RunResult r : runs) {
      seconds += r.trainSeconds();
    }
    Path report = out.resolve("report.html");
    HtmlReport.write(report, "drsn demo: ResNet vs DRSN-CW under noise", what + ". " + p.verdict("drsn-cw", "resnet"),
        runs);
    out().printf(Locale.ROOT, "%nreport: %s (models in %s/<model>[-seed<seed>]/model.safetensors); training %.1f s, "
        + "total %.1f s%n", report.toAbsolutePath(), out, seconds, (System.nanoTime() - start) / 1e9);
    out().flush();
    return 0;
  }

  static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
