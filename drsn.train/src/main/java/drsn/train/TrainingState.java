package drsn.train;

import drsn.data.Dataset;
import drsn.data.io.Limits;
import drsn.nn.Architecture;
import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import drsn.nn.internal.Json;
import drsn.nn.internal.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything needed to continue a run bit-identically, as one safetensors file
 * ({@code training-state.safetensors}):
 * <ul>
 *   <li>the model's tensors under their PyTorch names (as in a model checkpoint), the best model's
 *       under {@code best.<name>}, the optimiser's buffers as flat tensors
 *       {@code optimizer.<buffer>} (laid out like the trainable parameters);</li>
 *   <li>{@code __metadata__}: the architecture (as drsn.nn writes it), the optimiser settings, the
 *       completed epochs, the optimisation step, the optimiser's step count, the seed (which, with
 *       the epoch, determines the shuffling and augmentation streams: the random-generator state),
 *       batch and micro-batch sizes, the best epoch and accuracy, the history as JSON, the run's
 *       planned total of steps and a SHA-256 of the learning rates of the steps already taken (so
 *       a resume whose schedule would have given other rates for them is refused instead of
 *       silently changing the run), and a SHA-256 of the training set (labels and values), so a
 *       resume on other data is refused too.</li>
 * </ul>
 */
final class TrainingState {

  static final String FILE_NAME = "training-state.safetensors";
  static final String FORMAT = "drsn.train.format";
  static final String FORMAT_VERSION = "1";

  final Architecture arch;
  final ParameterSet params;
  final ParameterSet best;
  final OptimizerSettings optimizerSettings;
  final long optimizerSteps;
  final Map<String, float[]> optimizerState;
  final int completedEpochs;
  final long step;
  final long seed;
  final int batchSize;
  final int microBatchSize;
  final int bestEpoch;
  final double bestAccuracy;
  final List<EpochSummary> history;
  /** Steps planned for the whole run (epochs × batches per epoch). */
  final long totalSteps;
  /** SHA-256 (hex) of the rates of steps 0 … step − 1 ({@link #scheduleDigest}). */
  final String pastRatesSha256;
  /** SHA-256 (hex) of the training set ({@link #dataDigest}). */
  final String dataSha256;

  TrainingState(Architecture arch, ParameterSet params, ParameterSet best, OptimizerSettings optimizerSettings,
                long optimizerSteps, Map<String, float[]> optimizerState, int completedEpochs, long step, long seed,
                int batchSize, int microBatchSize, int bestEpoch, double bestAccuracy, List<EpochSummary> history,
                long totalSteps, String pastRatesSha256, String dataSha256) {
    this.arch = arch;
    this.params = params;
    this.best = best;
    this.optimizerSettings = optimizerSettings;
    this.optimizerSteps = optimizerSteps;
    this.optimizerState = optimizerState;
    this.completedEpochs = completedEpochs;
    this.step = step;
    this.seed = seed;
    this.batchSize = batchSize;
    this.microBatchSize = microBatchSize;
    this.bestEpoch = bestEpoch;
    this.bestAccuracy = bestAccuracy;
    this.history = List.copyOf(history);
    this.totalSteps = totalSteps;
    this.pastRatesSha256 = pastRatesSha256;
    this.dataSha256 = dataSha256;
  }

