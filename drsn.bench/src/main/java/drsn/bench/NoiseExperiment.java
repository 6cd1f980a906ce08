package drsn.bench;

import drsn.data.CwruDataset;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.NoiseKind;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.train.Evaluation;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DRSN paper's noise experiment on real data: CWRU (10 classes, drive end, 0 hp; the normal
 * recording decimated to 12 kHz; every recording split by time, first 80 % for training, before
 * cutting windows of 2,048 — see {@link CwruDataset}), noise added ONCE to fixed copies of the
 * training and the test set (the paper's protocol) at each SNR, the paper's networks trained the
 * same way, test accuracy mean ± std over seeds and the training time per model and cell.
 *
 * <p>Seed k (k = 1..N) fixes the noise realisation of that repetition (the same noisy data for
 * every model) and the models' initialisation and shuffling. Inputs are normalised with the mean
 * and standard deviation of the noisy training set. The test set is used only once per run, on
 * the final model (no model selection on it).
 *
 * <p>The full grid (documented in docs/results.md; hours on 2 cores):
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.NoiseExperiment \
 *        --noises gaussian,laplacian,pink --snrs -4,-2,0,2,4 --models convnet,resnet,drsn-cs,drsn-cw --seeds 3
 * </pre>
 * A reduced grid: {@code --noises gaussian --snrs -4,0 --models resnet,drsn-cw --seeds 2 --epochs 10}.
 * Writes {@code noise-results.md}, {@code noise-results.csv} (model,noise,snr_db,accuracy_mean,
 * accuracy_std,train_seconds) and {@code noise-runs.csv} (one line per run) under {@code --out}
 * after every cell, so an interrupted grid keeps what it finished.
 */
public final class NoiseExperiment {

  static final String USAGE = """
      NoiseExperiment [--data ../shared/data/cwru] [--noises gaussian,laplacian,pink] [--snrs -4,-2,0,2,4]
                      [--models convnet,resnet,drsn-cs,drsn-cw] [--seeds 3] [--epochs 40] [--batch 128]
                      [--micro 32] [--lr 0.1] [--schedule step|cosine] [--threads #cpus]
                      [--train-stride 512] [--out drsn.bench/target/noise] [--thresholds true]""";

  private NoiseExperiment() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = ExperimentSupport.options(args, List.of("data", "noises", "snrs", "models", "seeds",
        "epochs", "batch", "micro", "lr", "schedule", "threads", "train-stride", "out", "thresholds"), USAGE);
    Path data = Path.of(opt.getOrDefault("data", "../shared/data/cwru"));
    List<NoiseKind> noises = ExperimentSupport.list(opt.getOrDefault("noises", "gaussian,laplacian,pink")).stream()
        .map(NoiseExperiment::noise).toList();
    List<Double> snrs = ExperimentSupport.list(opt.getOrDefault("snrs", "-4,-2,0,2,4")).stream()
        .map(Double::parseDouble).toList();
    List<Family> models = ExperimentSupport.list(opt.getOrDefault("models", "convnet,resnet,drsn-cs,drsn-cw"))
        .stream().map(Family::fromId).toList();
    int seeds = Integer.parseInt(opt.getOrDefault("seeds", "3"));
    int epochs = Integer.parseInt(opt.getOrDefault("epochs", "40"));
    int batch = Integer.parseInt(opt.getOrDefault("batch", "128"));
    int micro = Integer.parseInt(opt.getOrDefault("micro", "32"));
    double lr = Double.parseDouble(opt.getOrDefault("lr", "0.1"));
    String scheduleName = opt.getOrDefault("schedule", "step");
    int threads = Integer.parseInt(opt.getOrDefault("threads", "" + Runtime.getRuntime().availableProcessors()));
    int trainStride = Integer.parseInt(opt.getOrDefault("train-stride", "" + CwruDataset.DEFAULT_TRAIN_STRIDE));
    Path out = Path.of(opt.getOrDefault("out", "drsn.bench/target/noise"));
    boolean thresholds = Boolean.parseBoolean(opt.getOrDefault("thresholds", "true"));
    LearningRateSchedule schedule = switch (scheduleName) {
      case "step" -> LearningRateSchedule.paper(lr);
      case "cosine" -> LearningRateSchedule.cosine(lr, lr / 100);
      default -> throw new IllegalArgumentException("--schedule must be step or cosine, got " + scheduleName);
    };

    long t0 = System.nanoTime();
    DatasetSplit clean = CwruDataset.load(data, CwruDataset.DEFAULT_TRAIN_FRACTION, CwruDataset.DEFAULT_WINDOW,
        trainStride, CwruDataset.DEFAULT_TEST_STRIDE);
    String setting = String.format(Locale.ROOT, "CWRU %s: %d train / %d test windows of %d, %d classes (%.1f s "
            + "to load); SGD momentum 0.9, weight decay 1e-4, lr %s, %s schedule, %d epochs, batch %d, micro-batch "
            + "%d, %d thread(s), %d seed(s); load average at start %s", data, clean.train().size(),
        clean.test().size(), clean.train().exampleSize(), clean.train().numClasses(), (System.nanoTime() - t0) / 1e9,
        lr, scheduleName, epochs, batch, micro, threads, seeds, ExperimentSupport.load());
    System.out.println(setting);

    Map<String, double[][]> results = new LinkedHashMap<>(); // key → {accuracies, seconds, mean α, zeroed}
    List<String> runs = new ArrayList<>();
    runs.add("model,noise,snr_db,seed,accuracy,train_seconds,epochs,final_train_loss,mean_alpha,alpha_sd,alpha_sample_sd,"
        + "zeroed_fraction,init_mean_alpha,init_alpha_sd,init_alpha_sample_sd,init_zeroed_fraction");
    List<String> notes = new ArrayList<>();
    for (NoiseKind kind : noises) {
      for (double snr : snrs) {
        Map<Family, double[]> acc = new LinkedHashMap<>();
        Map<Family, double[]> sec = new LinkedHashMap<>();
        Map<Family, double[]> alpha = new LinkedHashMap<>();
        Map<Family, double[]> zeroed = new LinkedHashMap<>();
        for (Family f : models) {
          acc.put(f, new double[seeds]);
          sec.put(f, new double[seeds]);
          alpha.put(f, new double[seeds]);
          zeroed.put(f, new double[seeds]);
        }
        for (int s = 1; s <= seeds; s++) {
          DatasetSplit noisy = ExperimentSupport.noisyCopy(clean, kind, snr, s);
          Dataset train = noisy.train();
          Dataset test = noisy.test();
          for (Family f : models) {
            Architecture arch = ExperimentSupport.normalizedBy(
                Architecture.paper(f, train.exampleSize(), train.numClasses()).withClassNames(train.classNames()),
                train);
            TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(batch).microBatchSize(micro)
                .threads(threads).seed(s).optimizer(OptimizerSettings.paper()).schedule(schedule).build();
            {
              ExperimentSupport.Run run = ExperimentSupport.trainAndTest(arch, config, train, test);
              double seconds = run.seconds();
              Evaluation ev = run.test();
              double loss = run.finalTrainLoss();
              ExperimentSupport.Shrinkage shrink = thresholds ? ExperimentSupport.shrinkage(run.model(), test)
                  : ExperimentSupport.Shrinkage.NONE;
              acc.get(f)[s - 1] = ev.accuracy();
              sec.get(f)[s - 1] = seconds;
              alpha.get(f)[s - 1] = shrink.meanAlpha();
              zeroed.get(f)[s - 1] = shrink.meanZeroed();
              ExperimentSupport.Shrinkage init = thresholds ? ExperimentSupport.shrinkage(
                  Model.of(arch, ParameterSet.initialise(arch, s)), test) : ExperimentSupport.Shrinkage.NONE;
              runs.add(String.format(Locale.ROOT, "%s,%s,%s,%d,%.4f,%.1f,%d,%.4f,%s", f.id(), id(kind), fmtSnr(snr), s,
                  ev.accuracy(), seconds, epochs, loss, ExperimentSupport.csvColumns(shrink, init)));
              String tau = shrink.text();
              System.out.printf(Locale.ROOT, "%-8s %-9s %5s dB seed %d: test accuracy %.2f %%, training %.1f s, "
                  + "final train loss %.4f%s%n", f.id(), id(kind), fmtSnr(snr), s, 100 * ev.accuracy(), seconds, loss,
                  tau.isEmpty() ? "" : "; " + tau);
              if (!tau.isEmpty()) {
                notes.add(String.format(Locale.ROOT, "%s, %s %s dB, seed %d: %s", f.id(), id(kind), fmtSnr(snr), s,
                    tau));
              }
            }
          }
        }
        for (Family f : models) {
          results.put(f.id() + "|" + id(kind) + "|" + fmtSnr(snr),
              new double[][] {acc.get(f), sec.get(f), alpha.get(f), zeroed.get(f)});
        }
        writeOutputs(out, setting, models, noises, snrs, results, runs, notes);
      }
    }
    System.out.print(markdown(setting, models, noises, snrs, results, List.of()));
    System.out.println("wrote " + out.resolve("noise-results.md") + ", noise-results.csv, noise-runs.csv");
  }

  private static void writeOutputs(Path out, String setting, List<Family> models, List<NoiseKind> noises,
                                   List<Double> snrs, Map<String, double[][]> results, List<String> runs,
                                   List<String> notes) throws IOException {
    StringBuilder csv = new StringBuilder("model,noise,snr_db,accuracy_mean,accuracy_std,train_seconds,mean_alpha,"
        + "zeroed_fraction\n");
    for (Map.Entry<String, double[][]> e : results.entrySet()) {
      String[] k = e.getKey().split("\\|");
      double[][] v = e.getValue();
      csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.4f,%.4f,%.1f,%s,%s%n", k[0], k[1], k[2],
          ExperimentSupport.mean(v[0]), ExperimentSupport.std(v[0]), ExperimentSupport.mean(v[1]),
          ExperimentSupport.csvNumber(ExperimentSupport.mean(v[2])),
          ExperimentSupport.csvNumber(ExperimentSupport.mean(v[3]))));
    }
    ExperimentSupport.write(out.resolve("noise-results.csv"), csv.toString());
    ExperimentSupport.write(out.resolve("noise-runs.csv"), String.join("\n", runs) + "\n");
    ExperimentSupport.write(out.resolve("noise-results.md"), markdown(setting, models, noises, snrs, results, notes));
  }

  /** One table per noise kind: models as rows, SNRs as columns, "accuracy % ± std (seconds)". */
  static String markdown(String setting, List<Family> models, List<NoiseKind> noises, List<Double> snrs,
                         Map<String, double[][]> results, List<String> notes) {
    StringBuilder b = new StringBuilder();
    b.append("Setting: ").append(setting).append(".\n\n");
    b.append("Cells: test accuracy in %, mean ± sample std over seeds, and the mean training time in seconds.\n");
    for (NoiseKind kind : noises) {
      b.append("\n**").append(id(kind)).append(" noise**\n\n| model |");
      for (double snr : snrs) {
        b.append(' ').append(fmtSnr(snr)).append(" dB |");
      }
      b.append("\n|---|");
      b.append("---|".repeat(snrs.size())).append('\n');
      for (Family f : models) {
        b.append("| ").append(f).append(" |");
        for (double snr : snrs) {
          double[][] v = results.get(f.id() + "|" + id(kind) + "|" + fmtSnr(snr));
          b.append(v == null ? " — |" : String.format(Locale.ROOT, " %.2f ± %.2f (%.0f s) |",
              100 * ExperimentSupport.mean(v[0]), 100 * ExperimentSupport.std(v[0]), ExperimentSupport.mean(v[1])));
        }
        b.append('\n');
      }
    }
    List<Family> shrinking = models.stream().filter(Family::shrinks).toList();
    boolean anyShrinkage = results.values().stream().anyMatch(v -> !Double.isNaN(ExperimentSupport.mean(v[2])));
    if (!shrinking.isEmpty() && anyShrinkage) {
      b.append("\nWhat the shrinkage units do on the noisy test set: mean threshold scale α = τ / mean|x| and "
          + "the fraction of residual-branch features set to zero, averaged over units and seeds.\n");
      for (NoiseKind kind : noises) {
        b.append("\n**").append(id(kind)).append(" noise: mean α / zeroed**\n\n| model |");
        for (double snr : snrs) {
          b.append(' ').append(fmtSnr(snr)).append(" dB |");
        }
        b.append("\n|---|").append("---|".repeat(snrs.size())).append('\n');
        for (Family f : shrinking) {
          b.append("| ").append(f).append(" |");
          for (double snr : snrs) {
            double[][] v = results.get(f.id() + "|" + id(kind) + "|" + fmtSnr(snr));
            b.append(v == null ? " — |" : String.format(Locale.ROOT, " %.3f / %.1f %% |", ExperimentSupport.mean(v[2]),
                100 * ExperimentSupport.mean(v[3])));
          }
          b.append('\n');
        }
      }
    }
    if (!notes.isEmpty()) {
      b.append("\nThreshold statistics of the trained shrinkage units on the noisy test set (evaluation mode):\n\n");
      for (String n : notes) {
        b.append("- ").append(n).append('\n');
      }
    }
    return b.toString();
  }

  static NoiseKind noise(String name) {
    return switch (name) {
      case "gaussian", "white", "white-gaussian" -> NoiseKind.WHITE_GAUSSIAN;
      case "laplacian", "laplace" -> NoiseKind.LAPLACIAN;
      case "pink" -> NoiseKind.PINK;
      default -> throw new IllegalArgumentException("noise must be gaussian, laplacian or pink, got " + name);
    };
  }

  static String id(NoiseKind k) {
    return switch (k) {
      case WHITE_GAUSSIAN -> "gaussian";
      case LAPLACIAN -> "laplacian";
      case PINK -> "pink";
    };
  }

  static String fmtSnr(double snr) {
    return snr == Math.rint(snr) ? Long.toString((long) snr) : Double.toString(snr);
  }
}
