package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.tensor.KernelProvider;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  /** More than two chunks, the last one partial, so that several workers take part. */
  private static final Dataset DATA = TinyData.dataset(2 * Evaluator.CHUNK + 37, 0.3, 3);
  private static Model model;

  @BeforeAll
  static void trainBriefly() {
    // Trained for two epochs: running batch-norm statistics away from their initial values.
    TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(16).microBatchSize(4).threads(2).seed(5)
        .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.paper(0.1)).build();
    try (Trainer t = new Trainer(TinyData.arch(Family.DRSN_CW), cfg)) {
      model = t.fit(TinyData.dataset(60, 0.3, 1), null).finalModel();
    }
  }

  @Test
  void matchesTheDefinitionComputedExampleByExample() {
    Evaluation ev = Evaluator.evaluate(model, DATA, 2);
    Network net = model.newNetwork(KernelProvider.get()).training(false);
    int in = DATA.exampleSize();
    int k = TinyData.CLASSES;
    float[] x = new float[in];
    long[] counts = new long[k * k];
    double lossSum = 0;
    for (int i = 0; i < DATA.size(); i++) {
      DATA.copyExample(i, x, 0);
      float[] z = net.forward(x, 1);
      int y = DATA.label(i);
      // Cross-entropy -log softmax(z)_y and the first index of the largest logit, in double.
      int arg = 0;
      for (int c = 1; c < k; c++) {
        arg = z[c] > z[arg] ? c : arg;
      }
      double se = 0;
      for (int c = 0; c < k; c++) {
        se += Math.exp((double) z[c] - z[arg]);
      }
      lossSum += Math.log(se) + z[arg] - z[y];
      counts[y * k + arg]++;
    }
    assertEquals(new ConfusionMatrix(DATA.classNames(), counts), ev.confusion());
    assertEquals(lossSum / DATA.size(), ev.loss(), 1e-5 * Math.max(1, Math.abs(ev.loss())));
    assertEquals(DATA.size(), ev.examples());
  }

  @Test
  void sameResultOnAnyNumberOfThreadsAndAsTheTrainer() {
    Evaluation one = Evaluator.evaluate(model, DATA, 1);
    for (int threads : new int[] {2, 3, 64}) {
      Evaluation e = Evaluator.evaluate(model, DATA, threads);
      assertEquals(one.confusion(), e.confusion(), threads + " threads");
      assertEquals(one.loss(), e.loss(), 0.0, threads + " threads");
    }
    TrainingConfig cfg = TrainingConfig.builder().threads(3).evaluationBatchSize(Evaluator.CHUNK).build();
    try (Trainer t = new Trainer(model.architecture(), cfg)) {
      Evaluation viaTrainer = t.evaluate(model, DATA);
      assertEquals(viaTrainer.confusion(), one.confusion());
      assertEquals(viaTrainer.loss(), one.loss(), 0.0);
    }
  }

  @Test
  void aSingleExampleCanBeEvaluated() {
    Dataset single = TinyData.dataset(1, 0.3, 4);
    Evaluation e = Evaluator.evaluate(model, single, 4);
    assertEquals(1, e.examples());
    assertTrue(Double.isFinite(e.loss()) && e.loss() >= 0, "loss " + e.loss());
  }

  @Test
  void badInputIsRejectedWithAMessageNamingWhatWasExpected() {
    Architecture arch = model.architecture();
    assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(null, DATA, 1));
    assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(model, null, 1));
    IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
        () -> Evaluator.evaluate(model, DATA, 0));
    assertTrue(threads.getMessage().contains("got 0"), threads.getMessage());
    Dataset shorter = Dataset.of(new float[3 * 16], new int[] {0, 1, 2}, new int[] {1, 16}, DATA.classNames());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> Evaluator.evaluate(model, shorter, 1));
    assertTrue(size.getMessage().contains("16") && size.getMessage().contains(String.valueOf(arch.inputSize())),
        size.getMessage());
    Dataset twoClasses = Dataset.of(new float[2 * TinyData.LENGTH], new int[] {0, 1}, new int[] {1, TinyData.LENGTH},
        List.of("a", "b"));
    IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
        () -> Evaluator.evaluate(model, twoClasses, 1));
    assertTrue(classes.getMessage().contains("2") && classes.getMessage().contains("3"), classes.getMessage());
  }
}