  /** SHA-256 (hex) of a dataset: its size, example shape, and every example's label and values in order. */
  static String dataDigest(Dataset data) {
    MessageDigest sha = sha256();
    int size = data.exampleSize();
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * size);
    ByteBuffer head = ByteBuffer.allocate(8 + 4 * data.exampleShape().length);
    head.putInt(data.size()).putInt(data.exampleShape().length);
    for (int d : data.exampleShape()) {
      head.putInt(d);
    }
    sha.update(head.flip());
    float[] x = new float[size];
    for (int i = 0; i < data.size(); i++) {
      data.copyExample(i, x, 0);
      buf.clear().putInt(data.label(i));
      for (float v : x) {
        buf.putFloat(v);
      }
      sha.update(buf.flip());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * SHA-256 (hex) of the schedule's rates at steps 0 … steps − 1 of a run of totalSteps, as IEEE
   * doubles in step order.
   */
  static String scheduleDigest(LearningRateSchedule schedule, long steps, long totalSteps) {
    MessageDigest sha = sha256();
    ByteBuffer buf = ByteBuffer.allocate(8 * 1024);
    for (long step = 0; step < steps; step++) {
      if (!buf.hasRemaining()) {
        sha.update(buf.flip());
        buf.clear();
      }
      buf.putDouble(schedule.rate(step, totalSteps));
    }
    sha.update(buf.flip());
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  void save(Path file) throws IOException {
    Map<String, String> meta = new LinkedHashMap<>(arch.toMetadata());
    meta.put(FORMAT, FORMAT_VERSION);
    meta.putAll(optimizerSettings.toMetadata());
    meta.put("drsn.train.optimizer_steps", Long.toString(optimizerSteps));
    meta.put("drsn.train.completed_epochs", Integer.toString(completedEpochs));
    meta.put("drsn.train.step", Long.toString(step));
    meta.put("drsn.train.seed", Long.toString(seed));
    meta.put("drsn.train.batch_size", Integer.toString(batchSize));
    meta.put("drsn.train.micro_batch_size", Integer.toString(microBatchSize));
    meta.put("drsn.train.best_epoch", Integer.toString(bestEpoch));
    meta.put("drsn.train.best_accuracy", Double.toString(bestAccuracy));
    meta.put("drsn.train.history", new History(history).toJson());
    meta.put("drsn.train.total_steps", Long.toString(totalSteps));
    meta.put("drsn.train.past_rates_sha256", pastRatesSha256);
    meta.put("drsn.train.data_sha256", dataSha256);
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    addModel(tensors, "", params);
    if (best != null) {
      addModel(tensors, "best.", best);
    }
    for (Map.Entry<String, float[]> e : optimizerState.entrySet()) {
      tensors.put("optimizer." + e.getKey(), SafeTensors.Tensor.vector(e.getValue()));
    }
    SafeTensors.write(file, meta, tensors);
  }

  private static void addModel(Map<String, SafeTensors.Tensor> out, String prefix, ParameterSet p) {
    for (TensorSpec spec : p.specs()) {
      long[] shape = spec.shape().stream().mapToLong(Integer::longValue).toArray();
      out.put(prefix + spec.name(), new SafeTensors.Tensor(shape, p.copyOf(spec.name())));
    }
  }

  /** Reads and validates a state file written by {@link #save}; any inconsistency is an IOException. */
  static TrainingState load(Path file) throws IOException {
    String what = file.toString();
    // A save killed between creating its temporary file and renaming it leaves the file behind.
    SafeTensors.removeStaleTemporaries(file);
    // The architecture in the header bounds the data before any tensor is allocated: the model,
    // the best model and at most two optimiser buffers.
    SafeTensors.Contents c = SafeTensors.read(file, meta -> {
      long trainable = 0;
      long statistics = 0;
      for (TensorSpec spec : architecture(meta, what).layout()) {
        if (spec.kind() == TensorSpec.Kind.TRAINABLE) {
          trainable += spec.elementCount();
        } else {
          statistics += spec.elementCount();
        }
      }
      return 4L * (2L * (trainable + statistics) + 2L * trainable);
    });
    Map<String, String> m = c.metadata();
    Architecture arch = architecture(m, what);
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(c.tensors());
    ParameterSet params = takeModel(tensors, "", arch, what);
    boolean hasBest = tensors.keySet().stream().anyMatch(k -> k.startsWith("best."));
    ParameterSet best = hasBest ? takeModel(tensors, "best.", arch, what) : null;
    Map<String, float[]> opt = new LinkedHashMap<>();
    for (Map.Entry<String, SafeTensors.Tensor> e : tensors.entrySet()) {
      if (!e.getKey().startsWith("optimizer.")) {
        throw new IOException(what + ": unexpected tensor '" + e.getKey() + "'");
      }
      float[] v = e.getValue().values();
      if (v.length != params.values().length) {
        throw new IOException(what + ": optimiser buffer '" + e.getKey() + "' has " + v.length + " values, expected "
            + params.values().length);
      }
      checkFinite(what, e.getKey(), v);
      opt.put(e.getKey().substring("optimizer.".length()), v);
    }
    OptimizerSettings settings;
    try {
      settings = new OptimizerSettings(
          OptimizerSettings.Kind.valueOf(required(m, "drsn.train.optimizer", what).toUpperCase(Locale.ROOT)),
          dbl(m, "drsn.train.momentum", what), bool(m, "drsn.train.nesterov", what),
          dbl(m, "drsn.train.beta1", what), dbl(m, "drsn.train.beta2", what), dbl(m, "drsn.train.epsilon", what),
          dbl(m, "drsn.train.weight_decay", what));
    } catch (IllegalArgumentException e) {
      throw new IOException(what + ": invalid optimiser settings: " + e.getMessage(), e);
    }
    List<EpochSummary> history = parseHistory(required(m, "drsn.train.history", what), arch, what);
    int completed = (int) lng(m, "drsn.train.completed_epochs", what, 0, Integer.MAX_VALUE);
    if (history.size() != completed) {
      throw new IOException(what + ": history has " + history.size() + " epochs, metadata says " + completed
          + " were completed");
    }
    return new TrainingState(arch, params, best, settings,
        lng(m, "drsn.train.optimizer_steps", what, 0, Long.MAX_VALUE), opt, completed,
        lng(m, "drsn.train.step", what, 0, Long.MAX_VALUE), lng(m, "drsn.train.seed", what, Long.MIN_VALUE,
        Long.MAX_VALUE), (int) lng(m, "drsn.train.batch_size", what, 2, Integer.MAX_VALUE),
        (int) lng(m, "drsn.train.micro_batch_size", what, 2, Integer.MAX_VALUE),
        (int) lng(m, "drsn.train.best_epoch", what, 0, Integer.MAX_VALUE),
        dbl(m, "drsn.train.best_accuracy", what), history,
        lng(m, "drsn.train.total_steps", what, 0, Long.MAX_VALUE),
        sha256(m, "drsn.train.past_rates_sha256", what), sha256(m, "drsn.train.data_sha256", what));
  }

  private static String sha256(Map<String, String> m, String key, String what) throws IOException {
    String v = required(m, key, what);
    if (!v.matches("[0-9a-f]{64}")) {
      throw new IOException(what + ": " + key + " must be 64 hex digits, got '" + Limits.excerpt(v) + "'");
    }
    return v;
  }

  private static Architecture architecture(Map<String, String> m, String what) throws IOException {
    if (!FORMAT_VERSION.equals(m.get(FORMAT))) {
      throw new IOException(what + ": not a drsn training state (metadata " + FORMAT + " is " + m.get(FORMAT)
          + ", expected " + FORMAT_VERSION + ")");
    }
    try {
      return Architecture.fromMetadata(m);
    } catch (IllegalArgumentException e) {
      throw new IOException(what + ": invalid architecture: " + e.getMessage(), e);
    }
  }

  private static ParameterSet takeModel(Map<String, SafeTensors.Tensor> tensors, String prefix, Architecture arch,
                                        String what) throws IOException {
    ParameterSet p = ParameterSet.allocate(arch.layout());
    for (TensorSpec spec : p.specs()) {
      SafeTensors.Tensor t = tensors.remove(prefix + spec.name());
      if (t == null) {
        throw new IOException(what + ": missing tensor '" + prefix + spec.name() + "'");
      }
      long[] expected = spec.shape().stream().mapToLong(Integer::longValue).toArray();
      if (!Arrays.equals(expected, t.shape())) {
        throw new IOException(what + ": tensor '" + prefix + spec.name() + "' has shape "
            + Arrays.toString(t.shape()) + ", expected " + spec.shape());
      }
      checkFinite(what, prefix + spec.name(), t.values());
      ParameterSet.Slot slot = p.slot(spec.name());
      System.arraycopy(t.values(), 0, p.arrayOf(slot), slot.offset(), slot.size());
    }
    return p;
  }

  private static void checkFinite(String what, String name, float[] v) throws IOException {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IOException(what + ": tensor '" + name + "' has the non-finite value " + v[i] + " at index " + i);
      }
    }
  }

