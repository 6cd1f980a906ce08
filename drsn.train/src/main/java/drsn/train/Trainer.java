package drsn.train;

import drsn.data.Batch;
import drsn.data.Batcher;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trains a network of a given {@link Architecture} on a {@link Dataset}: epochs of seeded shuffled
 * mini-batches, deterministic data parallelism on the trainer's own {@link ForkJoinPool}, an
 * optimiser and learning-rate schedule, evaluation after each epoch, the best model by validation
 * accuracy, checkpoints and resumption.
 *
 * <p><b>Determinism.</b> The same configuration and seed give bit-identical weights on any number
 * of threads: batches are cut into micro-batches of a fixed size (the unit of parallel work and of
 * batch-norm statistics), whose gradients and running statistics are combined in a fixed order
 * (see {@link TrainingStep}). A run stopped after k epochs and resumed from its checkpoint ends
 * with the same weights as an uninterrupted run: the checkpoint holds the weights, the optimiser
 * state, the step, and the seed that (with the epoch) determines shuffling and augmentation.
 *
 * <p><b>Safety.</b> A NaN or infinite loss, gradient or parameter stops training with a
 * {@link TrainingDivergedException} naming the step and the first offending parameter; the master
 * weights are not updated with the bad step, and checkpoints already written stay intact
 * (checkpoints are written atomically: temporary file, fsync, atomic rename).
 *
 * <p><b>Files</b> (with {@link TrainingConfig.Builder#checkpoints}): {@value #STATE_FILE} every N
 * epochs and after the last (safetensors: the model's tensors under their PyTorch names, the best
 * model's under {@code best.*}, the optimiser's buffers under {@code optimizer.*}; the
 * architecture, optimiser settings, epoch, step, seed, batch sizes, best epoch and the history as
 * JSON in {@code __metadata__}); at the end {@value #FINAL_MODEL_FILE} and
 * {@value #BEST_MODEL_FILE}, plain model checkpoints that drsn.nn's {@code Checkpoint.load}
 * reads.
 *
 * <p>Progress goes to {@link TrainingListener}s and to the {@link System.Logger} {@code drsn.train}
 * (INFO per epoch, DEBUG per batch). Close the trainer to stop its threads.
 */
public final class Trainer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("drsn.train");
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** Name of the best model's file in the checkpoint directory. */
  public static final String BEST_MODEL_FILE = "best.safetensors";
  /** Name of the final model's file in the checkpoint directory. */
  public static final String FINAL_MODEL_FILE = "final.safetensors";
  /** Name of the training-state file in the checkpoint directory (what {@link #resume} reads). */
  public static final String STATE_FILE = TrainingState.FILE_NAME;

  /** Selects the best epoch as early stopping does, but never stops or lowers the rate. */
  private static final EarlyStopping NEVER_STOP = new EarlyStopping(Integer.MAX_VALUE, Integer.MAX_VALUE, 1, 1, 1);

  private final Architecture arch;
  private final TrainingConfig config;
  private final ForkJoinPool pool;

  /** A trainer with its own pool of {@code config.threads()} threads. */
  public Trainer(Architecture arch, TrainingConfig config) {
    if (arch == null || config == null) {
      throw new IllegalArgumentException("architecture and configuration must not be null");
    }
    if (config.initialModel() != null && !config.initialModel().architecture().equals(arch)) {
      throw new IllegalArgumentException("the initial model's architecture " + config.initialModel().architecture()
          + " differs from the one to train " + arch);
    }
    this.arch = arch;
    this.config = config;
    int id = POOLS.incrementAndGet();
    this.pool = new ForkJoinPool(config.threads(), p -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
      t.setName("drsn-train-" + id + "-" + t.getPoolIndex());
      return t;
    }, null, false);
  }

  public Architecture architecture() {
    return arch;
  }

  public TrainingConfig config() {
    return config;
  }

  /** Trains from scratch (or from the configured initial model). validation may be null. */
  public TrainingResult fit(Dataset train, Dataset validation) {
    checkData("training", train);
    if (validation != null) {
      checkData("validation", validation);
    }
    ParameterSet master = config.initialParameters(arch);
    Optimizer optimizer = config.optimizer().create(WeightDecayMask.of(master));
    return run(train, validation, RunState.fresh(master, optimizer), null, null);
  }

  /**
   * Continues the run saved in a training-state file ({@link #STATE_FILE} in a checkpoint
   * directory). The architecture, batch size, micro-batch size, seed and optimiser settings must
   * be those of the saved run, the training set must be the same (same examples, labels and order),
   * and the learning-rate schedule over this configuration's epochs must give the rates the saved
   * run used for the steps it took — so more epochs are accepted with a constant rate but not with
   * a step or cosine schedule, whose rates depend on the total. Anything else is an
   * IllegalArgumentException naming the difference. The result is then bit-identical to an
   * uninterrupted run of this configuration. To continue from the saved weights with other
   * settings, start a new run from the model ({@link TrainingConfig.Builder#initialModel}).
   */
  public TrainingResult resume(Path stateFile, Dataset train, Dataset validation) throws IOException {
    checkData("training", train);
    if (validation != null) {
      checkData("validation", validation);
    }
    TrainingState s = TrainingState.load(stateFile);
    if (!s.arch.equals(arch)) {
      throw new IllegalArgumentException(stateFile + " holds " + differences(s.arch, arch));
    }
    mustMatch(stateFile, "batch size", s.batchSize, config.batchSize());
    mustMatch(stateFile, "micro-batch size", s.microBatchSize, config.microBatchSize());
    mustMatch(stateFile, "seed", s.seed, config.seed());
    if (!s.optimizerSettings.equals(config.optimizer())) {
      throw new IllegalArgumentException(stateFile + " was trained with " + s.optimizerSettings
          + ", the configuration asks for " + config.optimizer());
    }
    Optimizer optimizer = config.optimizer().create(WeightDecayMask.of(s.params));
    optimizer.restore(s.optimizerSteps, s.optimizerState);
    LOG.log(Level.INFO, "resuming {0} after epoch {1} (step {2})", stateFile, s.completedEpochs, s.step);
    return run(train, validation, RunState.resumed(s, optimizer), stateFile, s);
  }

  /** "a resnet network that differs from this trainer's in widths (saved [4, 8], now [8, 16])", short. */
  private static String differences(Architecture saved, Architecture now) {
    List<String> names = new ArrayList<>();
    StringBuilder values = new StringBuilder();
    for (RecordComponent c : Architecture.class.getRecordComponents()) {
      try {
        Object a = c.getAccessor().invoke(saved);
        Object b = c.getAccessor().invoke(now);
        if (!Objects.equals(a, b)) {
          names.add(c.getName());
          values.append(values.isEmpty() ? "" : "; ").append(c.getName()).append(": saved ").append(shorten(a))
              .append(", now ").append(shorten(b));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read Architecture." + c.getName(), e);
      }
    }
    boolean normalisationOnly = !names.isEmpty() && names.stream().allMatch(n -> n.startsWith("input")
        && (n.endsWith("Mean") || n.endsWith("Std")));
    return "a " + saved.family().id() + " network that differs from this trainer's in " + String.join(", ", names)
        + " (" + values + ")" + (normalisationOnly
        ? ": the input normalisation is fitted on the training data, so the data differs from the saved run's" : "");
  }

  private static String shorten(Object v) {
    String s = String.valueOf(v);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /**
   * A resume continues the saved run only if this configuration would have trained its steps the
   * same way: the same batches per epoch (the same amount of training data) and the same rate at
   * every step already taken.
   */
  private void requireSameSchedule(Path file, TrainingState saved, long totalSteps, int perEpoch) {
    if (saved.step != (long) saved.completedEpochs * perEpoch) {
      throw new IllegalArgumentException(file + " was trained with " + saved.step / Math.max(1, saved.completedEpochs)
          + " batches per epoch, the training set now gives " + perEpoch + ": resume with the training data it was "
          + "trained on");
    }
    if (!saved.pastRatesSha256.equals(TrainingState.scheduleDigest(config.schedule(), saved.step, totalSteps))) {
      throw new IllegalArgumentException(file + " was trained as a run of " + saved.totalSteps + " steps whose "
          + "learning rates differ from what this configuration (" + config.epochs() + " epochs, " + totalSteps
          + " steps) gives for the " + saved.step + " steps already taken (at the last of them: "
          + (saved.history.isEmpty() ? "?" : saved.history.getLast().learningRate()) + " saved, "
          + config.schedule().rate(Math.max(0, saved.step - 1), totalSteps) + " now), so resuming would not reproduce "
          + "the run: resume with its epochs, learning rate and schedule (a constant rate may be resumed with more "
          + "epochs)");
    }
  }

  private static void mustMatch(Path file, String what, long saved, long configured) {
    if (saved != configured) {
      throw new IllegalArgumentException(file + " was trained with " + what + " " + saved
          + ", the configuration asks for " + configured + " (resuming would not reproduce the run)");
    }
  }

  /**
   * Evaluates a model of this trainer's architecture on a dataset, in parallel, deterministically
   * (without a trainer: {@link Evaluator#evaluate}).
   */
  public Evaluation evaluate(Model model, Dataset data) {
    if (model == null || !model.architecture().equals(arch)) {
      throw new IllegalArgumentException("expected a model of architecture " + arch + ", got "
          + (model == null ? "null" : model.architecture()));
    }
    checkData("evaluation", data);
    requireOpen();
    return Evaluator.evaluate(model, data, pool, config.kernels(), config.evaluationBatchSize());
  }

  private int[] inputShape() {
    return arch.dimensions() == 1 ? new int[] {arch.inputChannels(), arch.inputWidth()}
        : new int[] {arch.inputChannels(), arch.inputHeight(), arch.inputWidth()};
  }

  private void checkData(String role, Dataset d) {
    if (d == null) {
      throw new IllegalArgumentException(role + " dataset must not be null");
    }
    // Training examples may be reshaped by the augmentation (a crop): checked after it, in run().
    boolean augmented = role.equals("training") && config.augmentation() != null;
    int[] expected = inputShape();
    if (!augmented && !Arrays.equals(d.exampleShape(), expected)) {
      throw new IllegalArgumentException(role + " examples are shaped " + Arrays.toString(d.exampleShape())
          + ", the network expects " + Arrays.toString(expected));
    }
    if (d.numClasses() != arch.classes()) {
      throw new IllegalArgumentException(role + " dataset has " + d.numClasses() + " classes, the network "
          + arch.classes());
    }
    if (d.size() < 2) {
      throw new IllegalArgumentException(role + " dataset needs at least 2 examples, got " + d.size());
    }
  }

  /**
   * The epochs of a run from the given state (updated in place), checking a resumed run
   * (resumedFrom, read from resumedFile; both null for a new run) against this configuration.
   */
  private TrainingResult run(Dataset train, Dataset validation, RunState state, Path resumedFile,
                             TrainingState resumedFrom) {
    requireOpen();
    ParameterSet master = state.master;
    Optimizer optimizer = state.optimizer;
    List<EpochSummary> history = state.history;
    int batchSize = config.batchSize();
    Batcher batcher = config.batcher(train);
    if (!Arrays.equals(batcher.exampleShape(), inputShape())) {
      throw new IllegalArgumentException("augmented training examples are shaped "
          + Arrays.toString(batcher.exampleShape()) + ", the network expects " + Arrays.toString(inputShape()));
    }
    Batch batch = batcher.newBatch();
    int perEpoch = batcher.batchesPerEpoch();
    int epochs = config.epochs();
    long totalSteps = (long) perEpoch * epochs;
    String dataDigest = config.checkpointDirectory() == null && resumedFrom == null ? null
        : TrainingState.dataDigest(train);
    if (resumedFrom != null) {
      requireSameSchedule(resumedFile, resumedFrom, totalSteps, perEpoch);
      if (!resumedFrom.dataSha256.equals(dataDigest)) {
        throw new IllegalArgumentException(resumedFile + " was trained on other training data (" + train.size()
            + " examples now, differing in their values, labels or order): resume with the data it was trained on");
      }
    }
    TrainingStep trainStep = new TrainingStep(arch, master, optimizer, config, pool);
    EvaluationJob validationJob = new EvaluationJob(pool, trainStep.workers(), arch);
    long step = state.step;
    long start = System.nanoTime();
    long samplesThisRun = 0;
    long stepsThisRun = 0;
    double lr = Double.NaN;
    // Durations beyond ~146 years are as good as none (and would overflow toNanos).
    long limitNanos = config.timeLimit() == null ? 0
        : config.timeLimit().compareTo(Duration.ofDays(365L * 146)) > 0 ? Long.MAX_VALUE / 2
        : config.timeLimit().toNanos();
    boolean outOfTime = false;
    LOG.log(Level.INFO, "training {0} ({1} parameters) for {2} epochs of {3} batches of {4} on {5} thread(s), "
        + "micro-batches of {6}, kernels {7}", arch.family(), master.trainableCount(), epochs, perEpoch,
        batchSize, config.threads(), config.microBatchSize(), config.kernels().name());
    for (TrainingListener l : config.listeners()) {
      l.onStart(progress(state.completedEpochs, 0, perEpoch, step, totalSteps, Double.NaN, Double.NaN, lr, 0, 0, 0));
    }
    EarlyStopping rule = config.earlyStopping();
    if (rule != null && validation == null) {
      throw new IllegalArgumentException("early stopping needs a validation set (or train a fixed number of epochs)");
    }
    // Replays the saved epochs' validation results, so a resumed run takes the same decisions.
    ConvergenceMonitor monitor = (rule != null ? rule : NEVER_STOP).monitor();
    for (EpochSummary e : history) {
      if (e.validation() != null) {
        monitor.observe(e.validation().accuracy(), e.validation().loss());
      }
    }
    String stopReason = null;
    for (int epoch = state.completedEpochs; epoch < epochs && !monitor.shouldStop(); epoch++) {
      batcher.startEpoch(epoch);
      long epochStart = System.nanoTime();
      double lossSum = 0;
      long correct = 0;
      long seen = 0;
      int b = 0;
      while (batcher.next(batch)) {
        int n = batch.size();
        lr = config.schedule().rate(step, totalSteps) * monitor.rateScale();
        try {
          trainStep.run(batch.inputs(), batch.labels(), n, step, lr);
        } catch (TrainingDivergedException e) {
          throw new TrainingDivergedException(e.getMessage() + " (epoch " + (epoch + 1) + ", batch " + (b + 1) + ")",
              e.step(), e.parameter());
        }
        step++;
        b++;
        stepsThisRun++;
        samplesThisRun += n;
        seen += n;
        lossSum += trainStep.lossSum();
        correct += trainStep.correct();
        if (!config.listeners().isEmpty() || LOG.isLoggable(Level.DEBUG)) {
          long now = System.nanoTime();
          Progress p = progress(epoch + 1, b, perEpoch, step, totalSteps, lossSum / seen, (double) correct / seen, lr,
              now - start, samplesThisRun, stepsThisRun);
          LOG.log(Level.DEBUG, "epoch {0} batch {1}/{2}: loss {3}, accuracy {4}", epoch + 1, b, perEpoch,
              p.loss(), p.accuracy());
          for (TrainingListener l : config.listeners()) {
            l.onBatch(p);
          }
        }
        if (limitNanos > 0 && System.nanoTime() - start >= limitNanos) {
          outOfTime = true;
          LOG.log(Level.INFO, "time limit {0} reached after step {1} (epoch {2}, batch {3} of {4})",
              config.timeLimit(), step, epoch + 1, b, perEpoch);
          break;
        }
      }
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      Evaluation val = validation == null ? null
          : Evaluator.evaluate(validationJob, master, validation, config.evaluationBatchSize());
      EpochSummary summary = new EpochSummary(epoch + 1, lossSum / seen, (double) correct / seen, lr, seconds,
          seconds > 0 ? seen / seconds : 0, val);
      history.add(summary);
      state.completedEpochs = epoch + 1;
      state.step = step;
      if (val == null) {
        state.bestEpoch = epoch + 1;
      } else if (monitor.observe(val.accuracy(), val.loss())) {
        state.bestEpoch = epoch + 1;
        state.bestAccuracy = val.accuracy();
        state.best = master.copy();
      }
      if (rule != null && monitor.shouldStop()) {
        stopReason = monitor.stopReason();
        LOG.log(Level.INFO, "stopping after epoch {0}: {1}", epoch + 1, stopReason);
      }
      LOG.log(Level.INFO, "epoch {0}/{1}: loss {2}, accuracy {3}{4}, {5} samples/s", epoch + 1, epochs,
          String.format("%.4f", summary.trainLoss()), String.format("%.4f", summary.trainAccuracy()),
          val == null ? "" : String.format(", validation loss %.4f, accuracy %.4f", val.loss(), val.accuracy()),
          String.format("%.0f", summary.samplesPerSecond()));
      boolean last = epoch + 1 == epochs || stopReason != null;
      if (config.checkpointDirectory() != null && !outOfTime
          && ((epoch + 1) % config.checkpointEvery() == 0 || last)) {
        saveState(state, totalSteps, dataDigest);
      }
      Progress p = progress(epoch + 1, b, perEpoch, step, totalSteps, summary.trainLoss(), summary.trainAccuracy(),
          lr, System.nanoTime() - start, samplesThisRun, stepsThisRun);
      for (TrainingListener l : config.listeners()) {
        l.onEpoch(summary, p);
      }
      if (outOfTime) {
        break;
      }
    }
    if (stopReason == null) {
      stopReason = outOfTime ? "time limit of " + config.timeLimit() + " reached"
          : rule != null && monitor.shouldStop() ? monitor.stopReason()
          : "epoch budget: " + Math.min(epochs, history.size()) + " epochs";
    }
    Model finalModel = Model.of(arch, master);
    Model bestModel = state.best == null ? finalModel : Model.of(arch, state.best);
    TrainingResult result = new TrainingResult(finalModel, bestModel, state.bestEpoch, new History(history),
        stopReason);
    if (config.checkpointDirectory() != null) {
      try {
        Checkpoint.save(finalModel, config.checkpointDirectory().resolve(FINAL_MODEL_FILE));
        Checkpoint.save(bestModel, config.checkpointDirectory().resolve(BEST_MODEL_FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the trained models in " + config.checkpointDirectory(), e);
      }
    }
    Progress end = progress(epochs, perEpoch, perEpoch, step, totalSteps,
        history.isEmpty() ? Double.NaN : history.getLast().trainLoss(),
        history.isEmpty() ? Double.NaN : history.getLast().trainAccuracy(), lr, System.nanoTime() - start,
        samplesThisRun, stepsThisRun);
    for (TrainingListener l : config.listeners()) {
      l.onEnd(result, end);
    }
    return result;
  }

  private void saveState(RunState run, long totalSteps, String dataDigest) {
    String pastRates = TrainingState.scheduleDigest(config.schedule(), run.step, totalSteps);
    TrainingState state = new TrainingState(arch, run.master, run.best, config.optimizer(), run.optimizer.steps(),
        run.optimizer.state(), run.completedEpochs, run.step, config.seed(), config.batchSize(),
        config.microBatchSize(), run.bestEpoch, run.bestAccuracy, run.history, totalSteps, pastRates, dataDigest);
    Path file = config.checkpointDirectory().resolve(STATE_FILE);
    try {
      state.save(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the training state to " + file, e);
    }
    LOG.log(Level.DEBUG, "saved {0} after epoch {1}", file, run.completedEpochs);
  }

  private Progress progress(int epoch, int batch, int perEpoch, long step, long totalSteps, double loss,
                            double accuracy, double lr, long elapsedNanos, long samples, long steps) {
    double seconds = elapsedNanos / 1e9;
    double rate = seconds > 0 ? samples / seconds : 0;
    long etaNanos = steps > 0 ? (long) ((double) elapsedNanos / steps * (totalSteps - step)) : 0;
    return new Progress(epoch, config.epochs(), batch, perEpoch, step, totalSteps, loss, accuracy, lr, rate,
        Duration.ofNanos(elapsedNanos), Duration.ofNanos(Math.max(0, etaNanos)));
  }

  /**
   * A single-step driver over the given parameters (trained in place) with a fresh optimiser of
   * this configuration, on this trainer's pool: for benchmarks and custom training loops.
   */
  public TrainingStep newStep(ParameterSet parameters) {
    requireOpen();
    return new TrainingStep(arch, parameters, config.optimizer().create(WeightDecayMask.of(parameters)), config,
        pool);
  }

  private void requireOpen() {
    if (pool.isShutdown()) {
      throw new IllegalStateException("this trainer is closed");
    }
  }

  /** Stops the trainer's threads (waiting briefly for running work). */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
