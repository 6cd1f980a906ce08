package drsn.bench;

import drsn.data.ChannelStats;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.tensor.KernelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Option parsing, statistics, normalisation and threshold summaries shared by the experiment runners. */
final class ExperimentSupport {

  private ExperimentSupport() {
  }

  /** {@code --name value} pairs; names must be among {@code known}. */
  static Map<String, String> options(String[] args, List<String> known, String usage) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(usage);
        System.exit(0);
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + a + "'"
            + (i + 1 >= args.length ? " without a value" : "") + "\n" + usage);
      }
      String name = a.substring(2);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + known + "\n" + usage);
      }
      opt.put(name, args[++i]);
    }
    return opt;
  }

  static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Sample standard deviation (n − 1); 0 for a single value. */
  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  /** The architecture normalising its input with statistics fitted on the (noisy) training set only. */
  static Architecture normalisedBy(Architecture arch, Dataset train) {
    ChannelStats stats = ChannelStats.fit(train);
    List<Float> mean = new ArrayList<>();
    List<Float> std = new ArrayList<>();
    for (int c = 0; c < stats.channels(); c++) {
      mean.add(stats.mean()[c]);
      std.add(stats.std()[c]);
    }
    return arch.withNormalisation(mean, std);
  }

  /**
   * Mean and largest threshold τ of every shrinkage unit over (up to 256) examples, in evaluation
   * mode: "u0 0.012/0.05, u1 ..." — empty for families without thresholds. Small thresholds everywhere mean the unit acts like a plain residual unit.
   */
  static String thresholdSummary(Model model, Dataset data) {
    var net = model.newNetwork(KernelProvider.get()).training(false);
    int n = Math.min(256, data.size());
    float[] x = new float[n * data.exampleSize()];
    for (int i = 0; i < n; i++) {
      data.copyExample(i, x, i * data.exampleSize());
    }
    net.forward(x, n);
    StringBuilder b = new StringBuilder();
    for (int u = 0; u < net.unitCount(); u++) {
      if (!net.hasThresholds(u)) {
        continue;
      }
      float[] tau = net.thresholds(u);
      double s = 0;
      double max = 0;
      for (float t : tau) {
        s += t;
        max = Math.max(max, t);
      }
      b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "u%d %.3g/%.3g", u, s / tau.length, max));
    }
    return b.isEmpty() ? "" : "mean/max tau per unit: " + b;
  }

  /** Writes text atomically (temporary file, then rename), creating the folder. */
  static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
