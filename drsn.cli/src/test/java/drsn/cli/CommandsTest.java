package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.internal.Json;
import drsn.nn.Checkpoint;
import drsn.nn.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command end to end, in-process, on a tiny built-in dataset and a tiny network. */
class CommandsTest {

  static final int LENGTH = 256;
  static final String[] TINY = {"--data", "builtin:6", "--length", "256", "--widths", "4,8", "--units", "1,1",
      "--batch", "16", "--threads", "2", "--quiet"};

  @TempDir
  static Path dir;
  static Path modelDir;
  static Model model;

  @BeforeAll
  static void trainTinyModel() throws IOException {
    modelDir = dir.resolve("run");
    Cli.Result r = Cli.run(concat(new String[] {"train", "--model", "drsn-cw", "--epochs", "1", "--out",
        modelDir.toString(), "--noise", "gaussian", "--snr", "0"}, TINY));
    assertEquals(0, r.code(), r.err());
    model = Checkpoint.load(modelDir.resolve("model.safetensors"));
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "train", "eval", "predict", "inspect", "compare", "serve", "bench"})
  void everyCommandHasHelp(String cmd) {
    Cli.Result r = Cli.run(cmd, "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("Usage: drsn " + cmd), r.out());
  }

  @Test
  void usageErrorsExitWithTwoAndOneLine() {
    for (String[] args : new String[][] {{}, {"nope"}, {"predict", "--no-such-option"}, {"train", "--epochs", "x"}}) {
      Cli.Result r = Cli.run(args);
      assertEquals(2, r.code(), String.join(" ", args));
      assertEquals(1, r.errLines().length, r.err());
      assertTrue(r.err().startsWith("drsn: usage error: "), r.err());
    }
  }

  @Test
  void failuresExitWithOneAndOneLineUnlessVerbose() throws IOException {
    Cli.Result missing = Cli.run("predict", "--model", dir.resolve("absent.safetensors").toString(), "x.npy");
    assertEquals(1, missing.code());
    assertEquals(1, missing.errLines().length, missing.err());
    assertTrue(missing.err().contains("absent.safetensors") && missing.err().contains("does not exist"), missing.err());

    Path garbage = dir.resolve("garbage.safetensors");
    Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    Cli.Result bad = Cli.run("inspect", "--model", garbage.toString());
    assertEquals(1, bad.code());
    assertEquals(1, bad.errLines().length, bad.err());
    assertTrue(bad.err().contains("not a valid drsn safetensors file"), bad.err());

    Cli.Result verbose = Cli.run("inspect", "--model", garbage.toString(), "--verbose");
    assertEquals(1, verbose.code());
    assertTrue(verbose.errLines().length > 1 && verbose.err().contains("\tat "), verbose.err());
  }

  @Test
  void serveRejectsBadOptionsBeforeListening() {
    Cli.Result port = Cli.run("serve", "--model", modelDir.toString(), "--port", "70000");
    assertEquals(2, port.code(), "an invalid option value is a usage error");
    assertTrue(port.err().contains("--port"), port.err());
    Cli.Result model = Cli.run("serve", "--model", dir.resolve("none.safetensors").toString(), "--port", "0");
    assertEquals(1, model.code());
    assertTrue(model.err().contains("does not exist"), model.err());
    Cli.Result opts = Cli.run("train", "--model", "lenet", "--out", dir.resolve("x").toString());
    assertEquals(2, opts.code());
    assertTrue(opts.err().contains("unknown family 'lenet'"), opts.err());
    Cli.Result noise = Cli.run("train", "--noise", "brown", "--out", dir.resolve("x").toString());
    assertEquals(2, noise.code());
    assertTrue(noise.err().contains("--noise must be"), noise.err());
  }

  @Test
  void trainWritesModelMetricsAndReport() throws IOException {
    assertTrue(Files.size(modelDir.resolve("model.safetensors")) > 1000);
    Map<?, ?> metrics = (Map<?, ?>) Json.parse(Files.readString(modelDir.resolve("metrics.json")), 16, 1_000_000);
    List<?> history = (List<?>) metrics.get("history");
    assertEquals(1, history.size());
    Map<?, ?> test = (Map<?, ?>) metrics.get("test");
    double acc = Json.asDouble(test.get("accuracy"));
    assertTrue(acc >= 0 && acc <= 1);
    // The layout scripts read (the same as eval --json for the test metrics).
    assertEquals(EVAL_KEYS, List.copyOf(test.keySet()));
    Map<?, ?> epoch = (Map<?, ?>) history.getLast();
    assertEquals(List.of("epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy",
        "learning_rate", "seconds", "samples_per_second"), List.copyOf(epoch.keySet()));
    // Validation is carved from the training data: the test set is evaluated once, on the kept model.
    assertTrue(Double.isFinite(Json.asDouble(epoch.get("validation_loss"))));
    long validation = asLong(metrics.get("validation_examples"));
    long train = asLong(metrics.get("train_examples"));
    assertTrue(validation > 0 && train > validation, metrics.toString());
    assertEquals(1L, asLong(metrics.get("chosen_epoch")));
    assertTrue(String.valueOf(metrics.get("stop_reason")).startsWith("epoch budget"), metrics.toString());
    assertFalse(((List<?>) metrics.get("thresholds")).isEmpty(), "a DRSN-CW run reports threshold statistics");
    for (Object o : (List<?>) metrics.get("thresholds")) {
      Map<?, ?> unit = (Map<?, ?>) o;
      double alpha = Json.asDouble(unit.get("alpha_mean"));
      double zeroed = Json.asDouble(unit.get("zeroed_fraction"));
      assertTrue(alpha > 0 && alpha <= 1 && zeroed >= 0 && zeroed <= 1, unit.toString());
      assertTrue(Json.asDouble(unit.get("tau_mean")) > 0, unit.toString());
    }
    String html = Files.readString(modelDir.resolve("report.html"));
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg") && html.contains("Confusion matrix")
        && html.contains("Thresholds") && html.contains("before shrinkage") && html.contains("mean &alpha;")
        && html.contains("zeroed"));
    assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script src"),
        "the report must be self-contained");
  }

  @Test
  void resumeContinuesASavedRun() throws IOException {
    Path out = dir.resolve("resumed");
    String[] base = concat(new String[] {"train", "--model", "resnet", "--out", out.toString()}, TINY);
    assertEquals(0, Cli.run(concat(base, "--epochs", "1", "--schedule", "constant")).code());
    Cli.Result r = Cli.run(concat(base, "--epochs", "2", "--schedule", "constant", "--resume"));
    assertEquals(0, r.code(), r.err());
    Map<?, ?> metrics = (Map<?, ?>) Json.parse(Files.readString(out.resolve("metrics.json")), 16, 1_000_000);
    assertEquals(2, ((List<?>) metrics.get("history")).size());
    // The default cosine schedule depends on the number of epochs: growing it is refused, in one line.
    byte[] state = Files.readAllBytes(out.resolve("training-state.safetensors"));
    Cli.Result longer = Cli.run(concat(base, "--epochs", "3", "--resume"));
    assertEquals(1, longer.code());
    assertTrue(longer.err().contains("learning rates differ") && longer.err().lines().count() == 1, longer.err());
    // Noise added to the data now but not then: the same number of examples, other data.
    Cli.Result noisier = Cli.run(concat(base, "--epochs", "2", "--schedule", "constant", "--resume", "--noise",
        "gaussian", "--snr", "0"));
    assertEquals(1, noisier.code());
    // (The CLI fits the input normalisation on the training data, so the architecture tells it first.)
    assertTrue(noisier.err().contains("inputMean, inputStd") && noisier.err().contains("the data differs")
        && noisier.err().length() < 600, noisier.err());
    assertArrayEquals(state, Files.readAllBytes(out.resolve("training-state.safetensors")));
    Cli.Result noState = Cli.run(concat(new String[] {"train", "--out", dir.resolve("empty").toString(), "--resume"},
        TINY));
    assertEquals(1, noState.code());
    assertTrue(noState.err().contains("cannot resume"), noState.err());
  }

  @Test
  void initStartsANewRunFromASavedModel() throws IOException {
    String[] data = {"--data", "builtin:6", "--batch", "16", "--threads", "2", "--quiet"};
    Path out = dir.resolve("from-init");
    // A vanishing learning rate: the run must end where the saved model's weights are, not at a fresh initialisation.
    Cli.Result r = Cli.run(concat(new String[] {"train", "--init", modelDir.toString(), "--out", out.toString(),
        "--epochs", "1", "--optimizer", "sgd", "--lr", "1e-9", "--weight-decay", "0"}, data));
    assertEquals(0, r.code(), r.err());
    Model continued = Checkpoint.load(out.resolve("model.safetensors"));
    assertEquals(model.architecture(), continued.architecture());
    float[] before = model.copyParameters().values();
    float[] after = continued.copyParameters().values();
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i], after[i], 1e-4f, "weight " + i);
    }

    Cli.Result withModel = Cli.run(concat(new String[] {"train", "--init", modelDir.toString(), "--model", "resnet",
        "--out", dir.resolve("x").toString()}, data));
    assertEquals(2, withModel.code(), "an invalid option combination is a usage error");
    assertTrue(withModel.err().contains("leave out --model"), withModel.err());
    Cli.Result withResume = Cli.run(concat(new String[] {"train", "--init", modelDir.toString(), "--resume",
        "--out", out.toString()}, data));
    assertEquals(2, withResume.code());
    assertTrue(withResume.err().contains("exclude each other"), withResume.err());
    Cli.Result otherLength = Cli.run(concat(new String[] {"train", "--init", modelDir.toString(), "--length", "512",
        "--out", dir.resolve("x").toString()}, data));
    assertEquals(2, otherLength.code());
    assertTrue(otherLength.err().contains("shaped [1, 256]") && otherLength.err().lines().count() == 1,
        otherLength.err());
    Cli.Result missing = Cli.run(concat(new String[] {"train", "--init", dir.resolve("nope.safetensors").toString(),
        "--out", dir.resolve("x").toString()}, data));
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());
  }

  @Test
  void trainsFromClassFoldersAndFromAManifest() throws IOException {
    Path root = dir.resolve("folders");
    StringBuilder manifest = new StringBuilder("file,label\n");
    for (String cls : new String[] {"quiet", "loud"}) {
      Path d = Files.createDirectories(root.resolve(cls));
      for (int i = 0; i < 5; i++) {
        float[] x = Cli.signal(i + (cls.equals("loud") ? 100 : 0), 300 + 10 * i); // lengths differ: cut into windows
        if (cls.equals("loud")) {
          for (int t = 0; t < x.length; t++) {
            x[t] *= 1.5f;
          }
        }
        // NPY and CSV hold raw values (WAV, scaled to [-1, 1), is refused next to them: see RecordingsTest).
        switch (i % 2) {
          case 0 -> Cli.writeNpy(d.resolve(i + ".npy"), x, x.length);
          default -> {
            StringBuilder csv = new StringBuilder();
            for (float v : x) {
              csv.append(v).append('\n');
            }
            Files.writeString(d.resolve(i + ".csv"), csv);
          }
        }
        manifest.append(cls).append('/').append(i).append(i % 2 == 0 ? ".npy" : ".csv")
            .append(',').append(cls).append('\n');
      }
    }
    Files.writeString(root.resolve("manifest.csv"), manifest);
    String[] opts = {"--length", "128", "--widths", "4", "--units", "1", "--epochs", "1", "--batch", "4", "--quiet"};
    for (String data : new String[] {root.toString(), root.resolve("manifest.csv").toString()}) {
      Path out = dir.resolve("folder-run-" + data.hashCode());
      Cli.Result r = Cli.run(concat(new String[] {"train", "--data", data, "--out", out.toString()}, opts));
      assertEquals(0, r.code(), r.err());
      Model m = Checkpoint.load(out.resolve("model.safetensors"));
      assertEquals(List.of("loud", "quiet"), m.architecture().classNames());
      assertEquals(128, m.architecture().inputWidth());
    }
    Files.writeString(root.resolve("bad.csv"), "a.npy\n");
    Cli.Result bad = Cli.run(concat(new String[] {"train", "--data", root.resolve("bad.csv").toString()}, opts));
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("expected 'file,label'"), bad.err());
  }

  @Test
  void predictReadsNpyCsvWavAndStdinAndAgreesWithThePredictor() throws IOException {
    float[] a = Cli.signal(1, LENGTH);
    float[] b = Cli.signal(2, LENGTH);
    Path npy = dir.resolve("two.npy");
    float[] both = new float[2 * LENGTH];
    System.arraycopy(a, 0, both, 0, LENGTH);
    System.arraycopy(b, 0, both, LENGTH, LENGTH);
    Cli.writeNpy(npy, both, 2, LENGTH);
    Path csv = dir.resolve("one.csv");
    StringBuilder sb = new StringBuilder("x\n");
    for (float v : a) {
      sb.append(v).append('\n');
    }
    Files.writeString(csv, sb);
    Path wav = dir.resolve("one.wav");
    Cli.writeWav16(wav, a, 12000);

    Cli.Result r = Cli.run("predict", "--model", modelDir.toString(), "--json", npy.toString(), csv.toString(),
        wav.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(4, lines.length, r.out());
    var predictor = model.predictor();
    float[][] expected = {predictor.predict(a), predictor.predict(b), predictor.predict(a)};
    for (int i = 0; i < 3; i++) {
      Map<?, ?> o = (Map<?, ?>) Json.parse(lines[i], 4, 10_000);
      Map<?, ?> probs = (Map<?, ?>) o.get("probabilities");
      assertEquals(model.architecture().classes(), probs.size());
      double sum = 0;
      for (int c = 0; c < probs.size(); c++) {
        double p = Json.asDouble(probs.get(model.architecture().classNames().get(c)));
        assertEquals(expected[i][c], p, 1e-6);
        sum += p;
      }
      assertEquals(1.0, sum, 1e-4);
      assertEquals(model.architecture().classNames().get(argmax(expected[i])), o.get("class"));
    }
    // WAV holds 16-bit samples: close to, not exactly, the float signal.
    Map<?, ?> w = (Map<?, ?>) Json.parse(lines[3], 4, 10_000);
    assertTrue(w.get("input").toString().endsWith("one.wav"));

    StringBuilder text = new StringBuilder();
    for (float v : b) {
      text.append(v).append(' ');
    }
    Cli.Result s = Cli.runWithStdin(text + "\n", "predict", "--model", modelDir.toString());
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().startsWith("stdin line 1: " + model.architecture().classNames().get(argmax(expected[1]))), s.out());
  }

  @Test
  void predictRejectsWrongLengthsUnlessAskedToFit() throws IOException {
    Path shortFile = dir.resolve("short.npy");
    Cli.writeNpy(shortFile, Cli.signal(3, 100), 100);
    Cli.Result r = Cli.run("predict", "--model", modelDir.toString(), shortFile.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("expects " + LENGTH + " samples") && r.err().contains("100"), r.err());
    assertEquals(0, Cli.run("predict", "--model", modelDir.toString(), "--fit", shortFile.toString()).code());
    Cli.Result nan = Cli.runWithStdin("1 2 NaN 4\n", "predict", "--model", modelDir.toString());
    assertEquals(1, nan.code());
    assertTrue(nan.err().contains("not a finite number"), nan.err());
  }

  @Test
  void inspectSummarisesLayersAndThresholds() throws IOException {
    Cli.Result r = Cli.run("inspect", "--model", modelDir.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> j = (Map<?, ?>) Json.parse(r.out(), 8, 100_000);
    long sum = 0;
    for (Object l : (List<?>) j.get("layers")) {
      sum += Json.asInt(((Map<?, ?>) l).get("parameters"));
    }
    assertEquals(model.architecture().parameterCount(), sum, "layer parameters add up to the model's");
    assertEquals((long) model.architecture().parameterCount(), j.get("parameters"));

    Path in = dir.resolve("inspect.npy");
    Cli.writeNpy(in, Cli.signal(4, LENGTH), LENGTH);
    Cli.Result t = Cli.run("inspect", "--model", modelDir.toString(), "--input", in.toString(), "--json");
    assertEquals(0, t.code(), t.err());
    List<?> taus = (List<?>) ((Map<?, ?>) Json.parse(t.out(), 8, 100_000)).get("thresholds");
    assertEquals(model.architecture().unitCount(), taus.size());
    for (Object u : taus) {
      List<?> values = (List<?>) ((Map<?, ?>) u).get("thresholds");
      List<?> scales = (List<?>) ((Map<?, ?>) u).get("scales");
      assertFalse(values.isEmpty());
      assertEquals(values.size(), scales.size());
      for (int c = 0; c < values.size(); c++) {
        assertTrue(Json.asDouble(values.get(c)) > 0, "thresholds are positive");
        double alpha = Json.asDouble(scales.get(c));
        assertTrue(alpha > 0 && alpha <= 1, "scale " + alpha);
      }
      double zeroed = Json.asDouble(((Map<?, ?>) u).get("zeroed_fraction"));
      assertTrue(zeroed >= 0 && zeroed <= 1, "zeroed " + zeroed);
    }
    Cli.Result text = Cli.run("inspect", "--model", modelDir.toString(), "--input", in.toString());
    assertTrue(text.out().contains("units.0") && text.out().contains("thresholds") && text.out().contains("zeroed"),
        text.out());
  }

  /** Keys of eval --json and of metrics.json's "test", in order. */
  private static final List<String> EVAL_KEYS = List.of("samples", "accuracy", "loss", "per_class", "class_names",
      "confusion");

  @Test
  void evalReportsConsistentMetrics() {
    Cli.Result r = Cli.run("eval", "--model", modelDir.toString(), "--data", "builtin:6", "--json");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> j = (Map<?, ?>) Json.parse(r.out(), 8, 100_000);
    List<?> cm = (List<?>) j.get("confusion");
    double total = 0;
    double diagonal = 0;
    for (int i = 0; i < cm.size(); i++) {
      List<?> row = (List<?>) cm.get(i);
      for (int k = 0; k < row.size(); k++) {
        total += Json.asDouble(row.get(k));
        if (i == k) {
          diagonal += Json.asDouble(row.get(k));
        }
      }
    }
    assertEquals(Json.asDouble(j.get("samples")), total);
    assertEquals(diagonal / total, Json.asDouble(j.get("accuracy")), 1e-12);
    assertEquals(EVAL_KEYS, List.copyOf(j.keySet()));
    List<?> perClass = (List<?>) j.get("per_class");
    assertEquals(cm.size(), perClass.size());
    double supports = 0;
    for (int c = 0; c < perClass.size(); c++) {
      Map<?, ?> pc = (Map<?, ?>) perClass.get(c);
      assertEquals(List.of("class", "precision", "recall", "f1", "support"), List.copyOf(pc.keySet()));
      double support = Json.asDouble(pc.get("support"));
      double hits = Json.asDouble(((List<?>) cm.get(c)).get(c));
      assertEquals(support == 0 ? 0 : hits / support, Json.asDouble(pc.get("recall")), 1e-12);
      supports += support;
    }
    assertEquals(total, supports);
    Cli.Result text = Cli.run("eval", "--model", modelDir.toString(), "--data", "builtin:6");
    assertTrue(text.out().contains("confusion matrix") && text.out().contains("precision"), text.out());
    Cli.Result wrong = Cli.run("eval", "--model", modelDir.toString(), "--data", dir.resolve("nothing").toString());
    assertEquals(2, wrong.code(), "--data naming nothing is an invalid option value");
  }

  @Test
  void compareFormats() {
    String[] base = {"compare", "--models", "convnet,drsn-cs", "--snr", "0,4", "--seeds", "2", "--per-class", "4",
        "--length", "128", "--widths", "4", "--units", "1", "--epochs", "1", "--batch", "8", "--quiet"};
    Cli.Result csv = Cli.run(concat(base, "--format", "csv"));
    assertEquals(0, csv.code(), csv.err());
    String[] lines = csv.out().strip().split("\n");
    assertEquals("model,noise,snr_db,accuracy_mean,accuracy_std,train_seconds", lines[0]);
    assertEquals(1 + 2 * 2, lines.length, csv.out());
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",");
      assertEquals(6, f.length);
      double mean = Double.parseDouble(f[3]);
      assertTrue(mean >= 0 && mean <= 1 && Double.parseDouble(f[4]) >= 0);
    }
    Cli.Result md = Cli.run(concat(base, "--format", "markdown"));
    assertTrue(md.out().startsWith("| model |") && md.out().contains("|---|"), md.out());
    assertEquals(2, Cli.run(concat(base, "--format", "xml")).code());
  }

  @Test
  void demoTrainsBothModelsAndWritesOneReport() throws IOException {
    Path out = dir.resolve("demo");
    Cli.Result r = Cli.run("demo", "--per-class", "4", "--length", "128", "--epochs", "1", "--seeds", "2",
        "--out", out.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("resnet") && r.out().contains("drsn-cw") && r.out().contains("difference"), r.out());
    // One line per seed and the verdict on the paired difference.
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("42 ")) && r.out().lines().anyMatch(l -> l.startsWith("43 ")),
        r.out());
    assertTrue(r.out().contains("over 2 seeds") && r.out().contains("95 % interval"), r.out());
    assertTrue(Files.isRegularFile(out.resolve("drsn-cw-seed43").resolve("model.safetensors")));
    String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("Comparison") && html.contains("resnet") && html.contains("drsn-cw"));
  }

  @Test
  void benchPrintsTheRequiredKeys() {
    Cli.Result r = Cli.run("bench", "--json", "--seconds", "0.01", "--warmup", "0", "--length", "128");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> j = (Map<?, ?>) Json.parse(r.out(), 4, 1000);
    for (String k : new String[] {"sgemm_512_gflops_1t", "sgemm_512_gflops_2t", "drsn_cw_infer_batch1_p50_us",
        "drsn_cw_infer_batch1_p99_us", "drsn_cw_train_batch128_samples_per_s_1t",
        "drsn_cw_train_batch128_samples_per_s_2t", "resnet_train_batch128_samples_per_s_1t"}) {
      assertTrue(Json.asDouble(j.get(k)) > 0, k);
    }
    assertTrue(Json.asDouble(j.get("drsn_cw_infer_batch1_p99_us")) >= Json.asDouble(j.get("drsn_cw_infer_batch1_p50_us")));
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static long asLong(Object o) {
    return ((Number) o).longValue();
  }

  @Test
  void defaultsStopOnConvergenceAndKeepTheBestEpoch() throws IOException {
    Path out = dir.resolve("auto");
    Cli.Result r = Cli.run(concat(new String[] {"train", "--model", "resnet", "--out", out.toString()}, TINY));
    assertEquals(0, r.code(), r.err());
    Map<?, ?> metrics = (Map<?, ?>) Json.parse(Files.readString(out.resolve("metrics.json")), 16, 1_000_000);
    List<?> history = (List<?>) metrics.get("history");
    long chosen = asLong(metrics.get("chosen_epoch"));
    String reason = String.valueOf(metrics.get("stop_reason"));
    assertTrue(reason.startsWith("converged"), reason);
    assertTrue(chosen >= 1 && chosen < history.size(), "the kept epoch is before the patience ran out");
    double best = Json.asDouble(((Map<?, ?>) history.get((int) chosen - 1)).get("validation_accuracy"));
    for (Object e : history) {
      assertTrue(Json.asDouble(((Map<?, ?>) e).get("validation_accuracy")) <= best);
    }
    assertEquals("auto", ((Map<?, ?>) metrics.get("config")).get("epochs"));
    assertTrue(r.out().contains("of the model of epoch " + chosen), r.out());
  }

  @Test
  void aDataSetTooSmallForValidationIsOneLineWithTheCounts() {
    Cli.Result r = Cli.run("train", "--data", "builtin:1", "--length", "128", "--out", dir.resolve("small").toString(),
        "--quiet");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("per class") && r.err().contains("normal 1") && r.err().lines().count() == 1, r.err());
    Cli.Result noValidation = Cli.run("train", "--data", "builtin:4", "--validation", "0", "--length", "128",
        "--out", dir.resolve("small").toString(), "--quiet");
    assertEquals(2, noValidation.code(), "an option combination that cannot work is a usage error");
    assertTrue(noValidation.err().contains("--epochs auto stops when the model has converged"), noValidation.err());
  }

  @Test
  void impossibleNetworkSizesAreUsageErrors() {
    for (String[] bad : new String[][] {{"--widths", "0,0"}, {"--units", "4,-1,4"}}) {
      Cli.Result r = Cli.run(concat(new String[] {"train", "--data", "builtin:4", "--length", "128", "--quiet",
          "--out", dir.resolve("bad").toString()}, bad));
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains(bad[0] + " must be") && r.err().lines().count() == 1, r.err());
    }
  }
}
