package drsn.cli.internal;

import drsn.data.Batch;
import drsn.data.Batcher;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import drsn.tensor.KernelProvider;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The CLI's own minimal trainer — an adapter used until drsn.train's Trainer lands, with the same
 * responsibilities in small: seeded epochs of mini-batches, SGD with momentum (optionally
 * Nesterov), Adam or AdamW, weight decay on convolution and FC weights only (not biases or batch
 * norm), step/cosine schedules with warm-up, gradient-norm clipping, evaluation after every epoch,
 * data parallelism over fixed worker slices with a fixed-order gradient sum, and a resumable state
 * file. It is deterministic for a given seed and thread count.
 */
public final class SimpleTrainer implements AutoCloseable {

  /** File holding the resumable state inside the output folder. */
  public static final String STATE_FILE = "state.bin";
  private static final int STATE_MAGIC = 0x44525354; // "DRST"

  private final Architecture arch;
  private final TrainConfig cfg;
  private final ParameterSet master;
  private final Network[] workers;
  private final float[][] workerInputs;
  private final int[][] workerLabels;
  private final float[] grad;
  private final float[] m1;
  private final float[] m2;
  private final boolean[] decays;
  private final ExecutorService pool;
  private final List<EpochStats> history = new ArrayList<>();
  private int nextEpoch;
  private long step;

  public SimpleTrainer(Architecture arch, TrainConfig cfg) {
    this.arch = arch;
    this.cfg = cfg;
    this.master = ParameterSet.initialise(arch, cfg.seed());
    int t = cfg.threads();
    this.workers = new Network[t];
    KernelProvider kp = KernelProvider.get();
    for (int w = 0; w < t; w++) {
      // One worker computes on the master parameters; the others on copies synchronised every step.
      workers[w] = new Network(arch, w == 0 ? master : master.copy(), kp).training(true);
    }
    int slice = (cfg.batchSize() + t - 1) / t;
    this.workerInputs = new float[t][slice * arch.inputSize()];
    this.workerLabels = new int[t][slice];
    this.grad = new float[master.values().length];
    this.m1 = new float[grad.length];
    this.m2 = cfg.optimizer().equals("sgd") ? new float[0] : new float[grad.length];
    this.decays = new boolean[grad.length];
    for (TensorSpec s : master.specs()) {
      if (s.kind() == TensorSpec.Kind.TRAINABLE && s.shape().size() >= 2) {
        ParameterSet.Slot slot = master.slot(s.name());
        java.util.Arrays.fill(decays, slot.offset(), slot.offset() + slot.size(), true);
      }
    }
    this.pool = t > 1 ? Executors.newFixedThreadPool(t - 1, r -> {
      Thread th = new Thread(r, "drsn-train-worker");
      th.setDaemon(true);
      return th;
    }) : null;
  }

  public List<EpochStats> history() {
    return List.copyOf(history);
  }

  /** The trained model (a snapshot of the current parameters). */
  public Model model() {
    return Model.of(arch, master);
  }

