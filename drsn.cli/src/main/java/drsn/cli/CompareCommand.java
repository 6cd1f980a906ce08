package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.DataSources;
import drsn.cli.internal.Defaults;
import drsn.cli.internal.RunResult;
import drsn.cli.internal.TrainConfig;
import drsn.cli.internal.TrainRun;

import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import drsn.nn.Family;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compares families over noise kinds x SNRs x seeds (accuracy mean ± std, time).",
        "Trains every family in every cell of the grid and prints the paper-style table of test accuracy",
        "(mean ± std over seeds) and training time."})
final class CompareCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = "--models", split = ",", defaultValue = "resnet,drsn-cw", paramLabel = "FAMILY",
      description = "Families to compare (default: ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(names = "--noise", split = ",", defaultValue = "gaussian", paramLabel = "KIND",
      description = "Noise kinds: none, gaussian, laplacian, pink (default: ${DEFAULT-VALUE}).")
  List<String> noises;

  @Option(names = "--snr", split = ",", defaultValue = "-4,0,4", paramLabel = "DB",
      description = "SNRs in dB, applied to train and test data (default: ${DEFAULT-VALUE}).")
  List<Double> snrs;

  @Option(names = "--seeds", defaultValue = "3", description = "Seeds per cell (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = {"-d", "--data"}, paramLabel = "SPEC", defaultValue = "builtin",
      description = "Data (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--length", defaultValue = "0", paramLabel = "L",
      description = "Example length: window length for builtin/cwru (default " + Defaults.WINDOW + "), crop/pad length "
          + "for files (default: the longest).")
  int length;

  @Option(names = "--per-class", defaultValue = "" + Defaults.PER_CLASS,
      description = "Built-in data: examples per class (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text, csv or markdown (default: ${DEFAULT-VALUE}).")
  String format;

  @Mixin
  TrainingOptions training = new TrainingOptions();

  @Option(names = "--quiet", description = "No progress lines on stderr.")
  boolean quiet;

  record Cell(String model, String noise, double snr, double mean, double std, double seconds) {
  }

  @Override
  public Integer call() {
    if (!List.of("text", "csv", "markdown").contains(format)) {
      throw new CliException("--format must be text, csv or markdown, got '" + format + "'");
    }
    if (seeds < 1 || seeds > 100) {
      throw new CliException("--seeds must be in [1, 100], got " + seeds);
    }
    List<Family> families = new ArrayList<>();
    for (String m : models) {
      try {
        families.add(Family.fromId(m));
      } catch (IllegalArgumentException e) {
        throw new CliException("--models: " + e.getMessage());
      }
    }
    for (String n : noises) {
      NoiseOptions.kind(n); // validates
    }
    List<Cell> cells = new ArrayList<>();
    for (String noise : noises) {
      NoiseKind kind = NoiseOptions.kind(noise);
      for (double snr : kind == null ? List.of(Double.NaN) : snrs) {
        List<DatasetSplit> splits = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          long seed = training.seed + s;
          DatasetSplit clean = DataSources.load(data, new DataSources.Options(length, perClass, seed));
          splits.add(kind == null ? clean : new DatasetSplit(Noise.addToCopy(clean.train(), kind, snr, seed * 31 + 1),
              Noise.addToCopy(clean.test(), kind, snr, seed * 31 + 2), clean.unit()));
        }
        for (Family f : families) {
          double[] acc = new double[seeds];
          double secs = 0;
          for (int s = 0; s < seeds; s++) {
            long seed = training.seed + s;
            TrainConfig cfg = training.config(seed);
            RunResult r = TrainRun.run(f.id(), f, splits.get(s), cfg, training.widths(), training.units(),
                null, null, false, null);
            acc[s] = r.test().accuracy();
            secs += r.trainSeconds();
            if (!quiet) {
              err().printf(Locale.ROOT, "compare: %s, %s%s, seed %d: test accuracy %.4f (%.1f s)%n", f.id(), noise,
                  kind == null ? "" : " at " + DemoCommand.fmt(snr) + " dB", seed, acc[s], r.trainSeconds());
              err().flush();
            }
          }
          double mean = 0;
          for (double a : acc) {
            mean += a / seeds;
          }
          double var = 0;
          for (double a : acc) {
            var += (a - mean) * (a - mean);
          }
          double std = seeds > 1 ? Math.sqrt(var / (seeds - 1)) : 0;
          cells.add(new Cell(f.id(), noise, snr, mean, std, secs / seeds));
        }
      }
    }
    print(out(), cells);
    out().flush();
    return 0;
  }

  void print(PrintWriter o, List<Cell> cells) {
    switch (format) {
      case "csv" -> {
        o.println("model,noise,snr_db,accuracy_mean,accuracy_std,train_seconds");
        for (Cell c : cells) {
          o.printf(Locale.ROOT, "%s,%s,%s,%.4f,%.4f,%.2f%n", c.model(), c.noise(),
              Double.isNaN(c.snr()) ? "" : DemoCommand.fmt(c.snr()), c.mean(), c.std(), c.seconds());
        }
      }
      case "markdown" -> {
        o.println("| model | noise | SNR (dB) | test accuracy (mean ± std) | training time (s) |");
        o.println("|---|---|---:|---:|---:|");
        for (Cell c : cells) {
          o.printf(Locale.ROOT, "| %s | %s | %s | %.2f %% ± %.2f | %.1f |%n", c.model(), c.noise(),
              Double.isNaN(c.snr()) ? "–" : DemoCommand.fmt(c.snr()), 100 * c.mean(), 100 * c.std(), c.seconds());
        }
      }
      default -> {
        o.printf(Locale.ROOT, "%-9s %-10s %8s %22s %10s%n", "model", "noise", "SNR dB", "accuracy (mean ± std)",
            "train s");
        for (Cell c : cells) {
          o.printf(Locale.ROOT, "%-9s %-10s %8s %13.2f%% ± %5.2f %10.1f%n", c.model(), c.noise(),
              Double.isNaN(c.snr()) ? "-" : DemoCommand.fmt(c.snr()), 100 * c.mean(), 100 * c.std(), c.seconds());
        }
      }
    }
  }
}
