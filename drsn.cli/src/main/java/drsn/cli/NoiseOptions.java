package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import java.util.Locale;
import picocli.CommandLine.Option;

/** --noise, --snr and --noise-on: fixed noisy copies of the chosen split(s), the paper's protocol. */
final class NoiseOptions {

  @Option(names = "--noise", defaultValue = "none", paramLabel = "KIND",
      description = "Noise to add: none, gaussian, laplacian, pink (default: ${DEFAULT-VALUE}).")
  String noise = "none";

  @Option(names = "--snr", defaultValue = "0", paramLabel = "DB",
      description = "Signal-to-noise ratio in dB of the added noise (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--noise-on", defaultValue = "both", paramLabel = "SPLIT",
      description = "Which split(s) get noise: train, test or both (default: ${DEFAULT-VALUE}).")
  String on = "both";

  static NoiseKind kind(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "none" -> null;
      case "gaussian", "white", "white-gaussian" -> NoiseKind.WHITE_GAUSSIAN;
      case "laplacian", "laplace" -> NoiseKind.LAPLACIAN;
      case "pink" -> NoiseKind.PINK;
      default -> throw new CliException("--noise must be none, gaussian, laplacian or pink, got '" + name + "'");
    };
  }

  DatasetSplit apply(DatasetSplit split, long seed) {
    NoiseKind k = kind(noise);
    if (!Double.isFinite(snr)) {
      throw new CliException("--snr must be a finite number of dB, got " + snr);
    }
    if (!on.equals("train") && !on.equals("test") && !on.equals("both")) {
      throw new CliException("--noise-on must be train, test or both, got '" + on + "'");
    }
    if (k == null) {
      return split;
    }
    Dataset train = on.equals("test") ? split.train() : Noise.addToCopy(split.train(), k, snr, seed * 31 + 1);
    Dataset test = on.equals("train") ? split.test() : Noise.addToCopy(split.test(), k, snr, seed * 31 + 2);
    return new DatasetSplit(train, test, split.unit());
  }

  Dataset applyToTest(Dataset test, long seed) {
    NoiseKind k = kind(noise);
    return k == null ? test : Noise.addToCopy(test, k, snr, seed * 31 + 2);
  }

  String describe() {
    return kind(noise) == null ? "no noise" : noise + " noise at " + snr + " dB SNR on " + on;
  }
}