  /** Trains from the next epoch to cfg.epochs(); after every epoch, saves state into stateDir if given. */
  public void train(Dataset train, Dataset test, TrainingListener listener, Path stateDir) {
    Batcher batcher = Batcher.over(train).batchSize(cfg.batchSize()).shuffle(cfg.seed()).build();
    Batch batch = batcher.newBatch();
    int batches = batcher.batchesPerEpoch();
    listener.onStart(cfg.epochs(), batches, train.size(), nextEpoch);
    long runStart = System.nanoTime();
    int epochsThisRun = 0;
    for (int e = nextEpoch; e < cfg.epochs(); e++) {
      long start = System.nanoTime();
      batcher.startEpoch(e);
      double lossSum = 0;
      long correct = 0;
      long seen = 0;
      int b = 0;
      double lr = 0;
      while (batcher.next(batch)) {
        lr = cfg.learningRateAt(e + (double) b / batches);
        int n = batch.size();
        double[] lc = step(batch.inputs(), batch.labels(), n, lr, e, b);
        lossSum += lc[0] * n;
        correct += (long) lc[1];
        seen += n;
        b++;
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = seen / Math.max(secs, 1e-9);
        double doneEpochs = epochsThisRun + (double) b / batches;
        double elapsedRun = (System.nanoTime() - runStart) / 1e9;
        double eta = elapsedRun / doneEpochs * ((cfg.epochs() - nextEpoch) - doneEpochs);
        listener.onBatch(e, cfg.epochs(), b, batches, lossSum / seen, (double) correct / seen, rate, eta);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      Metrics m = test == null ? null : evaluate(model(), test, 256);
      EpochStats st = new EpochStats(e + 1, lossSum / seen, (double) correct / seen,
          m == null ? Double.NaN : m.loss(), m == null ? Double.NaN : m.accuracy(), lr, secs, seen / secs);
      history.add(st);
      nextEpoch = e + 1;
      epochsThisRun++;
      if (stateDir != null) {
        saveState(stateDir.resolve(STATE_FILE));
      }
      listener.onEpoch(st, cfg.epochs());
    }
    listener.onEnd((System.nanoTime() - runStart) / 1e9);
  }

  /** One optimisation step on n samples; returns {mean loss, number correct}. */
  public double[] step(float[] inputs, int[] labels, int n, double lr, int epoch, int batchIndex) {
    int t = workers.length;
    int slice = (n + t - 1) / t;
    int in = arch.inputSize();
    int k = arch.classes();
    double[] loss = new double[t];
    int[] correct = new int[t];
    int[] sizes = new int[t];
    List<Future<?>> futures = new ArrayList<>();
    for (int w = t - 1; w >= 0; w--) {
      int from = w * slice;
      int cnt = Math.max(0, Math.min(slice, n - from));
      sizes[w] = cnt;
      if (cnt == 0) {
        continue;
      }
      final int wf = w;
      Runnable job = () -> {
        Network net = workers[wf];
        System.arraycopy(inputs, from * in, workerInputs[wf], 0, cnt * in);
        System.arraycopy(labels, from, workerLabels[wf], 0, cnt);
        net.zeroGradients();
        float[] logits = net.forward(workerInputs[wf], cnt);
        int ok = 0;
        for (int s = 0; s < cnt; s++) {
          if (argmax(logits, s * k, k) == workerLabels[wf][s]) {
            ok++;
          }
        }
        correct[wf] = ok;
        loss[wf] = net.loss(cnt == workerLabels[wf].length ? workerLabels[wf]
            : java.util.Arrays.copyOf(workerLabels[wf], cnt));
        net.backward();
      };
      if (w == 0 || pool == null) {
        job.run();
      } else {
        futures.add(pool.submit(job));
      }
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new CliException("training interrupted");
      } catch (ExecutionException ex) {
        Throwable c = ex.getCause();
        throw c instanceof RuntimeException r ? r : new CliException(c.toString(), c);
      }
    }
    // Fixed-order weighted sum of the workers' mean-loss gradients.
    java.util.Arrays.fill(grad, 0f);
    double meanLoss = 0;
    int ok = 0;
    for (int w = 0; w < t; w++) {
      if (sizes[w] == 0) {
        continue;
      }
      float weight = (float) sizes[w] / n;
      float[] g = workers[w].gradients();
      for (int i = 0; i < grad.length; i++) {
        grad[i] += weight * g[i];
      }
      meanLoss += loss[w] * sizes[w] / n;
      ok += correct[w];
    }
    if (!Double.isFinite(meanLoss)) {
      throw new CliException("training diverged: the loss is " + meanLoss + " at epoch " + (epoch + 1) + ", batch "
          + (batchIndex + 1) + "; try a lower --lr");
    }
    applyUpdate(lr);
    syncWorkers(sizes, n);
    return new double[] {meanLoss, ok};
  }

  private void applyUpdate(double lr) {
    float[] w = master.values();
    if (cfg.clipNorm() > 0) {
      double sq = 0;
      for (float g : grad) {
        sq += (double) g * g;
      }
      double norm = Math.sqrt(sq);
      if (norm > cfg.clipNorm()) {
        float s = (float) (cfg.clipNorm() / norm);
        for (int i = 0; i < grad.length; i++) {
          grad[i] *= s;
        }
      }
    }
    step++;
    float wd = (float) cfg.weightDecay();
    float flr = (float) lr;
    switch (cfg.optimizer()) {
      case "sgd" -> {
        float mu = (float) cfg.momentum();
        for (int i = 0; i < w.length; i++) {
          float g = grad[i] + (decays[i] ? wd * w[i] : 0f);
          m1[i] = mu * m1[i] + g;
          w[i] -= flr * (cfg.nesterov() ? g + mu * m1[i] : m1[i]);
        }
      }
      default -> {
        boolean decoupled = cfg.optimizer().equals("adamw");
        double b1 = 0.9;
        double b2 = 0.999;
        float c1 = (float) (1 / (1 - Math.pow(b1, step)));
        float c2 = (float) (1 / (1 - Math.pow(b2, step)));
        for (int i = 0; i < w.length; i++) {
          float g = grad[i];
          if (decays[i] && wd > 0) {
            if (decoupled) {
              w[i] -= flr * wd * w[i];
            } else {
              g += wd * w[i];
            }
          }
          m1[i] = (float) (b1 * m1[i] + (1 - b1) * g);
          m2[i] = (float) (b2 * m2[i] + (1 - b2) * g * g);
          w[i] -= flr * (m1[i] * c1) / ((float) Math.sqrt(m2[i] * c2) + 1e-8f);
        }
      }
    }
    for (int i = 0; i < w.length; i++) {
      if (!Float.isFinite(w[i])) {
        throw new CliException("training diverged: parameter value " + w[i] + " at index " + i + "; try a lower --lr");
      }
    }
  }

