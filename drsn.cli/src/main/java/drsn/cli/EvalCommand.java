package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.DataSources;
import drsn.cli.internal.ModelFiles;
import drsn.cli.internal.RecordingSummary;
import drsn.cli.internal.ReportJson;
import drsn.cli.internal.UnitsCheck;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.internal.Json;
import drsn.train.Evaluation;
import drsn.train.Evaluator;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluates a model on a dataset: accuracy, per-class metrics, confusion matrix.",
        "Per class: precision, recall, F1 and support; text or --json."})
final class EvalCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, paramLabel = "FILE", defaultValue = "drsn-out/model.safetensors",
      description = "Model file or training output folder (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = {"-d", "--data"}, paramLabel = "SPEC", defaultValue = "builtin",
      description = "builtin[:N] | cwru:<folder> | ucr:<folder> | <class folders> | <manifest.csv> "
          + "(default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
      description = "test (the held-out split, as train makes it with the same --seed) or all (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--per-class", defaultValue = "100", description = "Built-in data: examples per class (default: ${DEFAULT-VALUE}).")
  int perClass;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the data split and noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  NoiseOptions noise = new NoiseOptions();

  @Mixin
  RecordingOptions recordings = new RecordingOptions();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    Model m = ModelFiles.load(model);
    DataSources.Loaded loaded = DataSources.loadAll(data,
        recordings.options(m.architecture().inputWidth(), perClass, seed, null));
    // Recordings in other units than the model's would be misclassified without a word: refuse them.
    if (UnitsCheck.decimationFactor(data, loaded.units(), m.architecture().inputUnits()) != 1) {
      throw new CliException(data + " is sampled at " + loaded.units() + ", the model at "
          + m.architecture().inputUnits() + "; resample the recordings to the model's rate");
    }
    DatasetSplit s = loaded.split();
    Dataset d = switch (split) {
      case "test" -> s.test();
      case "all" -> concat(s.train(), s.test());
      default -> throw new CliException("--split must be test or all, got '" + split + "'");
    };
    d = noise.applyToTest(d, seed);
    checkFits(m.architecture(), d);
    // The result does not depend on the thread count (drsn.train's deterministic evaluation).
    Evaluation r = Evaluator.evaluate(m, d, Runtime.getRuntime().availableProcessors());
    // Windows cut from recordings: a line per recording as well (a recording wholly wrong shows).
    List<RecordingSummary.Row> rows = RecordingSummary.of(m, d, loaded.unitNames());
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>(ReportJson.evaluation(r));
      if (!rows.isEmpty()) {
        j.put("recordings", RecordingSummary.toJson(rows, d.classNames()));
      }
      out().println(Json.write(j, Json.Format.REPORT));
    } else {
      Reports.printMetrics(out(), r);
      RecordingSummary.print(out(), rows, d.classNames());
    }
    out().flush();
    return 0;
  }

  /** The data must have the model's input size and classes (checked here for CLI-worded messages). */
  private static void checkFits(Architecture a, Dataset data) {
    if (data.exampleSize() != a.inputSize()) {
      throw new CliException("the data's examples have " + data.exampleSize() + " values ("
          + Arrays.toString(data.exampleShape()) + "), the model expects " + a.inputSize());
    }
    if (data.numClasses() != a.classes()) {
      throw new CliException("the data has " + data.numClasses() + " classes, the model " + a.classes());
    }
  }

  static Dataset concat(Dataset a, Dataset b) {
    float[] data = new float[(a.size() + b.size()) * a.exampleSize()];
    int[] labels = new int[a.size() + b.size()];
    for (int i = 0; i < a.size(); i++) {
      a.copyExample(i, data, i * a.exampleSize());
      labels[i] = a.label(i);
    }
    for (int i = 0; i < b.size(); i++) {
      b.copyExample(i, data, (a.size() + i) * a.exampleSize());
      labels[a.size() + i] = b.label(i);
    }
    return Dataset.of(data, labels, a.exampleShape(), a.classNames());
  }
}
