package drsn.train;

import drsn.data.Augmentation;
import drsn.data.Batcher;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.tensor.KernelProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to train: epochs, batching, parallelism, optimiser, schedule, checkpoints. Immutable; built
 * with {@link #builder()}. Defaults follow the paper where it says something: batch 128, SGD with
 * momentum 0.9 and weight decay 1e-4, learning rate 0.1 divided by 10 at 40 % and 80 % of training.
 */
public final class TrainingConfig {

  /** Largest accepted thread count. */
  public static final int MAX_THREADS = 256;

  private final int epochs;
  private final int batchSize;
  private final int microBatchSize;
  private final int threads;
  private final long seed;
  private final OptimizerSettings optimizer;
  private final LearningRateSchedule schedule;
  private final double clipGradientNorm;
  private final Path checkpointDirectory;
  private final int checkpointEvery;
  private final Augmentation augmentation;
  private final int evaluationBatchSize;
  private final KernelProvider kernels;
  private final List<TrainingListener> listeners;
  private final Model initialModel;
  private final Duration timeLimit;
  private final EarlyStopping earlyStopping;

  private TrainingConfig(Builder b) {
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.microBatchSize = b.microBatchSize;
    this.threads = b.threads;
    this.seed = b.seed;
    this.optimizer = b.optimizer;
    this.schedule = b.schedule;
    this.clipGradientNorm = b.clipGradientNorm;
    this.checkpointDirectory = b.checkpointDirectory;
    this.checkpointEvery = b.checkpointEvery;
    this.augmentation = b.augmentation;
    this.evaluationBatchSize = b.evaluationBatchSize;
    this.kernels = b.kernels;
    this.listeners = List.copyOf(b.listeners);
    this.initialModel = b.initialModel;
    this.timeLimit = b.timeLimit;
    this.earlyStopping = b.earlyStopping;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Epochs to train; with {@link #earlyStopping()} the most epochs a run may take. */
  public int epochs() {
    return epochs;
  }

  /**
   * The rule that stops training once the model has converged on the validation set (and lowers
   * the learning rate on plateaus), or null to train exactly {@link #epochs()} epochs.
   */
  public EarlyStopping earlyStopping() {
    return earlyStopping;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Samples per micro-batch: the unit of parallel work and of (ghost) batch-norm statistics. */
  public int microBatchSize() {
    return microBatchSize;
  }

  public int threads() {
    return threads;
  }

  /** Seeds the initial weights (unless an initial model is given) and the shuffling. */
  public long seed() {
    return seed;
  }

  public OptimizerSettings optimizer() {
    return optimizer;
  }

  public LearningRateSchedule schedule() {
    return schedule;
  }

  /** Largest global gradient L2 norm (gradients are scaled down beyond it); 0 = no clipping. */
  public double clipGradientNorm() {
    return clipGradientNorm;
  }

  /** Where training state and models are saved, or null for no checkpoints. */
  public Path checkpointDirectory() {
    return checkpointDirectory;
  }

  public int checkpointEvery() {
    return checkpointEvery;
  }

  /** Applied to every training batch, or null. */
  public Augmentation augmentation() {
    return augmentation;
  }

  public int evaluationBatchSize() {
    return evaluationBatchSize;
  }

  public KernelProvider kernels() {
    return kernels;
  }

  public List<TrainingListener> listeners() {
    return listeners;
  }

  /** The model to start from, or null to start from seeded He initialisation. */
  public Model initialModel() {
    return initialModel;
  }

  /**
   * The weights a run of this configuration starts from: a copy of the {@link #initialModel}'s, or
   * the seeded initialisation of arch. What {@link Trainer#fit} starts from; a trainer elsewhere
   * starting here trains the same run.
   */
  public ParameterSet initialParameters(Architecture arch) {
    return initialModel != null ? initialModel.copyParameters() : ParameterSet.initialise(arch, seed);
  }

  /**
   * The batches a run of this configuration trains on: train shuffled with the seed (a new order
   * each epoch, see {@link Batcher#startEpoch}), augmented, in batches of {@link #batchSize}; a
   * final batch of one sample, which batch norm cannot train on, is dropped. What {@link Trainer}
   * trains on; a trainer elsewhere cutting its batches here gets the same ones.
   */
  public Batcher batcher(Dataset train) {
    return Batcher.over(train).batchSize(batchSize).shuffle(seed).augmentation(augmentation)
        .dropLast(train.size() % batchSize == 1).build();
  }

  /**
   * Wall-clock budget for training (evaluation included), or null for none. When it runs out,
   * training stops after the current step; the partial epoch is summarised and evaluated, but no
   * training state is saved for it (a partial epoch cannot be resumed bit-identically). A run
   * stopped by the clock is, of course, not reproducible.
   */
  public Duration timeLimit() {
    return timeLimit;
  }

  /** Options for a {@link TrainingConfig}. */
  public static final class Builder {
    private int epochs = 10;
    private int batchSize = 128;
    private int microBatchSize = 32;
    private int threads = Runtime.getRuntime().availableProcessors();
    private long seed;
    private OptimizerSettings optimizer = OptimizerSettings.paper();
    private LearningRateSchedule schedule = LearningRateSchedule.paper(0.1);
    private double clipGradientNorm;
    private Path checkpointDirectory;
    private int checkpointEvery = 1;
    private Augmentation augmentation;
    private int evaluationBatchSize = 32;
    private KernelProvider kernels;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Model initialModel;
    private Duration timeLimit;
    private EarlyStopping earlyStopping;

    private Builder() {
    }

    public Builder epochs(int n) {
      this.epochs = positive("epochs", n, 1_000_000);
      return this;
    }

    /** Samples per optimisation step (at least 2: batch norm needs two samples). */
    public Builder batchSize(int n) {
      if (n < 2 || n > 1 << 20) {
        throw new IllegalArgumentException("batch size must be in [2, " + (1 << 20) + "], got " + n);
      }
      this.batchSize = n;
      return this;
    }

    /** Samples per micro-batch, at least 2; the result does not depend on the thread count, but on this. */
    public Builder microBatchSize(int n) {
      if (n < 2 || n > 1 << 20) {
        throw new IllegalArgumentException("micro-batch size must be in [2, " + (1 << 20) + "], got " + n);
      }
      this.microBatchSize = n;
      return this;
    }

    public Builder threads(int n) {
      this.threads = positive("threads", n, MAX_THREADS);
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optimizer(OptimizerSettings o) {
      this.optimizer = notNull("optimizer", o);
      return this;
    }

    public Builder schedule(LearningRateSchedule s) {
      this.schedule = notNull("schedule", s);
      return this;
    }

    public Builder clipGradientNorm(double maxNorm) {
      if (!(maxNorm >= 0) || !Double.isFinite(maxNorm)) {
        throw new IllegalArgumentException("gradient clipping norm must be finite and >= 0 (0 = off), got " + maxNorm);
      }
      this.clipGradientNorm = maxNorm;
      return this;
    }

    /** Save training state every {@code everyEpochs} epochs and at the end, into {@code directory}. */
    public Builder checkpoints(Path directory, int everyEpochs) {
      this.checkpointDirectory = notNull("checkpoint directory", directory);
      this.checkpointEvery = positive("checkpoint interval (epochs)", everyEpochs, Integer.MAX_VALUE);
      return this;
    }

    public Builder augmentation(Augmentation a) {
      this.augmentation = a;
      return this;
    }

    public Builder evaluationBatchSize(int n) {
      this.evaluationBatchSize = positive("evaluation batch size", n, 1 << 20);
      return this;
    }

    public Builder kernels(KernelProvider k) {
      this.kernels = notNull("kernel provider", k);
      return this;
    }

    public Builder listener(TrainingListener l) {
      listeners.add(notNull("listener", l));
      return this;
    }

    public Builder initialModel(Model m) {
      this.initialModel = m;
      return this;
    }

    /** Stop training when this much wall-clock time has passed (null: no limit). */
    public Builder timeLimit(Duration limit) {
      if (limit != null && (limit.isNegative() || limit.isZero())) {
        throw new IllegalArgumentException("time limit must be positive, got " + limit);
      }
      this.timeLimit = limit;
      return this;
    }

    /** Stop when converged on the validation set (null: train every epoch); needs a validation set. */
    public Builder earlyStopping(EarlyStopping rule) {
      this.earlyStopping = rule;
      return this;
    }

    public TrainingConfig build() {
      if (kernels == null) {
        kernels = KernelProvider.get();
      }
      return new TrainingConfig(this);
    }

    private static int positive(String what, int v, int max) {
      if (v < 1 || v > max) {
        throw new IllegalArgumentException(what + " must be in [1, " + max + "], got " + v);
      }
      return v;
    }

    private static <T> T notNull(String what, T v) {
      if (v == null) {
        throw new IllegalArgumentException(what + " must not be null");
      }
      return v;
    }
  }
}
