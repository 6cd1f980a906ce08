package drsn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import drsn.data.Batch;
import drsn.data.Batcher;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two public pieces of a training step as a distributed trainer uses them: micro-batches
 * computed apart (another worker over its own parameter copy, in reverse order, given only their
 * own samples, shipped as plain arrays) and folded on a driver that owns the weights give the same
 * bits as the local {@link TrainingStep}; and what one micro-batch computes is what a single
 * network on its samples computes (ghost batch norm).
 */
class MicroBatchFoldTest {

  private static final Dataset DATA = TinyData.dataset(20, 0.3, 9);

  @Test
  void microBatchesComputedApartAndFoldedInOrderGiveTheTrainingStepsBits() throws Exception {
    for (Family family : List.of(Family.DRSN_CW, Family.RESNET)) {
      Architecture arch = TinyData.arch(family);
      // Micro-batches of 7, 7, 6; clipping and momentum on.
      TrainingConfig cfg = TrainingConfig.builder().threads(2).batchSize(20).microBatchSize(7)
          .optimizer(OptimizerSettings.paper()).clipGradientNorm(0.5).build();
      float[] x = TinyData.inputs(DATA);
      int[] y = DATA.labels();
      int n = DATA.size();
      int m = cfg.microBatchSize();
      int count = MicroBatches.count(n, m);
      assertEquals(3, count);

      ParameterSet local = ParameterSet.initialise(arch, 4);
      ParameterSet driver = local.copy();
      MicroBatchFold fold = new MicroBatchFold(driver, cfg.optimizer().create(WeightDecayMask.of(driver)),
          cfg.clipGradientNorm());
      MicroBatchWorker worker = new MicroBatchWorker(arch, cfg.kernels());
      MicroBatchGradient scratch = new MicroBatchGradient(driver);
      MicroBatchGradient[] received = new MicroBatchGradient[count];
      try (Trainer trainer = new Trainer(arch, cfg)) {
        TrainingStep step = trainer.newStep(local);
        for (int s = 0; s < 4; s++) {
          double lr = 0.05;
          step.run(x, y, n, s, lr);

          float[] shippedWeights = driver.values().clone();
          for (int k = count - 1; k >= 0; k--) {
            int start = MicroBatches.start(k, m);
            int size = MicroBatches.size(k, n, m);
            float[] mx = Arrays.copyOfRange(x, start * arch.inputSize(), (start + size) * arch.inputSize());
            int[] my = Arrays.copyOfRange(y, start, start + size);
            worker.loadWeights(shippedWeights);
            worker.compute(mx, my, 0, size, n, scratch);
            received[k] = k == 0 ? viaJavaSerialisation(scratch)
                : new MicroBatchGradient(scratch.gradient().clone(), scratch.statistics().clone(), scratch.lossSum(),
                    scratch.correct(), scratch.size());
          }
          fold.apply(received, count, s, lr);

          assertArrayEquals(local.values(), driver.values(), family + " weights after step " + s);
          assertArrayEquals(local.statistics(), driver.statistics(), family + " statistics after step " + s);
          assertEquals(step.lossSum(), fold.lossSum(), 0.0);
          assertEquals(step.correct(), fold.correct());
          assertEquals(n, fold.samples());
        }
        assertArrayEquals(step.optimizer().state().get("momentum_buffer"), fold.optimizer().state().get(
            "momentum_buffer"));
      }
    }
  }

