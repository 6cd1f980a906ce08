package drsn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Predictor;
import drsn.nn.onnx.OnnxExport;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every family, 1-D and 2-D, exported to ONNX and run by ONNX Runtime, gives drsn's probabilities
 * within 1e-5 on the same inputs: the export computes what the predictor computes.
 */
class OnnxExportAgreementTest {

  /** 1-D, two channels with their own normalisation; zero-padding shortcuts (odd channel growth). */
  static final Architecture SIGNALS = new Architecture(Family.DRSN_CW, 1, 2, 1, 75, List.of(3, 6, 9),
      List.of(1, 2, 1), 5, 2, 2, 4, Architecture.defaultNames(4), List.of(0.5f, -2f), List.of(3f, 0.25f), 2,
      false);
  /** 2-D, odd height and width (the strided layers round up), projection shortcuts. */
  static final Architecture IMAGES = new Architecture(Family.DRSN_CW, 2, 3, 9, 11, List.of(4, 8),
      List.of(1, 2), 3, 1, 2, 3, Architecture.defaultNames(3), List.of(0.1f, 0.2f, -0.3f), List.of(0.5f, 2f, 1.5f),
      4, true);

  @Test
  void everyFamilyIn1dAgreesWithOnnxRuntime() throws Exception {
    for (Family f : Family.values()) {
      agree(SIGNALS.withFamily(f), 11 + f.ordinal());
      agree(SIGNALS.withFamily(f).withProjectionShortcut(true), 21 + f.ordinal());
    }
  }

  @Test
  void everyFamilyIn2dAgreesWithOnnxRuntime() throws Exception {
    for (Family f : Family.values()) {
      agree(IMAGES.withFamily(f), 31 + f.ordinal());
    }
    agree(IMAGES.withFamily(Family.DRSN_CS).withProjectionShortcut(false), 41);
  }

  @Test
  void thePapersDrsnCwAgreesWithOnnxRuntime() throws Exception {
    agree(Architecture.paper(Family.DRSN_CW, 2048, 10), 51);
  }

  private static void agree(Architecture arch, long seed) throws Exception {
    Model model = OnnxPeer.randomModel(arch, seed);
    Predictor predictor = model.predictor();
    int n = 3;
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * arch.inputSize()];
    for (int i = 0; i < x.length; i++) {
      // Around each channel's own mean and scale, so the normalisation matters.
      int c = (i % arch.inputSize()) / (arch.inputSize() / arch.inputChannels());
      x[i] = arch.inputMean().get(c) + arch.inputStd().get(c) * (float) r.nextGaussian();
    }
    float[] expected = new float[n * arch.classes()];
    predictor.predictBatch(x, n, expected);
    float[] expectedLogits = model.newNetwork(drsn.tensor.KernelProvider.get()).forward(x, n).clone();
    float[] actual;
    try (OnnxPeer peer = new OnnxPeer(OnnxExport.encode(model), arch)) {
      actual = peer.predict(x, n);
      // Logits too: random weights may saturate the softmax, where probabilities hide differences.
      float[] logits = peer.logits(x, n);
      for (int i = 0; i < logits.length; i++) {
        assertEquals(expectedLogits[i], logits[i], 1e-4f * Math.max(1f, Math.abs(expectedLogits[i])),
            arch.family() + " " + arch.dimensions() + "-D, logit " + i);
      }
      // The batch dimension is dynamic: one sample alone gives its row of the batch.
      float[] one = peer.predict(java.util.Arrays.copyOf(x, arch.inputSize()), 1);
      for (int k = 0; k < arch.classes(); k++) {
        assertEquals(expected[k], one[k], 1e-5f, arch + " batch of 1");
      }
    }
    double spread = 0;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5f, arch.family() + " " + arch.dimensions() + "-D, value " + i);
      spread = Math.max(spread, Math.abs(expected[i] - 1.0 / arch.classes()));
    }
    // Random weights must not make every model answer uniformly (which any export would match).
    assertTrue(spread > 1e-3, arch.family() + ": probabilities too close to uniform to tell exports apart");
  }
}
