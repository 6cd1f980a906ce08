package drsn.bench;

import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.NoiseKind;
import drsn.data.UcrDataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.train.Evaluation;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's ResNet and DRSN-CW (its Table II network, widths 4/8/16, built for each set's
 * length) on the six UCR data sets in ../shared/data/ucr, official train/test split, series as
 * given (z-normalised by the archive), next to the published ResNet accuracies (Fawaz et al.
 * 2019, listed in ../shared/data/README.md). That published ResNet is a much larger network
 * (64/128/128 filters, kernels 8-5-3, Adam, up to 1,500 epochs): the column is a reference point,
 * not a like-for-like comparison. The test set is used once per run, on the final model.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.UcrExperiment \
 *        [--sets Earthquakes,Lightning2,ECG200,ECGFiveDays,TwoLeadECG,Trace] [--models resnet,drsn-cw]
 *        [--seeds 3] [--epochs 200] [--batch 16] [--optimizer adam|sgd] [--lr 0.001 (adam) / 0.1 (sgd)]
 *        [--schedule cosine|step|constant] [--threads #cpus] [--out drsn.bench/target/ucr]
 *        [--noise gaussian|laplacian|pink --snr 0]
 * </pre>
 * With {@code --noise}, noise is added once to fixed copies of the training and the test set at
 * the given SNR per series (as in {@link NoiseExperiment}; seed k fixes the realisation), which
 * asks whether shrinkage helps on these sets once they are noisy. Writes {@code ucr-results.md},
 * {@code ucr-results.csv} and {@code ucr-runs.csv} (one line per run, with the shrinkage
 * statistics) after every data set.
 */
public final class UcrExperiment {

  /** ResNet accuracy of Fawaz et al. 2019 (mean of 5 runs), from ../shared/data/README.md. */
  static final Map<String, Double> PUBLISHED_RESNET = publishedResnet();

  static final String USAGE = """
      UcrExperiment [--data ../shared/data/ucr] [--sets Earthquakes,Lightning2,ECG200,ECGFiveDays,TwoLeadECG,Trace]
                    [--models resnet,drsn-cw] [--seeds 3] [--epochs 200] [--batch 16] [--micro = batch]
                    [--optimizer adam|sgd] [--lr] [--schedule cosine|step|constant] [--threads #cpus]
                    [--out drsn.bench/target/ucr] [--thresholds true] [--noise gaussian|laplacian|pink --snr 0]""";

  private UcrExperiment() {
  }

  private static Map<String, Double> publishedResnet() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("Earthquakes", 0.712);
    m.put("Lightning2", 0.780);
    m.put("ECG200", 0.874);
    m.put("ECGFiveDays", 0.966);
    m.put("TwoLeadECG", 1.000);
    m.put("Trace", 1.000);
    return m;
  }

  /** Test accuracy of always answering the most frequent training class: the floor any model must beat. */
  static double majority(DatasetSplit split) {
    int[] counts = split.train().classCounts();
    int best = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[best]) {
        best = c;
      }
    }
    int hit = 0;
    for (int label : split.test().labels()) {
      hit += label == best ? 1 : 0;
    }
    return (double) hit / split.test().size();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = ExperimentSupport.options(args, List.of("data", "sets", "models", "seeds", "epochs",
        "batch", "micro", "optimizer", "lr", "schedule", "threads", "out", "thresholds", "noise", "snr"), USAGE);
    Path root = Path.of(opt.getOrDefault("data", "../shared/data/ucr"));
    List<String> sets = ExperimentSupport.list(opt.getOrDefault("sets", String.join(",", PUBLISHED_RESNET.keySet())));
    List<Family> models = ExperimentSupport.list(opt.getOrDefault("models", "resnet,drsn-cw")).stream()
        .map(Family::fromId).toList();
    int seeds = Integer.parseInt(opt.getOrDefault("seeds", "3"));
    int epochs = Integer.parseInt(opt.getOrDefault("epochs", "200"));
    int batch = Integer.parseInt(opt.getOrDefault("batch", "16"));
    int micro = Integer.parseInt(opt.getOrDefault("micro", "" + batch));
    String optimizer = opt.getOrDefault("optimizer", "adam");
    double lr = Double.parseDouble(opt.getOrDefault("lr", optimizer.equals("adam") ? "0.001" : "0.1"));
    String scheduleName = opt.getOrDefault("schedule", "cosine");
    int threads = Integer.parseInt(opt.getOrDefault("threads", "" + Runtime.getRuntime().availableProcessors()));
    Path out = Path.of(opt.getOrDefault("out", "drsn.bench/target/ucr"));
    boolean thresholds = Boolean.parseBoolean(opt.getOrDefault("thresholds", "true"));
    NoiseKind noise = opt.containsKey("noise") ? NoiseExperiment.noise(opt.get("noise")) : null;
    if ((noise == null) != !opt.containsKey("snr")) {
      throw new IllegalArgumentException("--noise and --snr go together\n" + USAGE);
    }
    double snr = noise == null ? Double.NaN : Double.parseDouble(opt.get("snr"));
    OptimizerSettings settings = switch (optimizer) {
      case "adam" -> OptimizerSettings.adam();
      case "sgd" -> OptimizerSettings.paper();
      default -> throw new IllegalArgumentException("--optimizer must be adam or sgd, got " + optimizer);
    };
    LearningRateSchedule schedule = switch (scheduleName) {
      case "cosine" -> LearningRateSchedule.cosine(lr, lr / 100);
      case "step" -> LearningRateSchedule.paper(lr);
      case "constant" -> LearningRateSchedule.constant(lr);
      default -> throw new IllegalArgumentException("--schedule must be cosine, step or constant, got " + scheduleName);
    };
    String setting = String.format(Locale.ROOT, "UCR (%s): %s, lr %s, %s schedule, %d epochs, batch %d "
            + "(micro-batch %d), %d thread(s), %d seed(s); the paper's network (widths 4/8/16, 12 units); %s; load "
            + "average at start %s", root, settings, lr, scheduleName, epochs, batch, micro, threads, seeds,
        noise == null ? "series as given (no added noise)" : NoiseExperiment.id(noise) + " noise added once at "
            + NoiseExperiment.fmtSnr(snr) + " dB SNR to training and test series", ExperimentSupport.load());
    System.out.println(setting);

    StringBuilder csv = new StringBuilder("dataset,model,accuracy_mean,accuracy_std,train_seconds,published_resnet\n");
    StringBuilder table = new StringBuilder("| data set | length | train | test | classes | majority class | "
        + "published ResNet |");
    for (Family f : models) {
      table.append(' ').append(f).append(" (drsn) |");
    }
    table.append("\n|---|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(models.size())).append('\n');
    List<String> notes = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    runs.add("dataset,model,seed,accuracy,train_seconds,epochs,final_train_loss,mean_alpha,alpha_sd,alpha_sample_sd,"
        + "zeroed_fraction,init_mean_alpha,init_alpha_sd,init_alpha_sample_sd,init_zeroed_fraction");
    for (String name : sets) {
      DatasetSplit split = UcrDataset.load(root.resolve(name));
      int length = split.train().exampleSize();
      int classes = split.train().numClasses();
      Double published = PUBLISHED_RESNET.get(name);
      table.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.3f | %s |", name, length,
          split.train().size(), split.test().size(), classes, majority(split),
          published == null ? "—" : String.format(Locale.ROOT, "%.3f", published)));
      for (Family f : models) {
        double[] acc = new double[seeds];
        double[] sec = new double[seeds];
        for (int s = 1; s <= seeds; s++) {
          DatasetSplit data = noise == null ? split : ExperimentSupport.noisyCopy(split, noise, snr, s);
          Dataset train = data.train();
          Dataset test = data.test();
          Architecture arch = Architecture.paper(f, length, classes).withClassNames(split.train().classNames());
          if (noise != null) {
            // The archive's series are z-normalised; noisy ones are re-normalised with the noisy training set.
            arch = ExperimentSupport.normalizedBy(arch, train);
          }
          TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(Math.min(batch,
                  split.train().size())).microBatchSize(Math.min(micro, split.train().size())).threads(threads).seed(s)
              .optimizer(settings).schedule(schedule).build();
          {
            ExperimentSupport.Run run = ExperimentSupport.trainAndTest(arch, config, train, test);
            sec[s - 1] = run.seconds();
            Evaluation ev = run.test();
            acc[s - 1] = ev.accuracy();
            double loss = run.finalTrainLoss();
            ExperimentSupport.Shrinkage shrink = thresholds ? ExperimentSupport.shrinkage(run.model(), test)
                : ExperimentSupport.Shrinkage.NONE;
            ExperimentSupport.Shrinkage init = thresholds ? ExperimentSupport.shrinkage(
                Model.of(arch, ParameterSet.initialise(arch, s)), test) : ExperimentSupport.Shrinkage.NONE;
            runs.add(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.1f,%d,%.4f,%s", name, f.id(), s, ev.accuracy(),
                sec[s - 1], epochs, loss, ExperimentSupport.csvColumns(shrink, init)));
            String tau = shrink.text();
            System.out.printf(Locale.ROOT, "%-12s %-8s seed %d: test accuracy %.3f, training %.1f s, final train "
                    + "loss %.4f%s%n", name, f.id(), s, ev.accuracy(), sec[s - 1], loss, tau.isEmpty() ? "" : "; " + tau);
            if (!tau.isEmpty()) {
              notes.add(name + ", " + f.id() + ", seed " + s + ": " + tau);
            }
          }
        }
        double m = ExperimentSupport.mean(acc);
        double sd = ExperimentSupport.std(acc);
        table.append(String.format(Locale.ROOT, " %.3f ± %.3f (%.0f s) |", m, sd, ExperimentSupport.mean(sec)));
        csv.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%.1f,%s%n", name, f.id(), m, sd,
            ExperimentSupport.mean(sec), published == null ? "" : published.toString()));
      }
      table.append('\n');
      String md = "Setting: " + setting + ".\n\nCells: test accuracy (fraction), mean ± sample std over seeds, and "
          + "the mean training time; majority class: test accuracy of always answering the most frequent "
          + "training class.\n\n" + table
          + (notes.isEmpty() ? "" : "\nThreshold statistics on the test set:\n\n- " + String.join("\n- ", notes) + "\n");
      ExperimentSupport.write(out.resolve("ucr-results.md"), md);
      ExperimentSupport.write(out.resolve("ucr-results.csv"), csv.toString());
      ExperimentSupport.write(out.resolve("ucr-runs.csv"), String.join("\n", runs) + "\n");
      System.out.print(table.substring(table.lastIndexOf("\n| " + name) + 1));
    }
    System.out.println("\n" + table);
    System.out.println("wrote " + out.resolve("ucr-results.md") + ", ucr-results.csv and ucr-runs.csv");
  }
}
