package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.DataSources;
import drsn.cli.internal.Defaults;
import drsn.cli.internal.HtmlReport;
import drsn.cli.internal.ModelFiles;
import drsn.cli.internal.ProgressBar;
import drsn.cli.internal.RunResult;
import drsn.cli.internal.TrainConfig;
import drsn.cli.internal.TrainRun;
import drsn.data.DatasetSplit;
import drsn.nn.Family;
import drsn.nn.InputUnits;
import drsn.nn.Model;
import drsn.nn.internal.Json;
import drsn.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Trains a model; writes model.safetensors, metrics.json and report.html.",
        "Data: builtin[:N] (synthetic bearings, N examples per class), cwru:<folder of MAT files>, ucr:<folder>,",
        "recordings: a folder with one subfolder per class of CSV/WAV/NPY files, or a CSV manifest",
        "file,label[,split][,group]; every file is cut into windows (--length, --stride) and split by whole",
        "recordings (or groups) or by time (--split-by), or tested on --test-data."})
final class TrainCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = {"-d", "--data"}, paramLabel = "SPEC", defaultValue = "builtin",
      description = "Training data (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--model", defaultValue = "drsn-cw", paramLabel = "FAMILY",
      description = "convnet, resnet, senet, drsn-cs or drsn-cw (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--length", defaultValue = "0", paramLabel = "L",
      description = "Window length (default " + Defaults.WINDOW + ", or the shortest recording when shorter); recordings are cut into "
          + "windows, never cropped or padded.")
  int length;

  @Mixin
  RecordingOptions recordings = new RecordingOptions();

  @Option(names = "--test-data", paramLabel = "SPEC",
      description = "Recordings (a class folder or manifest) that are the test set; all of --data is then for "
          + "training (and its validation part).")
  String testData;

  @Option(names = "--per-class", defaultValue = "" + Defaults.PER_CLASS, paramLabel = "N",
      description = "Built-in data: examples per class (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Mixin
  NoiseOptions noise = new NoiseOptions();

  @Mixin
  TrainingOptions training = new TrainingOptions();

  @Option(names = {"-o", "--out"}, defaultValue = "drsn-out", paramLabel = "FOLDER",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--resume", description = "Continue the run saved in --out after its last epoch, with the same "
      + "options (--epochs may grow with --schedule constant; other schedules depend on the total). To go on with "
      + "other options, start a new run from the saved model with --init.")
  boolean resume;

  @Option(names = "--init", paramLabel = "MODEL",
      description = "Start from the weights of a saved model (a .safetensors file or a folder holding "
          + "model.safetensors), with its architecture, normalisation and classes: to train on for more epochs or "
          + "other options, or to fine-tune on new recordings of the same classes.")
  Path init;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() {
    Model initial = init == null ? null : initialModel();
    Family family;
    try {
      family = initial != null ? initial.architecture().family() : Family.fromId(model);
    } catch (IllegalArgumentException e) {
      throw new CliException("--model: " + e.getMessage());
    }
    TrainConfig cfg = training.config(training.seed);
    int exampleLength = initial != null && length == 0 ? initial.architecture().inputWidth() : length;
    DataSources.Loaded loaded = DataSources.loadAll(data,
        recordings.options(exampleLength, perClass, training.seed, testData));
    if (initial != null) {
      checkUnits(initial.architecture().inputUnits(), loaded.units());
    }
    dataDescription = loaded.description();
    DatasetSplit split = noise.apply(loaded.split(), training.seed);
    TrainingListener listener = quiet ? null
        : new ProgressBar(err(), ProgressBar.onTerminal(), family.id(), 5);
    RunResult r = TrainRun.run(family.id(), family, split, cfg, training.widths(), training.units(), listener, out, resume,
        initial, loaded.units());
    writeOutputs(out, r, describe(), cfg);
    out().printf(Locale.ROOT, "%s: test accuracy %.4f (%d samples) of the model of epoch %d of %d (%s), %.1f s; wrote %s%n",
        family.id(), r.test().accuracy(), r.test().examples(), r.chosenEpoch(), r.history().size(), r.stopReason(),
        r.trainSeconds(), out.resolve("model.safetensors"));
    out().flush();
    return 0;
  }

  /** The --init model; its architecture replaces the options that would define one. */
  private Model initialModel() {
    if (resume) {
      throw new CliException("--init and --resume exclude each other: --resume continues the run saved in --out, "
          + "--init starts a new run from a model");
    }
    var parsed = spec.commandLine().getParseResult();
    for (String option : List.of("--model", "--widths", "--units")) {
      if (parsed.hasMatchedOption(option)) {
        throw new CliException("--init takes the architecture from " + init + "; leave out " + option);
      }
    }
    return ModelFiles.load(init);
  }

  private String dataDescription = "";

  String describe() {
    return String.format(Locale.ROOT, "data %s: %s, %s", data, dataDescription, noise.describe());
  }

  /** Fine-tuning data must be in the units the --init model was trained on. */
  private void checkUnits(InputUnits model, InputUnits data) {
    if (!model.equals(InputUnits.UNKNOWN) && !model.equals(data)) {
      throw new CliException("--init model was trained on inputs of " + model + ", the data is " + data
          + ": the same amplitude or frequency would mean something else");
    }
  }

  static void writeOutputs(Path out, RunResult r, String dataDescription, TrainConfig cfg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", dataDescription);
    // A LinkedHashMap, not Map.of: the keys keep one order from run to run.
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("epochs", cfg.adaptive() ? "auto" : cfg.epochs());
    config.put("batch", cfg.batchFor(r.trainSize()));
    config.put("validation", cfg.validationFraction());
    config.put("augment", cfg.augmentsNoise(r.model().architecture().inputWidth()) ? "noise "
        + Defaults.AUGMENT_MIN_SNR_DB + ".." + Defaults.AUGMENT_MAX_SNR_DB + " dB" : "none");
    config.put("optimizer", cfg.optimizer());
    config.put("lr", cfg.learningRate());
    config.put("schedule", cfg.schedule());
    config.put("weight_decay", cfg.weightDecay());
    config.put("threads", cfg.threads());
    config.put("seed", cfg.seed());
    m.put("config", config);
    m.putAll(r.toMap());
    try {
      Files.writeString(out.resolve("metrics.json"), Json.write(m, Json.Format.REPORT) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot write " + out.resolve("metrics.json") + ": " + e.getMessage(), e);
    }
    HtmlReport.write(out.resolve("report.html"), "drsn training report: " + r.name(), dataDescription, List.of(r));
  }
}
