package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class TrainingStepTest {

  private static final Dataset DATA = TinyData.dataset(20, 0.3, 9);

  @Test
  void clippingBoundsTheUpdateOfPlainSgd() {
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    double maxNorm = 1e-3;
    TrainingConfig cfg = TrainingConfig.builder().threads(2).batchSize(20).microBatchSize(8)
        .optimizer(OptimizerSettings.sgd(0, false, 0)).clipGradientNorm(maxNorm).build();
    TrainingConfig unclipped = TrainingConfig.builder().threads(2).batchSize(20).microBatchSize(8)
        .optimizer(OptimizerSettings.sgd(0, false, 0)).build();
    double[] norms = new double[2];
    TrainingConfig[] configs = {cfg, unclipped};
    for (int c = 0; c < 2; c++) {
      try (Trainer t = new Trainer(arch, configs[c])) {
        ParameterSet p = ParameterSet.initialise(arch, 3);
        float[] before = p.values().clone();
        TrainingStep step = t.newStep(p);
        step.run(TinyData.inputs(DATA), DATA.labels(), DATA.size(), 0, 1.0);
        double sq = 0;
        for (int i = 0; i < before.length; i++) {
          double d = p.values()[i] - before[i];
          sq += d * d;
        }
        norms[c] = Math.sqrt(sq);
      }
    }
    assertTrue(norms[1] > 10 * maxNorm, "the test needs a gradient larger than the clipping norm: " + norms[1]);
    assertEquals(maxNorm, norms[0], maxNorm * 1e-3, "lr 1 step of the clipped gradient has the clipping norm");
  }

  @Test
  void weightDecayMaskCoversConvolutionAndFullyConnectedWeightsOnly() {
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    ParameterSet p = ParameterSet.initialise(arch, 1);
    boolean[] mask = WeightDecayMask.of(p);
    int decayed = 0;
    for (TensorSpec spec : p.specs()) {
      if (spec.kind() != TensorSpec.Kind.TRAINABLE) {
        continue;
      }
      String n = spec.name();
      boolean expected = (n.contains("conv") || n.startsWith("stem.") || n.contains("fc")) && n.endsWith(".weight");
      ParameterSet.Slot s = p.slot(n);
      for (int i = s.offset(); i < s.offset() + s.size(); i++) {
        assertEquals(expected, mask[i], n);
      }
      decayed += expected ? s.size() : 0;
    }
    assertTrue(decayed > 0 && decayed < mask.length);
    assertFalse(mask[p.slot("units.0.bnf.weight").offset()]);
    assertTrue(mask[p.slot("units.0.fc1.weight").offset()]);
  }

  @Test
  void aClosedTrainerRefusesWork() {
    Architecture arch = TinyData.arch(Family.RESNET);
    Trainer t = new Trainer(arch, TrainingConfig.builder().threads(1).build());
    t.close();
    assertThrows(IllegalStateException.class, () -> t.fit(DATA, null));
    assertThrows(IllegalStateException.class, () -> t.newStep(ParameterSet.initialise(arch, 1)));
  }

  @Test
  void aTimeLimitStopsTrainingEarlyAndSavesNoPartialState(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Architecture arch = TinyData.arch(Family.RESNET);
    TrainingConfig cfg = TrainingConfig.builder().threads(1).batchSize(4).microBatchSize(2).epochs(1000)
        .timeLimit(java.time.Duration.ofNanos(1)).checkpoints(dir, 1).build();
    try (Trainer t = new Trainer(arch, cfg)) {
      TrainingResult r = t.fit(DATA, DATA);
      assertEquals(1, r.history().epochs().size(), "stopped after the first step");
      assertFalse(java.nio.file.Files.exists(dir.resolve(Trainer.STATE_FILE)));
      assertTrue(java.nio.file.Files.exists(dir.resolve(Trainer.FINAL_MODEL_FILE)));
    }
  }

  @Test
  void badConfigurationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().batchSize(1));
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().microBatchSize(1));
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().threads(0));
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().clipGradientNorm(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().epochs(0));
  }
  @Test
  @Tag("steady-state-allocation") // also run with C2 inlining none of the SIMD kernels: see pom.xml
  void aWarmTrainingStepAllocatesAlmostNothing() {
    assertWarmStepAllocatesAlmostNothing(256);
  }

  /** Rows of 250, 125, 63 and 32 floats: every kernel's masked or overlapping last vector runs. */
  @Test
  @Tag("steady-state-allocation") // also run with C2 inlining none of the SIMD kernels: see pom.xml
  void aWarmTrainingStepAtAWindowThatIsNotAMultipleOfTheVectorAllocatesAlmostNothing() {
    assertWarmStepAllocatesAlmostNothing(250);
  }

  private static void assertWarmStepAllocatesAlmostNothing(int length) {
    if (!(java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
        || !mx.isThreadAllocatedMemorySupported()) {
      return;
    }
    // The paper's 12 DRSN-CW units, so that a few bytes per kernel call add up to kilobytes per step.
    Architecture arch = Architecture.paper(Family.DRSN_CW, length, 4);
    int batch = 32;
    TrainingConfig cfg = TrainingConfig.builder().threads(1).batchSize(batch).microBatchSize(8)
        .optimizer(OptimizerSettings.paper()).build();
    float[] x = new float[batch * length];
    int[] labels = new int[batch];
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < batch; i++) {
      labels[i] = i % 4;
    }
    try (Trainer t = new Trainer(arch, cfg)) {
      TrainingStep step = t.newStep(ParameterSet.initialise(arch, 5));
      int steps = 20;
      long perStep = Long.MAX_VALUE;
      long count = 0;
      // Interpreted and C1-compiled code allocates (boxed vectors); C2 removes that. The property is
      // the steady state: no per-call strings, arrays or objects in the layers, kernels and checks.
      // On a loaded machine C2's queue is long and HotSpot raises the tier-4 thresholds with it, so
      // a kernel can stay C1-compiled (boxing) for seconds: the rounds run until the step is clean
      // or a minute has passed, not for a fixed count; a real per-call allocation never gets clean.
      long deadline = System.nanoTime() + 60_000_000_000L;
      for (int round = 0; perStep >= 1024 && (round < 60 || System.nanoTime() < deadline); round++) {
        // All threads: the step may run on the trainer's pool.
        long before = mx.getTotalThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
          step.run(x, labels, batch, count++, 0.01);
        }
        perStep = (mx.getTotalThreadAllocatedBytes() - before) / steps;
      }
      // 96 soft-threshold calls per step: one 32-byte message string each would already exceed it.
      assertTrue(perStep < 1024, "window " + length + ": a warm training step allocated " + perStep + " bytes");
    }
  }
}
