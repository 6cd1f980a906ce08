package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.tensor.KernelProvider;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * drsn's half of the logit cross-check against PyTorch (drsn.bench/crosscheck-pytorch.sh): for
 * every family, the paper's network (L = 2048, 8 classes) trained a few SGD steps with drsn.train
 * (so weights are off their initialisation and the batch-norm running statistics are merged from
 * real training batches), saved as {@code <family>.safetensors}, with a fresh batch of inputs
 * {@code <family>-x.npy} (not the training batch) and drsn's evaluation-mode logits for them
 * {@code <family>-logits.npy}. {@code drsn_torch.py crosscheck DIR} loads each file into the
 * PyTorch network and compares.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.PeerCrossCheck DIR \
 *        [seed=5] [steps=5]
 * </pre>
 */
public final class PeerCrossCheck {

  private static final int LENGTH = 2048;
  private static final int CLASSES = 8;
  private static final int TRAIN_BATCH = 64;
  private static final int TEST_BATCH = 16;

  private PeerCrossCheck() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: PeerCrossCheck DIR [seed] [steps]");
    }
    Path dir = Path.of(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 5;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(seed);
    // Inputs with a non-zero mean and a scale other than 1 per sample, so that running means and
    // variances move visibly away from 0 and 1.
    float[] train = signals(r, TRAIN_BATCH);
    int[] labels = new int[TRAIN_BATCH];
    for (int i = 0; i < TRAIN_BATCH; i++) {
      labels[i] = r.nextInt(CLASSES);
    }
    float[] test = signals(r, TEST_BATCH);
    for (Family f : Family.values()) {
      Architecture arch = Architecture.paper(f, LENGTH, CLASSES);
      TrainingConfig config = TrainingConfig.builder().threads(2).batchSize(TRAIN_BATCH).microBatchSize(32)
          .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.paper(0.05)).build();
      Model model;
      try (Trainer trainer = new Trainer(arch, config)) {
        ParameterSet params = ParameterSet.initialise(arch, seed + f.ordinal());
        TrainingStep step = trainer.newStep(params);
        for (int s = 0; s < steps; s++) {
          step.run(train, labels, TRAIN_BATCH, s, 0.05);
        }
        model = Model.of(arch, params);
      }
      Checkpoint.save(model, dir.resolve(f.id() + ".safetensors"));
      // Evaluation mode: running statistics. Logits (not probabilities) to compare at 1e-4.
      float[] logits = model.newNetwork(KernelProvider.get()).training(false).forward(test, TEST_BATCH);
      TorchCrossCheck.npy(dir.resolve(f.id() + "-x.npy"), test, TEST_BATCH, 1, LENGTH);
      TorchCrossCheck.npy(dir.resolve(f.id() + "-logits.npy"), Arrays.copyOf(logits, TEST_BATCH * CLASSES),
          TEST_BATCH, CLASSES);
      System.out.printf("wrote %s (%d parameters, %d training steps) and its logits for %d inputs%n",
          dir.resolve(f.id() + ".safetensors"), model.parameterCount(), steps, TEST_BATCH);
    }
  }

  private static float[] signals(SplittableRandom r, int n) {
    float[] x = new float[n * LENGTH];
    for (int i = 0; i < n; i++) {
      double offset = r.nextDouble(-0.5, 0.5);
      double scale = r.nextDouble(0.5, 2.0);
      double freq = r.nextDouble(0.005, 0.1);
      for (int t = 0; t < LENGTH; t++) {
        x[i * LENGTH + t] = (float) (offset + scale * (Math.sin(2 * Math.PI * freq * t) + 0.5 * r.nextGaussian()));
      }
    }
    return x;
  }
}
