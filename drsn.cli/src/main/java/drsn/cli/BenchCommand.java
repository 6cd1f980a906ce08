package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.TrainConfig;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import drsn.nn.internal.Json;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import drsn.train.Trainer;
import drsn.train.TrainingStep;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A quick in-process benchmark (not JMH): every measurement warms up first, then times single
 * calls for a fixed time; figures come from the median call (latency percentiles for inference). Noisy on a busy machine; use drsn.bench's
 * JMH benchmarks for careful numbers.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Quick benchmark (about a minute) of the kernels and the paper's networks.",
        "SGEMM 512, and the paper's DRSN-CW/ResNet (L = 2048, 8 classes): batch-1 inference latency and",
        "batch-128 training throughput on 1 and 2 threads."})
final class BenchCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--seconds", defaultValue = "4", description = "Measuring time per figure (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "2", description = "Warm-up time per figure (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--length", defaultValue = "2048",
      description = "Signal length of the network benchmarks (default: ${DEFAULT-VALUE}, the paper's).")
  int length;

  @Override
  public Integer call() {
    if (!(seconds > 0) || !(warmup >= 0) || length < 16 || length > 1 << 20) {
      throw new CliException("--seconds must be > 0, --warmup >= 0 and --length in [16, 1048576]");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    KernelProvider kp = KernelProvider.get();
    r.put("kernels", kp.name());
    r.put("processors", Runtime.getRuntime().availableProcessors());
    r.put("network_length", length);
    r.put("sgemm_512_gflops_1t", sgemm(kp.gemm(), 1));
    r.put("sgemm_512_gflops_2t", sgemm(kp.gemm(), 2));
    double[] lat = inferenceLatency();
    r.put("drsn_cw_infer_batch1_p50_us", lat[0]);
    r.put("drsn_cw_infer_batch1_p99_us", lat[1]);
    r.put("drsn_cw_train_batch128_samples_per_s_1t", trainRate(Family.DRSN_CW, 1));
    r.put("drsn_cw_train_batch128_samples_per_s_2t", trainRate(Family.DRSN_CW, 2));
    r.put("resnet_train_batch128_samples_per_s_1t", trainRate(Family.RESNET, 1));
    r.put("resnet_train_batch128_samples_per_s_2t", trainRate(Family.RESNET, 2));
    if (json) {
      out().println(Json.write(r, Json.Format.REPORT));
    } else {
      for (Map.Entry<String, Object> e : r.entrySet()) {
        out().printf(Locale.ROOT, "%-42s %s%n", e.getKey(),
            e.getValue() instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : e.getValue());
      }
    }
    out().flush();
    return 0;
  }

  private double sgemm(Gemm g, int threads) {
    int n = 512;
    SplittableRandom rnd = new SplittableRandom(1);
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    float[] c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rnd.nextDouble(-1, 1);
      b[i] = (float) rnd.nextDouble(-1, 1);
    }
    ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
    try {
      Runnable call = pool == null
          ? () -> g.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n)
          : () -> g.sgemm(pool, false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
      double perCall = timePerCall(call);
      return 2.0 * n * n * n / perCall / 1e9;
    } finally {
      if (pool != null) {
        pool.shutdown();
      }
    }
  }

  /**
   * Seconds per call: warm up, then time every call for the measuring time (at least 3 calls) and
   * take the median, which other processes on a shared machine disturb less than the mean.
   */
  private double timePerCall(Runnable call) {
    long end = System.nanoTime() + (long) (warmup * 1e9);
    while (System.nanoTime() < end) {
      call.run();
    }
    long[] times = new long[1 << 16];
    int n = 0;
    long stop = System.nanoTime() + (long) (seconds * 1e9);
    while (n < times.length) {
      long t0 = System.nanoTime();
      call.run();
      long t1 = System.nanoTime();
      times[n++] = t1 - t0;
      if (t1 >= stop && n >= 3) {
        break;
      }
    }
    long[] s = Arrays.copyOf(times, n);
    Arrays.sort(s);
    return s[n / 2] / 1e9;
  }

  private double[] inferenceLatency() {
    Architecture arch = Architecture.paper(Family.DRSN_CW, length, 8);
    Model m = Model.of(arch, ParameterSet.initialise(arch, 7));
    Predictor p = m.predictor();
    float[] x = new float[length];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    float[] probs = new float[8];
    long end = System.nanoTime() + (long) (warmup * 1e9);
    while (System.nanoTime() < end) {
      p.predict(x, probs);
    }
    long[] samples = new long[1 << 20];
    int n = 0;
    long stop = System.nanoTime() + (long) (seconds * 1e9);
    while (n < samples.length) {
      long t0 = System.nanoTime();
      p.predict(x, probs);
      long t1 = System.nanoTime();
      samples[n++] = t1 - t0;
      if (t1 >= stop) {
        break;
      }
    }
    long[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    return new double[] {s[(int) (0.50 * (n - 1))] / 1e3, s[(int) (0.99 * (n - 1))] / 1e3};
  }

  private double trainRate(Family f, int threads) {
    Architecture arch = Architecture.paper(f, length, 8);
    TrainConfig cfg = new TrainConfig(1, 128, 0, "sgd", 0.01, 0.9, false, 1e-4, "constant", 0, 0, threads, 1, "none");
    float[] x = new float[128 * length];
    int[] y = new int[128];
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = rnd.nextInt(8);
    }
    try (Trainer t = new Trainer(arch, cfg.toTrainingConfig(128, arch.inputWidth(), null, null, null))) {
      TrainingStep step = t.newStep(ParameterSet.initialise(arch, 1));
      double perStep = timePerCall(() -> step.run(x, y, 128, 0, 0.001));
      return 128 / perStep;
    }
  }
}
