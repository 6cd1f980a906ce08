package drsn.bench;

import drsn.data.BearingCondition;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.Noise;
import drsn.data.NoiseKind;
import drsn.data.SyntheticBearing;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.train.ConfusionMatrix;
import drsn.train.Evaluation;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code drsn demo}'s comparison (issue 17) over several seeds, with what the shrinkage units do:
 * the built-in synthetic bearing data (10 classes, windows of 2,048, 200 per class, split 80/20
 * stratified), white Gaussian noise at {@code --snr} added once to train and test with the demo's
 * noise seeds, ResNet and DRSN-CW trained with the demo's settings (Adam 0.01, weight decay 1e-4,
 * cosine to 0, batch 32, 20 epochs; inputs normalised with the noisy training set's statistics).
 * Seed k fixes the data, the noise and the models' initialisation, as {@code drsn demo --seed k}.
 * Prints per seed the accuracy, the paired difference, the classes DRSN-CW gets wrong more often
 * and the threshold statistics; the synthetic data's physics can be varied with the options after
 * {@code --threads} (defaults: SyntheticBearing's).
 *
 * <pre>
 *   drsn.bench/experiment.sh SyntheticExperiment --seeds 42,43,44 --threads 1
 * </pre>
 */
public final class SyntheticExperiment {

  static final String USAGE = """
      SyntheticExperiment [--seeds 42,43,44] [--snr -4] [--per-class 200] [--epochs 20] [--threads 1]
                          [--noise-std 0.1] [--impact 0.5] [--resonance 3000] [--damping 0.05] [--jitter 0.015]
                          [--protocol demo|paper]
        demo: Adam 0.01, weight decay 1e-4, cosine to 0, batch 32 (drsn demo); paper: SGD momentum 0.9,
        weight decay 1e-4, lr 0.1 step schedule, batch 128, micro-batch 32 (NoiseExperiment)""";

  private SyntheticExperiment() {
  }

  public static void main(String[] args) {
    Map<String, String> opt = ExperimentSupport.options(args, List.of("seeds", "snr", "per-class", "epochs", "threads",
        "noise-std", "impact", "resonance", "damping", "jitter", "protocol"), USAGE);
    boolean paper = switch (opt.getOrDefault("protocol", "demo")) {
      case "demo" -> false;
      case "paper" -> true;
      default -> throw new IllegalArgumentException("--protocol must be demo or paper");
    };
    List<Long> seeds = ExperimentSupport.list(opt.getOrDefault("seeds", "42,43,44")).stream().map(Long::parseLong)
        .toList();
    double snr = Double.parseDouble(opt.getOrDefault("snr", "-4"));
    int perClass = Integer.parseInt(opt.getOrDefault("per-class", "200"));
    int epochs = Integer.parseInt(opt.getOrDefault("epochs", "20"));
    int threads = Integer.parseInt(opt.getOrDefault("threads", "1"));
    System.out.printf(Locale.ROOT, "synthetic bearing data %s, %d per class, white Gaussian noise at %s dB, %s, %d "
        + "epochs, %d thread(s); load %s%n", opt, perClass, NoiseExperiment.fmtSnr(snr),
        paper ? "SGD 0.1 step schedule, batch 128" : "Adam 0.01 cosine, batch 32", epochs, threads,
        ExperimentSupport.load());
    List<String> csv = new ArrayList<>(List.of("seed,model,accuracy,final_train_loss,mean_alpha,zeroed_fraction,"
        + "train_seconds"));
    double[] diff = new double[seeds.size()];
    double[][] acc = new double[2][seeds.size()];
    for (int k = 0; k < seeds.size(); k++) {
      long seed = seeds.get(k);
      SyntheticBearing.Builder b = SyntheticBearing.builder().examplesPerClass(perClass).windowLength(2048)
          .classes(BearingCondition.standard(3)).seed(seed);
      b.noiseStd(Double.parseDouble(opt.getOrDefault("noise-std", "0.1")))
          .impactAmplitude(Double.parseDouble(opt.getOrDefault("impact", "0.5")))
          .resonanceHz(Double.parseDouble(opt.getOrDefault("resonance", "3000")))
          .damping(Double.parseDouble(opt.getOrDefault("damping", "0.05")))
          .jitter(Double.parseDouble(opt.getOrDefault("jitter", "0.015")));
      DatasetSplit clean = b.build().generate().stratifiedSplit(0.8, seed);
      Dataset train = Noise.addToCopy(clean.train(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 1);
      Dataset test = Noise.addToCopy(clean.test(), NoiseKind.WHITE_GAUSSIAN, snr, seed * 31 + 2);
      ConfusionMatrix[] cms = new ConfusionMatrix[2];
      Family[] families = {Family.RESNET, Family.DRSN_CW};
      for (int m = 0; m < 2; m++) {
        Family f = families[m];
        Architecture arch = ExperimentSupport.normalizedBy(Architecture.paper(f, 2048, train.numClasses())
            .withClassNames(train.classNames()), train);
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(paper ? 128 : 32).microBatchSize(32)
            .threads(threads).seed(seed)
            .optimizer(paper ? OptimizerSettings.paper() : OptimizerSettings.adam(0.9, 0.999, 1e-8, 1e-4))
            .schedule(paper ? LearningRateSchedule.paper(0.1) : LearningRateSchedule.cosine(0.01, 0)).build();
        {
          ExperimentSupport.Run run = ExperimentSupport.trainAndTest(arch, config, train, test);
          double seconds = run.seconds();
          Evaluation ev = run.test();
          double loss = run.finalTrainLoss();
          ExperimentSupport.Shrinkage s = ExperimentSupport.shrinkage(run.model(), test);
          acc[m][k] = ev.accuracy();
          cms[m] = ev.confusion();
          csv.add(String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%s,%s,%.1f", seed, f.id(), ev.accuracy(), loss,
              ExperimentSupport.csvNumber(s.meanAlpha()), ExperimentSupport.csvNumber(s.meanZeroed()), seconds));
          System.out.printf(Locale.ROOT, "seed %d %-8s test %.2f %%, final train loss %.4f, %.0f s%s%n", seed, f.id(),
              100 * ev.accuracy(), loss, seconds, s.present() ? "; " + s.text() : "");
        }
      }
      diff[k] = acc[1][k] - acc[0][k];
      StringBuilder recall = new StringBuilder();
      for (int c = 0; c < cms[0].classes(); c++) {
        recall.append(String.format(Locale.ROOT, " %s %.0f/%.0f", cms[0].classNames().get(c),
            100 * cms[0].recall(c), 100 * cms[1].recall(c)));
      }
      System.out.printf(Locale.ROOT, "seed %d: DRSN-CW − ResNet %+.2f points; recall %% ResNet/DRSN-CW:%s%n", seed,
          100 * diff[k], recall);
    }
    System.out.printf(Locale.ROOT, "ResNet %.2f ± %.2f %%, DRSN-CW %.2f ± %.2f %%, paired difference %+.2f ± %.2f "
            + "points over %d seeds%n", 100 * ExperimentSupport.mean(acc[0]), 100 * ExperimentSupport.std(acc[0]),
        100 * ExperimentSupport.mean(acc[1]), 100 * ExperimentSupport.std(acc[1]), 100 * ExperimentSupport.mean(diff),
        100 * ExperimentSupport.std(diff), seeds.size());
    System.out.println(String.join("\n", csv));
  }

}
