package drsn.cli;

import drsn.cli.internal.Defaults;
import drsn.cli.internal.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Optimiser, schedule, budget and network-size options shared by train, demo and compare. */
final class TrainingOptions {

  @Option(names = "--epochs", defaultValue = "auto", paramLabel = "N|auto", converter = AutoOrPositive.class,
      description = "auto: train until the model has converged on the validation split (early stopping with "
          + "patience, learning rate halved on plateaus, the best epoch kept); N: exactly N epochs "
          + "(default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--validation", defaultValue = "" + Defaults.VALIDATION, paramLabel = "FRACTION",
      description = "Share of the training data held out for validation, split like the test data (by time or by "
          + "recording for windows); it selects the kept model and stops training. 0 = none: train exactly --epochs "
          + "and keep the final model (default: ${DEFAULT-VALUE}).")
  double validation = Defaults.VALIDATION;

  @Option(names = "--batch", defaultValue = "auto", paramLabel = "N|auto", converter = AutoOrPositive.class,
      description = "Mini-batch size; auto: about a tenth of the training set within [16, 64], evened out over the epoch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--optimizer", defaultValue = Defaults.OPTIMIZER, paramLabel = "NAME",
      description = "sgd (momentum), adam or adamw (default: ${DEFAULT-VALUE}).")
  String optimizer = Defaults.OPTIMIZER;

  @Option(names = "--lr", defaultValue = "" + Defaults.LEARNING_RATE,
      description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = Defaults.LEARNING_RATE;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum = 0.9;

  @Option(names = "--nesterov", description = "Nesterov momentum for SGD.")
  boolean nesterov;

  @Option(names = "--weight-decay", defaultValue = "" + Defaults.WEIGHT_DECAY,
      description = "L2 weight decay on conv and FC weights (default: ${DEFAULT-VALUE}).")
  double weightDecay = Defaults.WEIGHT_DECAY;

  @Option(names = "--schedule", defaultValue = "auto", paramLabel = "NAME",
      description = "auto (constant, halved on plateaus, with --epochs auto; cosine with a fixed --epochs), step "
          + "(x0.1 at 40%% and 80%%, the paper's), cosine or constant (default: ${DEFAULT-VALUE}).")
  String schedule = "auto";

  @Option(names = "--warmup", defaultValue = "0", paramLabel = "EPOCHS",
      description = "Linear learning-rate warm-up in epochs (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM",
      description = "Clip the gradient norm (0 = off; default: ${DEFAULT-VALUE}).")
  double clip;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: the available processors).")
  Integer threads;

  @Option(names = "--seed", defaultValue = "" + Defaults.SEED,
      description = "Seed of data, noise and weights (default: ${DEFAULT-VALUE}).")
  long seed = Defaults.SEED;

  @Option(names = "--augment", defaultValue = "auto", paramLabel = "auto|noise|none",
      description = "noise: fresh white Gaussian noise on every training window of every batch, at an SNR drawn from "
          + "[-6, 20] dB relative to the window, so that the model does not learn the noise level and holds up with "
          + "less or more noise than in training; auto: noise for windows of 1024 samples or more, none for shorter "
          + "series (default: ${DEFAULT-VALUE}).")
  String augment = "auto";

  @Option(names = "--widths", split = ",", paramLabel = "W",
      description = "Channels per stage (default: chosen from the data, see --units).")
  List<Integer> widths;

  @Option(names = "--units", split = ",", paramLabel = "N",
      description = "Units per stage (default: the paper's 4,4,4 with widths 4,8,16 for windows of 1024 samples or "
          + "more; for shorter series 1,1,1 with widths 32,64,64, kernels of 7 and a stem of stride 1).")
  List<Integer> units;

  TrainConfig config(long seedOverride) {
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    return new TrainConfig(epochs, batch, validation, optimizer, lr, momentum,
        nesterov, weightDecay, schedule, warmup, clip, Math.max(1, Math.min(t, 256)), seedOverride, augment);
  }

  /** The --widths given, or null for the data-driven choice. */
  List<Integer> widths() {
    return widths == null ? null : new ArrayList<>(widths);
  }

  List<Integer> units() {
    return units == null ? null : new ArrayList<>(units);
  }

  /** "auto" → 0, otherwise a positive integer; anything else is a usage error (exit 2). */
  static final class AutoOrPositive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.equalsIgnoreCase("auto")) {
        return 0;
      }
      try {
        int v = Integer.parseInt(value.strip());
        if (v > 0) {
          return v;
        }
      } catch (NumberFormatException ignored) {
        // fall through
      }
      throw new TypeConversionException("expected auto or a positive integer, got '"
          + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "'");
    }
  }
}
