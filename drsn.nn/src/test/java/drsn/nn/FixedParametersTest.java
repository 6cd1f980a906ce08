package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import drsn.tensor.KernelProvider;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A Predictor's networks fold batch norm's scale and shift once, over the model's fixed
 * parameters; trainable networks fold on every call. Both must give the same floats, and neither
 * may serve constants older than its parameters.
 */
class FixedParametersTest {

  static final Architecture ARCH = Architecture.paper(Family.DRSN_CW, 256, 5);

  /** Softmax of a fresh evaluation-mode network's logits: what a Predictor computed before folding once. */
  static float[] referenceProbabilities(Model m, KernelProvider k, float[] x, int n) {
    float[] logits = m.newNetwork(k).forward(x, n);
    float[] probs = new float[n * m.architecture().classes()];
    k.elementwise().softmaxRows(n, m.architecture().classes(), logits, 0, probs, 0);
    return probs;
  }

  @Test
  void predictorEqualsAFreshEvaluationNetworkBitForBit() {
    KernelProvider k = KernelProvider.get();
    Model[] models = new Model[Family.values().length];
    for (Family f : Family.values()) {
      // Trained a few steps, so running statistics and γ, β are far from their initial 0, 1.
      models[f.ordinal()] = PredictorTest.trained(ARCH.withFamily(f), 11 + f.ordinal());
    }
    Predictor[] predictors = Arrays.stream(models).map(m -> m.predictor(k)).toArray(Predictor[]::new);
    qt().withExamples(20).forAll(integers().between(1, 3), integers().between(0, 10_000)).checkAssert((n, seed) -> {
      int which = seed % models.length;
      float[] x = CheckpointTest.randomInput(ARCH, n, seed);
      float[] probs = new float[n * ARCH.classes()];
      predictors[which].predictBatch(x, n, probs);
      assertArrayEquals(referenceProbabilities(models[which], k, x, n), probs);
    });
  }

  @Test
  void aNetworkOverFixedParametersRefusesToTrain() {
    Model m = PredictorTest.trained(ARCH, 5);
    Network fixed = Network.overFixedParameters(ARCH, m.parameters(), KernelProvider.get());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> fixed.training(true));
    assertEquals("a network over a model's fixed parameters cannot train", e.getMessage());
    assertFalse(fixed.isTraining());
  }

  /** A trainable network in evaluation mode sees every change of its parameters on the next call. */
  @Test
  void aTrainableNetworkNeverServesAStaleFold() {
    KernelProvider k = KernelProvider.get();
    Network net = PredictorTest.trained(ARCH, 7).newNetwork(k);
    float[] x = CheckpointTest.randomInput(ARCH, 2, 8);
    float[] before = net.forward(x, 2).clone();
    // One training step changes γ, β (by hand here) and the running statistics.
    float[] values = net.parameters().values();
    for (int i = 0; i < values.length; i++) {
      values[i] *= 1.5f;
    }
    net.training(true).forward(x, 2);
    float[] after = net.training(false).forward(x, 2).clone();
    float[] fresh = new Network(ARCH, net.parameters().copy(), k).forward(x, 2);
    assertArrayEquals(fresh, after);
    assertFalse(Arrays.equals(before, after));
  }
}
