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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    List<Family> families = families();
    for (String n : noises) {
      NoiseOptions.kind(n); // validates
    }
    List<Trial> trials = trials(families);
    List<CompareGrid.Outcome> outcomes;
    if (CompareGrid.RUNNER.isBound()) {
      // Elsewhere (drsn on Spark): each trial re-runs from these same arguments, so it is this run's trial.
      try {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        List<String> own = all.subList(all.indexOf(spec.name()) + 1, all.size());
        outcomes = CompareGrid.RUNNER.get().run(own, trials.size());
      } catch (Exception e) {
        throw new CliException("the comparison's trainings failed: " + e.getMessage(), e);
      }
      for (int i = 0; i < trials.size(); i++) {
        progress(trials.get(i), outcomes.get(i));
      }
    } else {
      outcomes = new ArrayList<>();
      // One load per noise, SNR and seed, shared by the families.
      Map<Long, DatasetSplit> splits = new HashMap<>();
      Trial loaded = null;
      for (Trial t : trials) {
        if (loaded == null || !t.noise().equals(loaded.noise()) || Double.compare(t.snr(), loaded.snr()) != 0) {
          splits.clear();
        }
        loaded = t;
        CompareGrid.Outcome o = train(t, splits.computeIfAbsent(t.seed(), s -> data(t)));
        progress(t, o);
        outcomes.add(o);
      }
    }
    List<Cell> cells = new ArrayList<>();
    for (int first = 0; first < trials.size(); first += seeds) {
      Trial t = trials.get(first);
      double[] acc = new double[seeds];
      double secs = 0;
      for (int s = 0; s < seeds; s++) {
        acc[s] = outcomes.get(first + s).accuracy();
        secs += outcomes.get(first + s).seconds();
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
      cells.add(new Cell(t.family().id(), t.noise(), t.snr(), mean, std, secs / seeds));
    }
    print(out(), cells);
    out().flush();
    return 0;
  }

  /** One training of the grid: a family on one seed's data with one noise at one SNR (NaN: no noise). */
  record Trial(Family family, String noise, double snr, long seed) {
  }

  /** The grid's trainings in table order: noise, SNR, family, seed. */
  List<Trial> trials(List<Family> families) {
    List<Trial> out = new ArrayList<>();
    for (String noise : noises) {
      NoiseKind kind = NoiseOptions.kind(noise);
      for (double snr : kind == null ? List.of(Double.NaN) : snrs) {
        for (Family f : families) {
          for (int s = 0; s < seeds; s++) {
            out.add(new Trial(f, noise, snr, training.seed + s));
          }
        }
      }
    }
    return out;
  }

  /** A trial's data: the seed's split, with the trial's noise added to both parts. */
  DatasetSplit data(Trial t) {
    NoiseKind kind = NoiseOptions.kind(t.noise());
    DatasetSplit clean = DataSources.load(data, new DataSources.Options(length, perClass, t.seed()));
    return kind == null ? clean : new DatasetSplit(Noise.addToCopy(clean.train(), kind, t.snr(), t.seed() * 31 + 1),
        Noise.addToCopy(clean.test(), kind, t.snr(), t.seed() * 31 + 2), clean.unit());
  }

  /** Trains a trial's family on its data: the test accuracy and the training time. */
  CompareGrid.Outcome train(Trial t, DatasetSplit split) {
    TrainConfig cfg = training.config(t.seed());
    RunResult r = TrainRun.run(t.family().id(), t.family(), split, cfg, training.widths(), training.units(),
        null, null, false, null);
    return new CompareGrid.Outcome(r.test().accuracy(), r.trainSeconds());
  }

  /** The families of --models, checked. */
  List<Family> families() {
    List<Family> families = new ArrayList<>();
    for (String m : models) {
      try {
        families.add(Family.fromId(m));
      } catch (IllegalArgumentException e) {
        throw new CliException("--models: " + e.getMessage());
      }
    }
    return families;
  }

  private void progress(Trial t, CompareGrid.Outcome o) {
    if (!quiet) {
      err().printf(Locale.ROOT, "compare: %s, %s%s, seed %d: test accuracy %.4f (%.1f s)%n", t.family().id(),
          t.noise(), Double.isNaN(t.snr()) ? "" : " at " + DemoCommand.fmt(t.snr()) + " dB", t.seed(), o.accuracy(),
          o.seconds());
      err().flush();
    }
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