  /** Copies the new weights to the workers and merges their running statistics (weighted by slice size). */
  private void syncWorkers(int[] sizes, int n) {
    if (workers.length == 1) {
      return;
    }
    float[] stats = master.statistics();
    float[] merged = new float[stats.length];
    for (int w = 0; w < workers.length; w++) {
      float weight = (float) sizes[w] / n;
      float[] s = workers[w].parameters().statistics();
      for (int i = 0; i < merged.length; i++) {
        merged[i] += weight * s[i];
      }
    }
    System.arraycopy(merged, 0, stats, 0, stats.length);
    for (int w = 1; w < workers.length; w++) {
      ParameterSet p = workers[w].parameters();
      System.arraycopy(master.values(), 0, p.values(), 0, p.values().length);
      System.arraycopy(stats, 0, p.statistics(), 0, stats.length);
    }
  }

  static int argmax(float[] v, int off, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) {
      if (v[off + i] > v[off + best]) {
        best = i;
      }
    }
    return best;
  }

  /** Loss, accuracy, per-class metrics and confusion matrix of a model on a dataset (evaluation mode). */
  public static Metrics evaluate(Model model, Dataset data, int batchSize) {
    Architecture a = model.architecture();
    if (data.exampleSize() != a.inputSize()) {
      throw new CliException("the data's examples have " + data.exampleSize() + " values ("
          + java.util.Arrays.toString(data.exampleShape()) + "), the model expects " + a.inputSize());
    }
    if (data.numClasses() != a.classes()) {
      throw new CliException("the data has " + data.numClasses() + " classes, the model " + a.classes());
    }
    Network net = model.newNetwork(KernelProvider.get()).training(false);
    int n = data.size();
    int in = a.inputSize();
    int k = a.classes();
    int[] truth = data.labels();
    int[] pred = new int[n];
    float[] x = new float[Math.min(batchSize, n) * in];
    int[] lab = new int[Math.min(batchSize, n)];
    double lossSum = 0;
    for (int start = 0; start < n; start += batchSize) {
      int cnt = Math.min(batchSize, n - start);
      for (int s = 0; s < cnt; s++) {
        data.copyExample(start + s, x, s * in);
        lab[s] = truth[start + s];
      }
      float[] logits = net.forward(x, cnt);
      for (int s = 0; s < cnt; s++) {
        pred[start + s] = argmax(logits, s * k, k);
      }
      lossSum += (double) net.loss(java.util.Arrays.copyOf(lab, cnt)) * cnt;
    }
    return Metrics.of(data.classNames(), truth, pred, lossSum / n);
  }

  // ---- resumable state ----

  void saveState(Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp);
           DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
        out.writeInt(STATE_MAGIC);
        out.writeInt(nextEpoch);
        out.writeLong(step);
        writeFloats(out, master.values());
        writeFloats(out, master.statistics());
        writeFloats(out, m1);
        writeFloats(out, m2);
        out.writeInt(history.size());
        for (EpochStats h : history) {
          out.writeInt(h.epoch());
          out.writeDouble(h.trainLoss());
          out.writeDouble(h.trainAccuracy());
          out.writeDouble(h.testLoss());
          out.writeDouble(h.testAccuracy());
          out.writeDouble(h.learningRate());
          out.writeDouble(h.seconds());
          out.writeDouble(h.samplesPerSecond());
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliException("cannot save training state to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Restores the state saved by a run with the same architecture and options. */
  public void resume(Path file) {
    try (InputStream is = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is))) {
      if (in.readInt() != STATE_MAGIC) {
        throw new CliException(file + " is not a drsn training state file");
      }
      int epoch = in.readInt();
      long steps = in.readLong();
      readFloats(in, master.values(), file, "parameters");
      readFloats(in, master.statistics(), file, "statistics");
      readFloats(in, m1, file, "optimiser state");
      readFloats(in, m2, file, "optimiser state");
      int h = in.readInt();
      if (h != epoch || epoch < 0 || epoch > cfg.epochs()) {
        throw new CliException(file + " records " + epoch + " epochs; cannot resume a run of " + cfg.epochs());
      }
      history.clear();
      for (int i = 0; i < h; i++) {
        history.add(new EpochStats(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
            in.readDouble(), in.readDouble(), in.readDouble()));
      }
      nextEpoch = epoch;
      step = steps;
      for (int w = 1; w < workers.length; w++) {
        System.arraycopy(master.values(), 0, workers[w].parameters().values(), 0, master.values().length);
        System.arraycopy(master.statistics(), 0, workers[w].parameters().statistics(), 0,
            master.statistics().length);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CliException("cannot resume: " + file + " does not exist", e);
    } catch (IOException e) {
      throw new CliException("cannot resume from " + file + ": truncated or unreadable (" + e + ")", e);
    }
  }

  public int completedEpochs() {
    return nextEpoch;
  }

  private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v.length);
    for (float f : v) {
      out.writeFloat(f);
    }
  }

  private static void readFloats(DataInputStream in, float[] into, Path file, String what) throws IOException {
    int len = in.readInt();
    if (len != into.length) {
      throw new CliException(file + ": " + what + " hold " + len + " values, this model needs " + into.length
          + " (different model or options?)");
    }
    for (int i = 0; i < len; i++) {
      into[i] = in.readFloat();
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
