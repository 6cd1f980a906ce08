package drsn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.data.Dataset;
import drsn.data.NoiseAugmentation;
import drsn.data.NoiseKind;
import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.tensor.KernelProvider;
import drsn.nn.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final Dataset TRAIN = TinyData.dataset(90, 0.3, 1);
  private static final Dataset TEST = TinyData.dataset(45, 0.3, 2);
  /** Fresh noise per batch: its random streams must also continue exactly after a resumption. */
  private static final NoiseAugmentation NOISE = new NoiseAugmentation(NoiseKind.WHITE_GAUSSIAN, 5, 20);

  /**
   * The reproducibility tests run on this JVM's kernels (SIMD in the SIMD test run, scalar in the
   * other): the engine must add nothing thread- or history-dependent, and the kernels must give
   * the same bits interpreted and compiled (drsn.tensor's fixed-order lane sums).
   */
  private static TrainingConfig.Builder reproducible(int threads) {
    return config(threads).kernels(KernelProvider.get());
  }

  private static TrainingConfig.Builder config(int threads) {
    return TrainingConfig.builder().epochs(3).batchSize(16).microBatchSize(4).threads(threads).seed(7)
        .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.paper(0.1));
  }

  private static TrainingResult train(Architecture arch, TrainingConfig cfg, Dataset train, Dataset val) {
    try (Trainer t = new Trainer(arch, cfg)) {
      return t.fit(train, val);
    }
  }

  private static ParameterSet params(Model m) {
    return m.copyParameters();
  }

  @Test
  void sameSeedGivesBitIdenticalWeightsOnOneTwoOrThreeThreads() {
    for (Family f : new Family[] {Family.DRSN_CW, Family.RESNET}) {
      Architecture arch = TinyData.arch(f);
      ParameterSet one = params(train(arch, reproducible(1).build(), TRAIN, TEST).finalModel());
      for (int threads : new int[] {2, 3}) {
        ParameterSet p = params(train(arch, reproducible(threads).build(), TRAIN, TEST).finalModel());
        assertArrayEquals(one.values(), p.values(), 0f, f + ": weights with " + threads + " threads");
        assertArrayEquals(one.statistics(), p.statistics(), 0f, f + ": running statistics with " + threads
            + " threads");
      }
      // Training changed the weights and statistics (the comparison above is not vacuous).
      ParameterSet init = ParameterSet.initialise(arch, 7);
      assertTrue(!java.util.Arrays.equals(init.values(), one.values()));
      assertTrue(!java.util.Arrays.equals(init.statistics(), one.statistics()));
    }
  }

  @Test
  void resumedRunEndsBitIdenticalToAnUninterruptedOne(@TempDir Path dir) throws IOException {
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    for (OptimizerSettings opt : new OptimizerSettings[] {OptimizerSettings.paper(), OptimizerSettings.adamW(0.9,
        0.999, 1e-8, 0.01)}) {
      TrainingConfig full = reproducible(2).augmentation(NOISE).optimizer(opt).epochs(4).build();
      TrainingResult uninterrupted = train(arch, full, TRAIN, TEST);

      Path ckpt = Files.createTempDirectory(dir, "ckpt");
      // The first run is configured for 4 epochs (same schedule) but stopped after 2 by a listener.
      stopAfter(2, arch, reproducible(1).augmentation(NOISE).optimizer(opt).epochs(4), ckpt);
      TrainingResult resumed;
      try (Trainer t = new Trainer(arch, reproducible(3).augmentation(NOISE).optimizer(opt).epochs(4).checkpoints(ckpt, 1).build())) {
        resumed = t.resume(ckpt.resolve(Trainer.STATE_FILE), TRAIN, TEST);
      }
      assertArrayEquals(params(uninterrupted.finalModel()).values(), params(resumed.finalModel()).values(), 0f,
          opt.kind() + ": weights");
      assertArrayEquals(params(uninterrupted.finalModel()).statistics(), params(resumed.finalModel()).statistics(),
          0f, opt.kind() + ": statistics");
      assertArrayEquals(params(uninterrupted.bestModel()).values(), params(resumed.bestModel()).values(), 0f);
      assertEquals(uninterrupted.bestEpoch(), resumed.bestEpoch());
      assertEquals(4, resumed.history().epochs().size());
      for (int e = 0; e < 4; e++) {
        assertEquals(uninterrupted.history().epochs().get(e).trainLoss(), resumed.history().epochs().get(e).trainLoss(),
            0.0, "epoch " + (e + 1) + " training loss");
        assertEquals(uninterrupted.history().epochs().get(e).validation().confusion(),
            resumed.history().epochs().get(e).validation().confusion());
      }
      // The models saved at the end load with drsn.nn's checkpoint reader.
      Model best = Checkpoint.load(ckpt.resolve(Trainer.BEST_MODEL_FILE));
      assertArrayEquals(params(resumed.bestModel()).values(), params(best).values(), 0f);
    }
  }

  private static final class StopHere extends RuntimeException {
  }

  @Test
  void resumingWithAnotherEpochCountOrScheduleIsRefusedAndLeavesTheStateAlone(@TempDir Path dir) throws IOException {
    Architecture arch = TinyData.arch(Family.DRSN_CS);
    // Cosine annealing: every step's rate depends on the run's total.
    LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 0.001);
    Path state = stopAfter(1, arch, config(1).epochs(3).schedule(cosine), dir);
    byte[] saved = Files.readAllBytes(state);
    int perEpoch = (TRAIN.size() + 15) / 16;

    // More epochs stretch the annealing: the first epoch would have had other rates.
    try (Trainer t = new Trainer(arch, config(1).epochs(5).schedule(cosine).checkpoints(dir, 1).build())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(state, TRAIN, TEST));
      assertTrue(e.getMessage().contains("run of " + 3 * perEpoch + " steps") && e.getMessage().contains("5 epochs"),
          e.getMessage());
    }
    // Same epochs, another peak rate.
    try (Trainer t = new Trainer(arch, config(1).schedule(LearningRateSchedule.cosine(0.05, 0.001))
        .checkpoints(dir, 1).build())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(state, TRAIN, TEST));
      assertTrue(e.getMessage().contains("differ"), e.getMessage());
    }
    // Less training data: other batches per epoch.
    try (Trainer t = new Trainer(arch, config(1).schedule(cosine).checkpoints(dir, 1).build())) {
      Dataset fewer = TRAIN.subset(java.util.stream.IntStream.range(0, TRAIN.size() - 16).toArray());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(state, fewer, TEST));
      assertTrue(e.getMessage().contains("batches per epoch"), e.getMessage());
    }
    // Other recordings of the same size (or the same ones with other noise): same batches, other data.
    try (Trainer t = new Trainer(arch, config(1).schedule(cosine).checkpoints(dir, 1).build())) {
      Dataset other = TinyData.dataset(TRAIN.size(), 0.3, 99);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(state, other, TEST));
      assertTrue(e.getMessage().contains("other training data"), e.getMessage());
    }
    assertArrayEquals(saved, Files.readAllBytes(state), "a refused resume must not touch the saved state");
    // The configuration it was trained with still resumes.
    try (Trainer t = new Trainer(arch, config(1).schedule(cosine).checkpoints(dir, 1).build())) {
      assertEquals(3, t.resume(state, TRAIN, TEST).history().epochs().size());
    }
  }

  @Test
  void aConstantRateRunResumedWithMoreEpochsEqualsTheLongerRunUninterrupted(@TempDir Path dir) throws IOException {
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    LearningRateSchedule constant = LearningRateSchedule.constant(0.05);
    Path state = stopAfter(1, arch, config(1).epochs(2).schedule(constant), dir);
    TrainingResult longer = train(arch, config(2).epochs(4).schedule(constant).build(), TRAIN, TEST);
    TrainingResult resumed;
    try (Trainer t = new Trainer(arch, config(2).epochs(4).schedule(constant).checkpoints(dir, 1).build())) {
      resumed = t.resume(state, TRAIN, TEST);
    }
    assertEquals(4, resumed.history().epochs().size());
    assertArrayEquals(params(longer.finalModel()).values(), params(resumed.finalModel()).values(), 0f);
  }

  /** Trains with checkpoints into dir, stopped by a listener after the given epoch; the state file. */
  private static Path stopAfter(int epoch, Architecture arch, TrainingConfig.Builder cfg, Path dir) {
    TrainingConfig stopping = cfg.checkpoints(dir, 1).listener(new TrainingListener() {
      @Override
      public void onEpoch(EpochSummary summary, Progress progress) {
        if (summary.epoch() == epoch) {
          throw new StopHere();
        }
      }
    }).build();
    assertThrows(StopHere.class, () -> train(arch, stopping, TRAIN, TEST));
    return dir.resolve(Trainer.STATE_FILE);
  }

  @Test
  void theScheduleDigestSeesEveryStepsRate() {
    LearningRateSchedule paper = LearningRateSchedule.paper(0.1);
    String d = TrainingState.scheduleDigest(paper, 5000, 5000);
    assertEquals(d, TrainingState.scheduleDigest(LearningRateSchedule.paper(0.1), 5000, 5000));
    // Differs only at the very last step (beyond the digest's first internal buffer of 1,024 rates).
    LearningRateSchedule lastDiffers = (step, total) -> step == total - 1 ? 1e-9 : paper.rate(step, total);
    assertTrue(!d.equals(TrainingState.scheduleDigest(lastDiffers, 5000, 5000)));
    assertTrue(!d.equals(TrainingState.scheduleDigest(paper, 4999, 5000)));
    // The data digest sees one changed label.
    int[] relabelled = TRAIN.labels().clone();
    relabelled[TRAIN.size() - 1] = (relabelled[TRAIN.size() - 1] + 1) % TRAIN.numClasses();
    float[] values = new float[TRAIN.size() * TRAIN.exampleSize()];
    for (int i = 0; i < TRAIN.size(); i++) {
      TRAIN.copyExample(i, values, i * TRAIN.exampleSize());
    }
    assertEquals(TrainingState.dataDigest(TRAIN),
        TrainingState.dataDigest(Dataset.of(values, TRAIN.labels(), TRAIN.exampleShape(), TRAIN.classNames())));
    assertTrue(!TrainingState.dataDigest(TRAIN).equals(TrainingState.dataDigest(
        Dataset.of(values, relabelled, TRAIN.exampleShape(), TRAIN.classNames()))));
    assertEquals(TrainingState.scheduleDigest(lastDiffers, 4999, 5000), TrainingState.scheduleDigest(paper, 4999, 5000),
        "only the steps covered count");
  }

  @Test
  void divergenceStopsTrainingNamesStepAndParameterAndKeepsTheLastCheckpoint(@TempDir Path dir) throws IOException {
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    int perEpoch = (TRAIN.size() + 15) / 16;
    // A sane rate for the first epoch, an absurd one from the second epoch on.
    LearningRateSchedule poisoned = (step, total) -> step < perEpoch ? 0.05 : 1e30;
    TrainingConfig cfg = config(2).epochs(3).schedule(poisoned).checkpoints(dir, 1).build();
    byte[][] afterFirst = new byte[1][];
    TrainingConfig watched = config(2).epochs(3).schedule(poisoned).checkpoints(dir, 1)
        .listener(new TrainingListener() {
          @Override
          public void onEpoch(EpochSummary summary, Progress progress) {
            try {
              afterFirst[0] = Files.readAllBytes(dir.resolve(Trainer.STATE_FILE));
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          }
        }).build();
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> train(arch, watched, TRAIN, TEST));
    assertTrue(e.step() >= perEpoch, "diverged at step " + e.step() + ", before the absurd rate");
    assertNotNull(e.parameter(), e.getMessage());
    assertTrue(ParameterSet.allocate(arch.layout()).contains(e.parameter()), e.parameter());
    assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains(e.parameter()),
        e.getMessage());
    assertNotNull(afterFirst[0], "a checkpoint was written after the first epoch");
    assertArrayEquals(afterFirst[0], Files.readAllBytes(dir.resolve(Trainer.STATE_FILE)),
        "the last good checkpoint must stay intact");
    // And it is a valid state to resume from: with its own schedule the run diverges again at the
    // same step (on another thread count); another schedule is refused rather than mixed in.
    try (Trainer t = new Trainer(arch, config(1).epochs(3).schedule(poisoned).build())) {
      TrainingDivergedException again = assertThrows(TrainingDivergedException.class,
          () -> t.resume(dir.resolve(Trainer.STATE_FILE), TRAIN, TEST));
      assertEquals(e.step(), again.step());
    }
    try (Trainer t = new Trainer(arch, config(1).epochs(3).build())) {
      assertThrows(IllegalArgumentException.class, () -> t.resume(dir.resolve(Trainer.STATE_FILE), TRAIN, TEST));
    }
    try (Stream files = new Stream(dir)) {
      assertTrue(files.names().stream().noneMatch(n -> n.endsWith(".tmp")), "no temporary files left: "
          + files.names());
    }
    assertNotNull(cfg);
  }

  /** Lists a directory's file names. */
  private record Stream(Path dir) implements AutoCloseable {
    List<String> names() throws IOException {
      try (var s = Files.list(dir)) {
        return s.map(p -> p.getFileName().toString()).toList();
      }
    }

    @Override
    public void close() {
    }
  }

  @Test
  void trainingLearnsAndKeepsTheBestModelAndAHistory(@TempDir Path dir) throws Exception {
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    List<String> events = new ArrayList<>();
    TrainingConfig cfg = config(2).epochs(15).optimizer(OptimizerSettings.adam())
        .schedule(LearningRateSchedule.cosine(0.03, 0.001))
        .listener(new TrainingListener() {
          @Override
          public void onStart(Progress p) {
            events.add("start");
          }

          @Override
          public void onBatch(Progress p) {
            events.add("batch");
            assertTrue(Double.isFinite(p.loss()) && p.samplesPerSecond() > 0 && !p.eta().isNegative());
          }

          @Override
          public void onEpoch(EpochSummary s, Progress p) {
            events.add("epoch");
          }

          @Override
          public void onEnd(TrainingResult r, Progress p) {
            events.add("end");
            assertEquals(p.totalSteps(), p.step());
          }
        }).build();
    TrainingResult r = train(arch, cfg, TRAIN, TEST);
    int perEpoch = (TRAIN.size() + 15) / 16;
    assertEquals(1 + 15 * (perEpoch + 1) + 1, events.size());
    assertEquals("start", events.getFirst());
    assertEquals("end", events.getLast());
    List<EpochSummary> h = r.history().epochs();
    assertEquals(15, h.size());
    assertTrue(h.getLast().trainLoss() < h.getFirst().trainLoss(), "training loss fell: " + h);
    double bestAcc = h.stream().mapToDouble(EpochSummary::validationAccuracy).max().orElseThrow();
    assertEquals(bestAcc, h.get(r.bestEpoch() - 1).validationAccuracy());
    assertTrue(bestAcc >= 0.7, "validation accuracy " + bestAcc + " (chance: 1/3)");
    try (Trainer t = new Trainer(arch, config(3).build())) {
      Evaluation ev = t.evaluate(r.bestModel(), TEST);
      assertEquals(bestAcc, ev.accuracy(), 0.0, "re-evaluating the best model gives its recorded accuracy");
      assertEquals(TEST.size(), ev.examples());
    }
    Path json = dir.resolve("history.json");
    r.history().writeJson(json);
    Object parsed = Json.parse(Files.readString(json).trim(), 10);
    assertEquals(15, ((List<?>) ((Map<?, ?>) parsed).get("epochs")).size());
  }

  @Test
  void dataThatDoesNotFitTheNetworkIsRejected(@TempDir Path dir) throws IOException {
    Architecture arch = TinyData.arch(Family.RESNET);
    try (Trainer t = new Trainer(arch, config(1).build())) {
      Dataset wrongLength = Dataset.of(new float[4 * 16], new int[] {0, 1, 2, 0}, new int[] {1, 16},
          List.of("low", "mid", "high"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(wrongLength, null));
      assertTrue(e.getMessage().contains("[1, 16]") && e.getMessage().contains("[1, 32]"), e.getMessage());
      Dataset twoClasses = Dataset.of(new float[4 * 32], new int[] {0, 1, 0, 1}, new int[] {1, 32},
          List.of("a", "b"));
      assertThrows(IllegalArgumentException.class, () -> t.fit(twoClasses, null));
      Path garbage = dir.resolve("garbage.safetensors");
      Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
      assertThrows(IOException.class, () -> t.resume(garbage, TRAIN, null));
    }
    // Resuming with a different seed would not reproduce the run: refused.
    Path ckpt = dir.resolve("c");
    train(arch, config(1).epochs(1).checkpoints(ckpt, 1).build(), TRAIN, null);
    try (Trainer t = new Trainer(arch, config(1).seed(8).build())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> t.resume(ckpt.resolve(Trainer.STATE_FILE), TRAIN, null));
      assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }
  }

  @Test
  void earlyStoppingChoosesTheSameEpochAndWeightsOnOneAndTwoThreads() {
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    LearningRateSchedule constant = LearningRateSchedule.constant(0.05);
    EarlyStopping rule = new EarlyStopping(3, 1, 0.5, 0.25, 2);
    TrainingResult one = train(arch, reproducible(1).epochs(60).schedule(constant).earlyStopping(rule).build(),
        TRAIN, TEST);
    TrainingResult two = train(arch, reproducible(2).epochs(60).schedule(constant).earlyStopping(rule).build(),
        TRAIN, TEST);
    assertEquals(one.bestEpoch(), two.bestEpoch());
    assertEquals(one.history().epochs().size(), two.history().epochs().size());
    assertArrayEquals(params(one.bestModel()).values(), params(two.bestModel()).values(), 0f);
    assertTrue(one.history().epochs().size() < 60, "stopped before the cap: " + one.stopReason());
    assertTrue(one.stopReason().startsWith("converged"), one.stopReason());
    // The kept model is the best epoch's, and the history ends patience epochs after it.
    assertEquals(one.bestEpoch() + 3, one.history().epochs().size());
    double bestAcc = one.history().epochs().get(one.bestEpoch() - 1).validationAccuracy();
    for (EpochSummary e : one.history().epochs()) {
      assertTrue(e.validationAccuracy() <= bestAcc);
    }
    // A plateau lowered the learning rate before the stop (constant schedule otherwise).
    List<EpochSummary> h = one.history().epochs();
    assertTrue(h.getLast().learningRate() < h.getFirst().learningRate(), "rate lowered on the plateau");
  }

  @Test
  void earlyStoppingWithoutAValidationSetIsRefused() {
    Architecture arch = TinyData.arch(Family.RESNET);
    var e = assertThrows(IllegalArgumentException.class,
        () -> train(arch, reproducible(1).earlyStopping(EarlyStopping.forStepsPerEpoch(6)).build(), TRAIN, null));
    assertTrue(e.getMessage().contains("needs a validation set"), e.getMessage());
  }

  @Test
  void aResumedEarlyStoppedRunTakesTheSameDecisions(@TempDir Path dir) throws IOException {
    Architecture arch = TinyData.arch(Family.RESNET);
    EarlyStopping rule = new EarlyStopping(3, 1, 0.5, 0.25, 2);
    TrainingResult uninterrupted = train(arch, reproducible(1).epochs(40).schedule(LearningRateSchedule.constant(0.05))
        .earlyStopping(rule).build(), TRAIN, TEST);
    int stopAt = Math.max(1, uninterrupted.history().epochs().size() - 2);
    stopAfter(stopAt, arch, reproducible(1).epochs(40).schedule(LearningRateSchedule.constant(0.05))
        .earlyStopping(rule), dir);
    TrainingResult resumed;
    try (Trainer t = new Trainer(arch, reproducible(2).epochs(40).schedule(LearningRateSchedule.constant(0.05))
        .earlyStopping(rule).checkpoints(dir, 1).build())) {
      resumed = t.resume(dir.resolve(Trainer.STATE_FILE), TRAIN, TEST);
    }
    assertEquals(uninterrupted.bestEpoch(), resumed.bestEpoch());
    assertEquals(uninterrupted.history().epochs().size(), resumed.history().epochs().size());
    assertEquals(uninterrupted.stopReason(), resumed.stopReason());
    assertArrayEquals(params(uninterrupted.bestModel()).values(), params(resumed.bestModel()).values(), 0f);
  }
}
