package drsn.example.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.tensor.KernelProvider;
import org.junit.jupiter.api.Test;

class WarmingPredictorTest {

  @Test
  void answersOnScalarKernelsUntilTheSimdOnesAreWarmThenOnSimdWithTheSameResults() throws Exception {
    Architecture arch = Architecture.paper(Family.DRSN_CW, 64, 3);
    Model model = Network.create(arch, 3).toModel();
    WarmingPredictor p = new WarmingPredictor(model);
    float[] x = new float[arch.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(0.3 * i);
    }
    float[] before = new float[3];
    p.current().predict(x, before);
    assertFalse(p.usesSimd(), "no warm-up has started");
    p.warmUp(x);
    boolean simd = KernelProvider.get().isSimd();
    for (int i = 0; i < 600 && simd && !p.usesSimd(); i++) {
      Thread.sleep(50);
    }
    assertEquals(simd, p.usesSimd(), "switches to SIMD exactly when this JVM has it");
    float[] after = new float[3];
    p.current().predict(x, after);
    for (int k = 0; k < 3; k++) {
      assertEquals(before[k], after[k], 1e-5f);
    }
    assertTrue(after[0] + after[1] + after[2] > 0.999f);
  }
}
