package drsn.bench;

import drsn.data.ChannelStats;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.ShrinkageStatistics;
import drsn.tensor.KernelProvider;
import drsn.train.Evaluation;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Option parsing, statistics, normalisation and threshold summaries shared by the experiment runners. */
final class ExperimentSupport {

  private ExperimentSupport() {
  }

  /** {@code --name value} pairs; names must be among {@code known}. */
  static Map<String, String> options(String[] args, List<String> known, String usage) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(usage);
        System.exit(0);
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + a + "'"
            + (i + 1 >= args.length ? " without a value" : "") + "\n" + usage);
      }
      String name = a.substring(2);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + known + "\n" + usage);
      }
      opt.put(name, args[++i]);
    }
    return opt;
  }

  static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Sample standard deviation (n − 1); 0 for a single value. */
  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  /**
   * Fixed noisy copies of a split's training and test sets (the paper's protocol: noise added once),
   * at the given SNR per example. Repetition {@code seed} fixes the realisation, the same for every
   * model, different for every noise kind and SNR.
   */
  static DatasetSplit noisyCopy(DatasetSplit clean, NoiseKind kind, double snr, int seed) {
    long noiseSeed = 1000L * seed + 10L * kind.ordinal() + Math.round(snr * 100);
    return new DatasetSplit(Noise.addToCopy(clean.train(), kind, snr, noiseSeed),
        Noise.addToCopy(clean.test(), kind, snr, noiseSeed + 7_919));
  }

  /** The architecture normalising its input with statistics fitted on the (noisy) training set only. */
  static Architecture normalizedBy(Architecture arch, Dataset train) {
    ChannelStats stats = ChannelStats.fit(train);
    List<Float> mean = new ArrayList<>();
    List<Float> std = new ArrayList<>();
    for (int c = 0; c < stats.channels(); c++) {
      mean.add(stats.mean()[c]);
      std.add(stats.std()[c]);
    }
    return arch.withNormalization(mean, std);
  }

  /**
   * What the shrinkage units of a model do on (up to 256) examples in evaluation mode. Per unit:
   * mean and largest threshold τ, mean scale α = τ / mean|x| and the fraction of branch features
   * set to zero; over all units: the means of α, of its standard deviation over samples and
   * channels together, of its standard deviation over samples alone (per channel: how much the
   * threshold subnetwork adapts α to the individual input) and of the zeroed fraction. α near 0
   * and few zeroed features everywhere mean the network acts like a plain ResNet; a small spread
   * over samples means one fixed scale per channel would do the same.
   */
  record Shrinkage(String perUnit, double meanAlpha, double alphaSpread, double alphaSampleSpread,
                   double meanZeroed) {

    static final Shrinkage NONE = new Shrinkage("", Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    boolean present() {
      return !perUnit.isEmpty();
    }

    /** "mean α 0.31, zeroed 24 %; per unit mean τ/max τ/mean α/zeroed: u0 ..." or "" without shrinkage units. */
    String text() {
      return present() ? String.format(Locale.ROOT, "mean alpha %.3f (sd %.3f, over samples %.3f), zeroed %.1f %%; per "
          + "unit mean tau/max tau/mean alpha/zeroed: %s", meanAlpha, alphaSpread, alphaSampleSpread, 100 * meanZeroed,
          perUnit) : "";
    }
  }

  static Shrinkage shrinkage(Model model, Dataset data) {
    var net = model.newNetwork(KernelProvider.get()).training(false);
    int n = Math.min(256, data.size());
    float[] x = new float[n * data.exampleSize()];
    for (int i = 0; i < n; i++) {
      data.copyExample(i, x, i * data.exampleSize());
    }
    net.forward(x, n);
    List<ShrinkageStatistics> units = ShrinkageStatistics.of(net);
    if (units.isEmpty()) {
      return Shrinkage.NONE;
    }
    StringBuilder b = new StringBuilder();
    double alpha = 0;
    double spread = 0;
    double sampleSpread = 0;
    double zeroed = 0;
    for (ShrinkageStatistics u : units) {
      alpha += u.meanScale();
      spread += u.scaleSpread();
      sampleSpread += u.scaleSampleSpread();
      zeroed += u.zeroedFraction();
      b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "u%d %.3g/%.3g/%.2f/%.0f%%", u.unit(),
          u.meanThreshold(), u.maxThreshold(), u.meanScale(), 100 * u.zeroedFraction()));
    }
    int k = units.size();
    return new Shrinkage(b.toString(), alpha / k, spread / k, sampleSpread / k, zeroed / k);
  }

  /** Writes text atomically (temporary file, then rename), creating the folder. */
  static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A number for a CSV cell: empty for NaN (not measured), else 4 decimals. */
  static String csvNumber(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * The eight CSV cells mean_alpha,alpha_sd,alpha_sample_sd,zeroed_fraction of the trained and then
   * of the initial model.
   */
  static String csvColumns(Shrinkage trained, Shrinkage initial) {
    return String.join(",", csvNumber(trained.meanAlpha()), csvNumber(trained.alphaSpread()),
        csvNumber(trained.alphaSampleSpread()), csvNumber(trained.meanZeroed()), csvNumber(initial.meanAlpha()),
        csvNumber(initial.alphaSpread()), csvNumber(initial.alphaSampleSpread()), csvNumber(initial.meanZeroed()));
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** One experiment run: the final model, its test evaluation, training seconds and final training loss. */
  record Run(Model model, Evaluation test, double seconds, double finalTrainLoss) {
  }

  /** Trains a fresh network of {@code arch} on {@code train} (no validation), then tests the final model once. */
  static Run trainAndTest(Architecture arch, TrainingConfig config, Dataset train, Dataset test) {
    try (Trainer trainer = new Trainer(arch, config)) {
      long start = System.nanoTime();
      TrainingResult result = trainer.fit(train, null);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Run(result.finalModel(), trainer.evaluate(result.finalModel(), test), seconds,
          result.history().epochs().getLast().trainLoss());
    }
  }
}
