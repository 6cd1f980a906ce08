package drsn.bench;

import drsn.data.Augmentation;
import drsn.data.CwruDataset;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseAugmentation;
import drsn.data.NoiseKind;
import drsn.data.Normalization;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.tensor.KernelProvider;
import drsn.train.Evaluation;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Robustness across noise levels (issue 17): a model trained on CWRU with noise at ONE SNR (the
 * paper's protocol: a fixed noisy copy of the training set, as {@link NoiseExperiment}), then
 * tested on the SAME test windows clean and at every SNR of {@code --eval-snrs}. The test copy at
 * the training SNR is exactly the one NoiseExperiment uses (same seeds).
 *
 * <p>Input handling ({@code --fixes}), each trained and tested the same way:
 * <ul>
 *   <li>{@code global}: the product's behaviour: fixed per-channel mean/std fitted on the noisy
 *       training set, in the architecture;</li>
 *   <li>{@code window}: every window z-scored by its own mean/std (training and test), the
 *       architecture's normalisation the identity;</li>
 *   <li>{@code augment}: global statistics, plus fresh extra noise on every training window at an
 *       SNR drawn from {@code --augment-snrs lo:hi} (relative to the already noisy window);</li>
 *   <li>{@code both}: augmentation, then per-window z-scoring of the result.</li>
 * </ul>
 * For {@code global}, two diagnostics separate the suspects (columns "rescaled" and "adabn"): the
 * same model on test windows rescaled so that each has the RMS it would have at the training SNR
 * (isolates the input scale that the fixed normalisation no longer corrects), and the same model
 * after re-estimating its batch-norm running statistics on the unlabelled test inputs of that SNR
 * (AdaBN; transductive, a diagnostic only: isolates batch-norm statistics).
 *
 * <pre>
 *   drsn.bench/experiment.sh SnrTransferExperiment --train-snr 0 --models resnet,drsn-cw --seeds 2 --threads 1
 * </pre>
 */
public final class SnrTransferExperiment {

  static final String USAGE = """
      SnrTransferExperiment [--data ../shared/data/cwru] [--noise gaussian] [--train-snr 0]
                            [--eval-snrs clean,10,5,0,-4,-8] [--models resnet,drsn-cw] [--seeds 2]
                            [--fixes global,window,augment,both] [--augment-snrs -6:20] [--epochs 40]
                            [--threads 1] [--diagnose true] [--out drsn.bench/target/snr-transfer]
                            [--train-noise window|absolute]
        eval SNRs: clean, N (noise at N dB per window, as in training), Nabs (one noise power for every
        window: N dB relative to the clean training set's mean power)""";

  /**
   * BN momentum 0.1: 50 passes leave 0.9^50 ≈ 0.5 % of the old statistics. Each pass is one batch
   * of the whole test set: the test windows are ordered by class, and partial batches would bias
   * the statistics towards the last classes.
   */
  private static final int ADABN_PASSES = 50;

  private SnrTransferExperiment() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = ExperimentSupport.options(args, List.of("data", "noise", "train-snr", "eval-snrs",
        "models", "seeds", "fixes", "augment-snrs", "epochs", "threads", "diagnose", "out", "train-noise"), USAGE);
    boolean absoluteTrainNoise = switch (opt.getOrDefault("train-noise", "window")) {
      case "window" -> false;
      case "absolute" -> true;
      default -> throw new IllegalArgumentException("--train-noise must be window or absolute");
    };
    Path data = Path.of(opt.getOrDefault("data", "../shared/data/cwru"));
    NoiseKind kind = NoiseExperiment.noise(opt.getOrDefault("noise", "gaussian"));
    double trainSnr = Double.parseDouble(opt.getOrDefault("train-snr", "0"));
    List<String> evalNames = ExperimentSupport.list(opt.getOrDefault("eval-snrs", "clean,10,5,0,-4,-8"));
    List<Family> models = ExperimentSupport.list(opt.getOrDefault("models", "resnet,drsn-cw")).stream()
        .map(Family::fromId).toList();
    int seeds = Integer.parseInt(opt.getOrDefault("seeds", "2"));
    List<String> fixes = ExperimentSupport.list(opt.getOrDefault("fixes", "global,window,augment,both"));
    String[] range = opt.getOrDefault("augment-snrs", "-6:20").split(":");
    double augLo = Double.parseDouble(range[0]);
    double augHi = Double.parseDouble(range[range.length - 1]);
    int epochs = Integer.parseInt(opt.getOrDefault("epochs", "40"));
    int threads = Integer.parseInt(opt.getOrDefault("threads", "1"));
    boolean diagnose = Boolean.parseBoolean(opt.getOrDefault("diagnose", "true"));
    Path out = Path.of(opt.getOrDefault("out", "drsn.bench/target/snr-transfer"));
    for (String fix : fixes) {
      if (!List.of("global", "window", "augment", "both").contains(fix)) {
        throw new IllegalArgumentException("--fixes: global, window, augment or both, got " + fix);
      }
    }

    DatasetSplit clean = CwruDataset.load(data, CwruDataset.DEFAULT_TRAIN_FRACTION, CwruDataset.DEFAULT_WINDOW,
        CwruDataset.DEFAULT_TRAIN_STRIDE, CwruDataset.DEFAULT_TEST_STRIDE);
    String setting = String.format(Locale.ROOT, "CWRU, %s noise: trained at %s dB (%d windows), tested on the same "
            + "%d test windows at %s; paper protocol (SGD, lr 0.1 step schedule, batch 128, micro 32), %d epochs, "
            + "%d thread(s), %d seed(s), augmentation SNR %s..%s dB, training noise %s; load average at start %s",
        NoiseExperiment.id(kind), NoiseExperiment.fmtSnr(trainSnr), clean.train().size(), clean.test().size(),
        evalNames, epochs, threads, seeds, NoiseExperiment.fmtSnr(augLo), NoiseExperiment.fmtSnr(augHi),
        absoluteTrainNoise ? "at one power for every window" : "at the SNR per window", ExperimentSupport.load());
    System.out.println(setting);

    List<String> runs = new ArrayList<>();
    runs.add("model,fix,seed,eval_snr,accuracy,rescaled_accuracy,adabn_accuracy,zeroed_fraction,mean_alpha,"
        + "mean_tau,train_seconds");
    Map<String, List<Double>> cells = new LinkedHashMap<>(); // "model|fix|eval" → accuracies over seeds
    for (int s = 1; s <= seeds; s++) {
      Dataset train = absoluteTrainNoise
          ? absoluteNoise(clean.train(), kind, trainSnr, meanPower(clean.train()), 104_729L * s)
          : ExperimentSupport.noisyCopy(clean, kind, trainSnr, s).train();
      Map<String, Dataset> tests = new LinkedHashMap<>();
      for (String e : evalNames) {
        tests.put(e, e.equals("clean") ? clean.test() : e.endsWith("abs")
            ? absoluteNoise(clean.test(), kind, snrOf(e), meanPower(clean.train()), 7_919L * s)
            : ExperimentSupport.noisyCopy(clean, kind, Double.parseDouble(e), s).test());
      }
      for (String fix : fixes) {
        boolean perWindow = fix.equals("window") || fix.equals("both");
        boolean augment = fix.equals("augment") || fix.equals("both");
        for (Family f : models) {
          Architecture base = Architecture.paper(f, train.exampleSize(), train.numClasses())
              .withClassNames(train.classNames());
          Architecture arch = perWindow ? base : ExperimentSupport.normalizedBy(base, train);
          Dataset fitOn = perWindow && !augment ? Normalization.zScorePerWindow(train) : train;
          TrainingConfig.Builder config = TrainingConfig.builder().epochs(epochs).batchSize(128).microBatchSize(32)
              .threads(threads).seed(s).optimizer(OptimizerSettings.paper())
              .schedule(LearningRateSchedule.paper(0.1));
          if (augment) {
            Augmentation noise = new NoiseAugmentation(kind, augLo, augHi);
            config.augmentation(perWindow ? noise.andThen(SnrTransferExperiment::zScore) : noise);
          }
          try (Trainer trainer = new Trainer(arch, config.build())) {
            long start = System.nanoTime();
            TrainingResult result = trainer.fit(fitOn, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            Model model = result.finalModel();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s %-7s seed %d (%.0f s):", f.id(),
                fix, s, seconds));
            for (Map.Entry<String, Dataset> t : tests.entrySet()) {
              Dataset test = perWindow ? Normalization.zScorePerWindow(t.getValue()) : t.getValue();
              double acc = trainer.evaluate(model, test).accuracy();
              double rescaled = Double.NaN;
              double adabn = Double.NaN;
              if (diagnose && fix.equals("global")) {
                double evalSnr = t.getKey().equals("clean") ? Double.POSITIVE_INFINITY : snrOf(t.getKey());
                rescaled = trainer.evaluate(model, scaled(test, rmsRatio(trainSnr, evalSnr))).accuracy();
                adabn = trainer.evaluate(adaptedBatchNorm(model, test), test).accuracy();
              }
              ExperimentSupport.Shrinkage shrink = ExperimentSupport.shrinkage(model, test);
              double tau = meanThreshold(model, test);
              cells.computeIfAbsent(f.id() + "|" + fix + "|" + t.getKey(), k -> new ArrayList<>()).add(acc);
              if (!Double.isNaN(rescaled)) {
                cells.computeIfAbsent(f.id() + "|global, rescaled test|" + t.getKey(), k -> new ArrayList<>())
                    .add(rescaled);
                cells.computeIfAbsent(f.id() + "|global, AdaBN on test|" + t.getKey(), k -> new ArrayList<>())
                    .add(adabn);
              }
              runs.add(String.format(Locale.ROOT, "%s,%s,%d,%s,%.4f,%s,%s,%s,%s,%s,%.1f", f.id(), fix, s, t.getKey(),
                  acc, ExperimentSupport.csvNumber(rescaled), ExperimentSupport.csvNumber(adabn),
                  ExperimentSupport.csvNumber(shrink.meanZeroed()), ExperimentSupport.csvNumber(shrink.meanAlpha()),
                  ExperimentSupport.csvNumber(tau), seconds));
              line.append(String.format(Locale.ROOT, " %s %.1f", t.getKey(), 100 * acc));
              if (!Double.isNaN(rescaled)) {
                line.append(String.format(Locale.ROOT, " [rescaled %.1f, adabn %.1f]", 100 * rescaled, 100 * adabn));
              }
              if (shrink.present()) {
                line.append(String.format(Locale.ROOT, " {zeroed %.0f%%, tau %.3g}", 100 * shrink.meanZeroed(), tau));
              }
            }
            System.out.println(line);
            ExperimentSupport.write(out.resolve("snr-transfer-runs.csv"), String.join("\n", runs) + "\n");
            ExperimentSupport.write(out.resolve("snr-transfer.md"), markdown(setting, evalNames, cells));
          }
        }
      }
    }
    System.out.print(markdown(setting, evalNames, cells));
  }

  /** Rows model/fix, columns eval SNR: mean accuracy % (min–max over seeds). */
  static String markdown(String setting, List<String> evalNames, Map<String, List<Double>> cells) {
    StringBuilder b = new StringBuilder("Setting: ").append(setting).append(".\n\n| model | input handling |");
    for (String e : evalNames) {
      b.append(e.equals("clean") ? " clean |" : e.endsWith("abs")
          ? " " + NoiseExperiment.fmtSnr(snrOf(e)) + " dB (one noise power) |" : " " + e + " dB |");
    }
    b.append("\n|---|---|").append("---:|".repeat(evalNames.size())).append('\n');
    List<String> rows = new ArrayList<>();
    for (String k : cells.keySet()) {
      String row = k.substring(0, k.lastIndexOf('|'));
      if (!rows.contains(row)) {
        rows.add(row);
      }
    }
    for (String row : rows) {
      String[] p = row.split("\\|");
      b.append("| ").append(p[0]).append(" | ").append(p[1]).append(" |");
      for (String e : evalNames) {
        List<Double> v = cells.get(row + "|" + e);
        if (v == null) {
          b.append(" — |");
          continue;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        b.append(String.format(Locale.ROOT, " %.1f (%.1f–%.1f) |", 100 * ExperimentSupport.mean(a),
            100 * Arrays.stream(a).min().orElseThrow(), 100 * Arrays.stream(a).max().orElseThrow()));
      }
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * How much larger a window is at {@code trainSnr} than at {@code evalSnr} (noise added at a
   * per-window SNR multiplies the clean RMS by √(1 + 10^(−SNR/10))).
   */
  static double rmsRatio(double trainSnr, double evalSnr) {
    double train = 1 + Math.pow(10, -trainSnr / 10);
    double eval = Double.isInfinite(evalSnr) ? 1 : 1 + Math.pow(10, -evalSnr / 10);
    return Math.sqrt(train / eval);
  }

  /** "clean" → +∞, "-4" or "-4abs" → −4. */
  static double snrOf(String evalName) {
    return evalName.equals("clean") ? Double.POSITIVE_INFINITY
        : Double.parseDouble(evalName.endsWith("abs") ? evalName.substring(0, evalName.length() - 3) : evalName);
  }

  /** Mean power (mean square) of the examples of {@code d}. */
  static double meanPower(Dataset d) {
    double p = 0;
    for (int i = 0; i < d.size(); i++) {
      for (float v : d.example(i)) {
        p += (double) v * v;
      }
    }
    return p / ((double) d.size() * d.exampleSize());
  }

  /**
   * A copy of {@code d} with noise of ONE power for every window: {@code power}·10^(−snr/10), i.e.
   * the SNR {@code snr} on average over the training set, not per window. Under the per-window SNR
   * protocol a window's noise power is proportional to its own power, so the noise level carries
   * the class's vibration amplitude; this test set removes that cue.
   */
  static Dataset absoluteNoise(Dataset d, NoiseKind kind, double snr, double power, long seed) {
    float[] x = new float[d.size() * d.exampleSize()];
    for (int i = 0; i < d.size(); i++) {
      d.copyExample(i, x, i * d.exampleSize());
    }
    float[] n = new float[x.length];
    var noise = new Noise(kind);
    var rng = new SplittableRandom(seed);
    for (int i = 0; i < d.size(); i++) {
      noise.fill(n, i * d.exampleSize(), d.exampleSize(), rng);
    }
    double scale = Math.sqrt(power * Math.pow(10, -snr / 10));
    for (int i = 0; i < x.length; i++) {
      x[i] += (float) (scale * n[i]);
    }
    return Dataset.of(x, d.labels(), d.exampleShape(), d.classNames());
  }

  static Dataset scaled(Dataset d, double factor) {
    float[] x = new float[d.size() * d.exampleSize()];
    for (int i = 0; i < d.size(); i++) {
      d.copyExample(i, x, i * d.exampleSize());
    }
    for (int i = 0; i < x.length; i++) {
      x[i] *= (float) factor;
    }
    return Dataset.of(x, d.labels(), d.exampleShape(), d.classNames());
  }

  /** The model with its batch-norm running statistics re-estimated on {@code data}'s inputs (labels unused). */
  static Model adaptedBatchNorm(Model model, Dataset data) {
    Network net = model.newNetwork(KernelProvider.get()).training(true);
    float[] x = new float[data.size() * data.exampleSize()];
    for (int i = 0; i < data.size(); i++) {
      data.copyExample(i, x, i * data.exampleSize());
    }
    for (int pass = 0; pass < ADABN_PASSES; pass++) {
      net.forward(x, data.size());
    }
    return net.toModel();
  }

  /** Mean threshold τ over the shrinkage units, samples and channels (NaN without shrinkage). */
  static double meanThreshold(Model model, Dataset data) {
    Network net = model.newNetwork(KernelProvider.get()).training(false);
    int n = Math.min(256, data.size());
    float[] x = new float[n * data.exampleSize()];
    for (int i = 0; i < n; i++) {
      data.copyExample(i, x, i * data.exampleSize());
    }
    net.forward(x, n);
    double sum = 0;
    int units = 0;
    for (int u = 0; u < net.unitCount(); u++) {
      if (net.hasThresholds(u)) {
        float[] tau = net.thresholds(u);
        double m = 0;
        for (float t : tau) {
          m += t;
        }
        sum += m / tau.length;
        units++;
      }
    }
    return units == 0 ? Double.NaN : sum / units;
  }

  /** Per-window z-scoring of every channel, as an augmentation step (after the noise). */
  private static void zScore(float[] src, int srcOffset, float[] dst, int dstOffset, int[] shape,
                             RandomGenerator rng) {
    int size = shape[0];
    for (int i = 1; i < shape.length; i++) {
      size *= shape[i];
    }
    System.arraycopy(src, srcOffset, dst, dstOffset, size);
    int row = size / shape[0];
    for (int c = 0; c < shape[0]; c++) {
      Normalization.zScoreInPlace(dst, dstOffset + c * row, row);
    }
  }
}
