package drsn.cli;

import drsn.cli.internal.TrainConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** Optimiser, schedule and run options shared by train, demo and compare. */
final class TrainingOptions {

  @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 20;

  @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME",
      description = "sgd (momentum), adam or adamw (default: ${DEFAULT-VALUE}).")
  String optimizer = "adam";

  @Option(names = "--lr", defaultValue = "0.01", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 0.01;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum = 0.9;

  @Option(names = "--nesterov", description = "Nesterov momentum for SGD.")
  boolean nesterov;

  @Option(names = "--weight-decay", defaultValue = "1e-4",
      description = "L2 weight decay on conv and FC weights (default: ${DEFAULT-VALUE}).")
  double weightDecay = 1e-4;

  @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "NAME",
      description = "step (x0.1 at 40%% and 80%%, the paper's), cosine or constant (default: ${DEFAULT-VALUE}).")
  String schedule = "cosine";

  @Option(names = "--warmup", defaultValue = "0", paramLabel = "EPOCHS",
      description = "Linear learning-rate warm-up in epochs (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM",
      description = "Clip the gradient norm (0 = off; default: ${DEFAULT-VALUE}).")
  double clip;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: the available processors).")
  Integer threads;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of data, noise and weights (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--widths", split = ",", defaultValue = "4,8,16", paramLabel = "W",
      description = "Channels per stage (default: ${DEFAULT-VALUE}, the paper's).")
  List<Integer> widths = List.of(4, 8, 16);

  @Option(names = "--units", split = ",", defaultValue = "4,4,4", paramLabel = "N",
      description = "Units per stage (default: ${DEFAULT-VALUE}, the paper's).")
  List<Integer> units = List.of(4, 4, 4);

  TrainConfig config(long seedOverride) {
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    return new TrainConfig(epochs, batch, optimizer, lr, momentum, nesterov, weightDecay, schedule, warmup, clip,
        Math.max(1, Math.min(t, 256)), seedOverride);
  }
}
