package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import drsn.tensor.KernelProvider;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * drsn's half of the side-by-side benchmark against PyTorch (drsn.bench/compare-pytorch.sh runs
 * both halves): ONE family at ONE thread count per JVM, so that the peak resident memory (VmHWM)
 * belongs to that configuration alone. Prints one JSON object with the same keys as
 * {@code drsn_torch.py bench} and optionally writes it to a file.
 *
 * <p>What is timed (warm-up first, then timed repetitions for a wall-clock budget; not JMH):
 * <ul>
 *   <li>a training step at batch 128 through drsn.train's {@link TrainingStep} (SGD, momentum 0.9,
 *       weight decay 1e-4 on conv/FC weights — what PyTorch's {@code SGD(momentum=0.9,
 *       weight_decay=1e-4)} does on those weights; lr 0.01) on the trainer's fork-join pool of
 *       {@code threads} workers, fixed micro-batches of {@code micro} (ghost batch norm);</li>
 *   <li>batch-1 inference latency through drsn.nn's {@link Predictor} on the calling thread
 *       (one sample is not split across threads);</li>
 *   <li>batch-128 inference throughput through the same Predictor, the batch split into
 *       {@code threads} equal parts run on a fork-join pool of that size (the Predictor is
 *       thread-safe, one workspace per thread).</li>
 * </ul>
 * Medians over the repetitions; p99 for the batch-1 latency.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar drsn.bench.PeerBench \
 *        --model drsn-cw --threads 1 [--seconds 5] [--warmup 3] [--micro 32] [--batch 128] [--json out.json]
 * </pre>
 */
public final class PeerBench {

  private static final int LENGTH = 2048;
  private static final int CLASSES = 8;

  private PeerBench() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    Family family = Family.fromId(opt.getOrDefault("model", "drsn-cw"));
    int threads = Integer.parseInt(opt.getOrDefault("threads", "1"));
    int batch = Integer.parseInt(opt.getOrDefault("batch", "128"));
    int micro = Integer.parseInt(opt.getOrDefault("micro", "32"));
    double seconds = Double.parseDouble(opt.getOrDefault("seconds", "5"));
    double warmup = Double.parseDouble(opt.getOrDefault("warmup", "3"));
    String json = opt.get("json");

    Architecture arch = Architecture.paper(family, LENGTH, CLASSES);
    SplittableRandom r = new SplittableRandom(2);
    float[] x = new float[batch * LENGTH];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = r.nextInt(CLASSES);
    }

    // ---- training step
    double trainMedian;
    Model trained;
    TrainingConfig config = TrainingConfig.builder().threads(threads).batchSize(batch).microBatchSize(micro)
        .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.paper(0.01)).build();
    try (Trainer trainer = new Trainer(arch, config)) {
      ParameterSet params = ParameterSet.initialise(arch, 0);
      TrainingStep step = trainer.newStep(params);
      long[] counter = {0};
      Runnable one = () -> step.run(x, y, batch, counter[0]++, 0.01);
      trainMedian = percentile(timed(one, warmup, seconds, 5), 0.5);
      trained = Model.of(arch, params);
    }

    // ---- inference
    Predictor predictor = trained.predictor(KernelProvider.get());
    float[] x1 = Arrays.copyOf(x, LENGTH);
    float[] p1 = new float[CLASSES];
    double[] latency = timed(() -> predictor.predict(x1, p1), warmup, seconds, 100);

    float[] probs = new float[batch * CLASSES];
    double batchMedian;
    if (threads == 1) {
      batchMedian = percentile(timed(() -> predictor.predictBatch(x, batch, probs), warmup, seconds, 5), 0.5);
    } else {
      // Equal contiguous parts, one per worker; each worker's part is copied once up front so the
      // timed loop allocates nothing.
      int parts = Math.min(threads, batch);
      List<float[]> inputs = new ArrayList<>();
      int[] sizes = new int[parts];
      for (int p = 0, from = 0; p < parts; p++) {
        sizes[p] = batch / parts + (p < batch % parts ? 1 : 0);
        inputs.add(Arrays.copyOfRange(x, from * LENGTH, (from + sizes[p]) * LENGTH));
        from += sizes[p];
      }
      float[][] outs = new float[parts][batch * CLASSES];
      ForkJoinPool pool = new ForkJoinPool(threads);
      try {
        List<ForkJoinTask<?>> tasks = new ArrayList<>(parts);
        Runnable all = () -> {
          tasks.clear();
          for (int p = 0; p < parts; p++) {
            int part = p;
            tasks.add(pool.submit(() -> predictor.predictBatch(inputs.get(part), sizes[part], outs[part])));
          }
          for (ForkJoinTask<?> t : tasks) {
            t.join();
          }
        };
        batchMedian = percentile(timed(all, warmup, seconds, 5), 0.5);
      } finally {
        pool.shutdown();
      }
    }

    Map<String, Object> row = new LinkedHashMap<>();
    row.put("framework", "drsn " + KernelProvider.get().name() + " (JDK " + Runtime.version().feature() + ")");
    row.put("model", family.id());
    row.put("threads", threads);
    row.put("batch", batch);
    row.put("micro_batch", micro);
    row.put("length", LENGTH);
    row.put("classes", CLASSES);
    row.put("parameters", trained.parameterCount());
    row.put("train_step_ms", trainMedian * 1e3);
    row.put("train_samples_per_s", batch / trainMedian);
    row.put("infer_batch1_p50_us", percentile(latency, 0.5) * 1e6);
    row.put("infer_batch1_p99_us", percentile(latency, 0.99) * 1e6);
    row.put("infer_batch_samples_per_s", batch / batchMedian);
    row.put("peak_rss_mb", peakRssMb());
    row.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576.0);
    String text = toJson(row);
    System.out.println(text);
    if (json != null) {
      Files.writeString(Path.of(json), text + "\n");
    }
  }

  /** Runs warm-up for warmupSeconds, then times repetitions for at least seconds and minReps; sorted seconds. */
  static double[] timed(Runnable r, double warmupSeconds, double seconds, int minReps) {
    // At least minReps warm-up runs too, so that a slow step still reaches the JIT's compiled code.
    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    for (int i = 0; i < minReps || System.nanoTime() < warmEnd; i++) {
      r.run();
    }
    double[] t = new double[1024];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end || n < minReps) {
      long t0 = System.nanoTime();
      r.run();
      long t1 = System.nanoTime();
      if (n == t.length) {
        t = Arrays.copyOf(t, n * 2);
      }
      t[n++] = (t1 - t0) / 1e9;
    }
    double[] out = Arrays.copyOf(t, n);
    Arrays.sort(out);
    return out;
  }

  /** The value at rank ceil(q·n) (1-based) of sorted values: the same definition as the Python side. */
  static double percentile(double[] sorted, double q) {
    int idx = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1));
    return sorted[idx];
  }

  /** VmHWM (peak resident set) of this process in MB, from /proc/self/status; -1 where unavailable. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Long.parseLong(f[0]) / 1024.0; // kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + a + "'"
            + (i + 1 >= args.length ? " without a value" : ""));
      }
      opt.put(a.substring(2), args[++i]);
    }
    return opt;
  }

  static String toJson(Map<String, Object> row) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append('"').append(e.getKey()).append("\": ");
      Object v = e.getValue();
      if (v instanceof String s) {
        b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      } else if (v instanceof Double d) {
        b.append(String.format(Locale.ROOT, "%.6g", d));
      } else {
        b.append(v);
      }
    }
    return b.append('}').toString();
  }
}