  /**
   * A whole run as a distributed trainer drives it: the trainer's batches (Batcher with the
   * configuration's seed), its initial weights and learning rates, every micro-batch computed by
   * a worker of its own from shipped weights, folded on the driver. Same bits as Trainer.fit.
   */
  @Test
  void aRunOfFoldedMicroBatchesEndsWithTheTrainersWeights() {
    Architecture arch = TinyData.arch(Family.DRSN_CS);
    Dataset train = TinyData.dataset(49, 0.3, 2); // 49 = 3·16 + 1: the single last sample is dropped
    TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(16).microBatchSize(5).threads(2).seed(8)
        .optimizer(OptimizerSettings.adam()).schedule(LearningRateSchedule.paper(0.01)).build();
    ParameterSet expected;
    try (Trainer trainer = new Trainer(arch, cfg)) {
      expected = trainer.fit(train, null).finalModel().copyParameters();
    }

    ParameterSet driver = cfg.initialParameters(arch);
    MicroBatchFold fold = new MicroBatchFold(driver, cfg.optimizer().create(WeightDecayMask.of(driver)),
        cfg.clipGradientNorm());
    Batcher batcher = cfg.batcher(train);
    Batch batch = batcher.newBatch();
    long totalSteps = (long) batcher.batchesPerEpoch() * cfg.epochs();
    MicroBatchWorker[] executors = {new MicroBatchWorker(arch, cfg.kernels()), new MicroBatchWorker(arch,
        cfg.kernels())};
    MicroBatchGradient[] results = new MicroBatchGradient[8];
    long step = 0;
    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
      batcher.startEpoch(epoch);
      while (batcher.next(batch)) {
        int n = batch.size();
        int m = cfg.microBatchSize();
        int count = MicroBatches.count(n, m);
        float[] weights = driver.values().clone();
        for (int k = 0; k < count; k++) {
          MicroBatchWorker executor = executors[(k + epoch) % executors.length];
          executor.loadWeights(weights);
          results[k] = new MicroBatchGradient(driver);
          executor.compute(batch.inputs(), batch.labels(), MicroBatches.start(k, m), MicroBatches.size(k, n, m), n,
              results[k]);
        }
        fold.apply(results, count, step, cfg.schedule().rate(step, totalSteps));
        step++;
      }
    }
    assertArrayEquals(expected.values(), driver.values());
    assertArrayEquals(expected.statistics(), driver.statistics());
  }

  private static MicroBatchGradient viaJavaSerialisation(MicroBatchGradient g) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(g);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (MicroBatchGradient) in.readObject();
    }
  }

  /**
   * The fold against single networks run directly on each micro-batch: gradient = Σ_k (n_k/B)·∇(mean
   * loss of k), running = 0.9·running + Σ_k (n_k/B)·(running update of k from zero). Float
   * tolerances: the same float terms summed in another order.
   */
  @Test
  void theFoldIsTheSumOfPerMicroBatchNetworks() {
    Architecture arch = new Architecture(Family.DRSN_CW, 1, 1, 1, 24, List.of(2, 4), List.of(1, 1), 3, 2, 2, 3,
        Architecture.defaultNames(3), List.of(0.1f), List.of(2f), 2, false);
    int n = 11;
    int m = 4; // micro-batches of 4, 4, 3
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[n * arch.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(3);
    }
    ParameterSet master = ParameterSet.initialise(arch, 11);
    for (int i = 0; i < master.statistics().length; i++) {
      master.statistics()[i] = (float) r.nextDouble(0.5, 1.5);
    }
    float[] statsBefore = master.statistics().clone();
    float[] weightsBefore = master.values().clone();
    TrainingConfig cfg = TrainingConfig.builder().build();

    double[] expectGrad = new double[master.values().length];
    double[] expectStats = new double[statsBefore.length];
    for (int i = 0; i < statsBefore.length; i++) {
      expectStats[i] = 0.9 * statsBefore[i];
    }
    double expectLoss = 0;
    int count = MicroBatches.count(n, m);
    MicroBatchWorker worker = new MicroBatchWorker(arch, cfg.kernels());
    worker.loadWeights(master.values());
    MicroBatchGradient[] results = new MicroBatchGradient[count];
    for (int k = 0; k < count; k++) {
      int start = MicroBatches.start(k, m);
      int size = MicroBatches.size(k, n, m);
      ParameterSet p = master.copy();
      Arrays.fill(p.statistics(), 0f);
      Network net = new Network(arch, p, cfg.kernels()).training(true);
      net.forward(Arrays.copyOfRange(x, start * arch.inputSize(), (start + size) * arch.inputSize()), size);
      expectLoss += net.loss(Arrays.copyOfRange(y, start, start + size)) * (double) size / n;
      net.backward();
      for (int i = 0; i < expectGrad.length; i++) {
        expectGrad[i] += net.gradients()[i] * (double) size / n;
      }
      for (int i = 0; i < expectStats.length; i++) {
        expectStats[i] += p.statistics()[i] * (double) size / n;
      }
      results[k] = new MicroBatchGradient(master);
      worker.compute(x, y, start, size, n, results[k]);
    }
    // Plain SGD at rate 1 without decay: the weights move by exactly the folded gradient.
    MicroBatchFold fold = new MicroBatchFold(master, OptimizerSettings.sgd(0, false, 0).create(
        WeightDecayMask.of(master)), 0);
    fold.apply(results, count, 0, 1.0);
    double scale = 0;
    for (double g : expectGrad) {
      scale = Math.max(scale, Math.abs(g));
    }
    for (int i = 0; i < expectGrad.length; i++) {
      assertEquals(expectGrad[i], weightsBefore[i] - (double) master.values()[i], 1e-5 * scale, "gradient " + i);
    }
    assertEquals(expectLoss, fold.loss(), 1e-5);
    for (int i = 0; i < expectStats.length; i++) {
      assertEquals(expectStats[i], master.statistics()[i], 1e-5 * Math.max(1, Math.abs(expectStats[i])),
          "statistic " + i);
    }
  }

  @Test
  void resultsOfAnotherLayoutOrNoneAreRefused() {
    Architecture arch = TinyData.arch(Family.RESNET);
    ParameterSet p = ParameterSet.initialise(arch, 1);
    MicroBatchFold fold = new MicroBatchFold(p, OptimizerSettings.paper().create(WeightDecayMask.of(p)), 0);
    MicroBatchGradient wrong = new MicroBatchGradient(new float[3], new float[p.statistics().length], 1, 0, 2);
    assertThrows(IllegalArgumentException.class, () -> fold.apply(new MicroBatchGradient[] {wrong}, 1, 0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> fold.apply(new MicroBatchGradient[0], 0, 0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new MicroBatchGradient(new float[1], new float[1], 0, 3, 2));
    MicroBatchWorker worker = new MicroBatchWorker(arch, TrainingConfig.builder().build().kernels());
    MicroBatchGradient out = new MicroBatchGradient(p);
    assertThrows(IllegalArgumentException.class, () -> worker.compute(new float[2 * arch.inputSize()],
        new int[] {0, 1}, 0, 1, 2, out));
    assertThrows(IllegalArgumentException.class, () -> worker.compute(new float[2 * arch.inputSize()],
        new int[] {0, 1}, 1, 2, 3, out));
    assertThrows(IllegalArgumentException.class, () -> worker.loadWeights(new float[3]));
  }
}