  private static String required(Map<String, String> m, String key, String what) throws IOException {
    String v = m.get(key);
    if (v == null) {
      throw new IOException(what + ": metadata lacks '" + key + "'");
    }
    return v;
  }

  private static long lng(Map<String, String> m, String key, String what, long lo, long hi) throws IOException {
    String v = required(m, key, what);
    try {
      long x = Long.parseLong(v);
      if (x < lo || x > hi) {
        throw new NumberFormatException();
      }
      return x;
    } catch (NumberFormatException e) {
      throw new IOException(what + ": metadata '" + key + "' must be an integer in [" + lo + ", " + hi + "], got '"
          + v + "'");
    }
  }

  private static double dbl(Map<String, String> m, String key, String what) throws IOException {
    String v = required(m, key, what);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IOException(what + ": metadata '" + key + "' must be a number, got '" + Limits.excerpt(v) + "'");
    }
  }

  private static boolean bool(Map<String, String> m, String key, String what) throws IOException {
    String v = required(m, key, what);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IOException(what + ": metadata '" + key + "' must be true or false, got '"
          + Limits.excerpt(v) + "'");
    };
  }

  // ---- history (the JSON of History#toJson) ----

  private static List<EpochSummary> parseHistory(String json, Architecture arch, String what) throws IOException {
    try {
      Object root = Json.parse(json, 8);
      List<?> epochs = (List<?>) ((Map<?, ?>) root).get("epochs");
      List<EpochSummary> out = new ArrayList<>();
      for (Object o : epochs) {
        Map<?, ?> e = (Map<?, ?>) o;
        Evaluation validation = null;
        if (e.get("validation") instanceof Map<?, ?> v) {
          List<String> names = new ArrayList<>();
          for (Object n : (List<?>) v.get("classes")) {
            names.add((String) n);
          }
          List<?> rows = (List<?>) v.get("matrix");
          int k = names.size();
          if (rows.size() != k) {
            throw new IllegalArgumentException("confusion matrix has " + rows.size() + " rows for " + k + " classes");
          }
          long[] counts = new long[k * k];
          for (int a = 0; a < k; a++) {
            List<?> row = (List<?>) rows.get(a);
            if (row.size() != k) {
              throw new IllegalArgumentException("confusion matrix row " + a + " has " + row.size() + " entries");
            }
            for (int p = 0; p < k; p++) {
              counts[a * k + p] = (Long) row.get(p);
            }
          }
          validation = new Evaluation(num(v.get("loss")), new ConfusionMatrix(names, counts));
        }
        out.add(new EpochSummary(((Long) e.get("epoch")).intValue(), num(e.get("train_loss")),
            num(e.get("train_accuracy")), num(e.get("learning_rate")), num(e.get("seconds")),
            num(e.get("samples_per_second")), validation));
      }
      return out;
    } catch (RuntimeException e) {
      throw new IOException(what + ": malformed history in metadata: " + e.getMessage(), e);
    }
  }

  private static double num(Object o) {
    if (o == Json.NULL) {
      return Double.NaN;
    }
    return ((Number) o).doubleValue();
  }
}
