package drsn.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import drsn.tensor.KernelProvider;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * The engine's gradient, loss and running statistics against single networks run directly on
 * each micro-batch (what ghost batch norm means): gradient = Σ_k (n_k/B)·∇(mean loss of k),
 * running = 0.9·running + Σ_k (n_k/B)·(running update of k from zero). Float tolerances: 1e-5
 * relative to the largest gradient (different summation order of the same float terms).
 */
class DataParallelTest {

  private static Architecture arch() {
    return new Architecture(Family.DRSN_CW, 1, 1, 1, 24, List.of(2, 4), List.of(1, 1), 3, 2, 2, 3,
        Architecture.defaultNames(3), List.of(0.1f), List.of(2f), 2, false);
  }

  @Test
  void gradientsLossAndStatisticsEqualPerMicroBatchNetworks() {
    Architecture arch = arch();
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
    KernelProvider kp = KernelProvider.scalar();

    double[] expectGrad = new double[master.values().length];
    double[] expectStats = new double[statsBefore.length];
    for (int i = 0; i < statsBefore.length; i++) {
      expectStats[i] = 0.9 * statsBefore[i];
    }
    double expectLoss = 0;
    for (int k = 0; k < MicroBatches.count(n, m); k++) {
      int start = MicroBatches.start(k, m);
      int size = MicroBatches.size(k, n, m);
      ParameterSet p = master.copy();
      java.util.Arrays.fill(p.statistics(), 0f);
      Network net = new Network(arch, p, kp).training(true);
      net.forward(java.util.Arrays.copyOfRange(x, start * arch.inputSize(), (start + size) * arch.inputSize()), size);
      expectLoss += net.loss(java.util.Arrays.copyOfRange(y, start, start + size)) * (double) size / n;
      net.backward();
      for (int i = 0; i < expectGrad.length; i++) {
        expectGrad[i] += net.gradients()[i] * (double) size / n;
      }
      for (int i = 0; i < expectStats.length; i++) {
        expectStats[i] += p.statistics()[i] * (double) size / n;
      }
    }

    try (ForkJoinPool pool = new ForkJoinPool(2)) {
      DataParallel engine = new DataParallel(arch, master, kp, pool, m);
      engine.computeGradients(x, y, n);
      double scale = 0;
      for (double g : expectGrad) {
        scale = Math.max(scale, Math.abs(g));
      }
      for (int i = 0; i < expectGrad.length; i++) {
        assertEquals(expectGrad[i], engine.gradient()[i], 1e-5 * scale, "gradient " + i);
      }
      assertEquals(expectLoss, engine.lastLoss(), 1e-5);
      engine.mergeStatistics();
      for (int i = 0; i < expectStats.length; i++) {
        assertEquals(expectStats[i], master.statistics()[i], 1e-5 * Math.max(1, Math.abs(expectStats[i])),
            "statistic " + i);
      }
    }
  }

  @Test
  void evaluationMatchesAnEvaluationModeNetwork() {
    Architecture arch = arch();
    ParameterSet p = ParameterSet.initialise(arch, 5);
    SplittableRandom r = new SplittableRandom(4);
    int n = 13;
    float[] x = new float[n * arch.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
    }
    Dataset d = Dataset.of(x, y, new int[] {1, 24}, Architecture.defaultNames(3));
    Network net = new Network(arch, p.copy(), KernelProvider.scalar()).training(false);
    float[] logits = net.forward(x, n).clone();
    try (ForkJoinPool pool = new ForkJoinPool(3)) {
      DataParallel engine = new DataParallel(arch, ParameterSet.initialise(arch, 6), KernelProvider.scalar(), pool, 4);
      double[] loss = new double[n];
      int[] pred = new int[n];
      engine.evaluate(p, d, 5, loss, pred);
      for (int s = 0; s < n; s++) {
        int arg = 0;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          if (logits[s * 3 + k] > max) {
            max = logits[s * 3 + k];
            arg = k;
          }
        }
        for (int k = 0; k < 3; k++) {
          sum += Math.exp(logits[s * 3 + k] - max);
        }
        assertEquals(arg, pred[s], "prediction " + s);
        assertEquals(Math.log(sum) + max - logits[s * 3 + y[s]], loss[s], 1e-5, "loss " + s);
      }
    }
  }
}
