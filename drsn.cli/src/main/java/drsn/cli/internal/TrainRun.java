package drsn.cli.internal;

import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.InputUnits;
import drsn.nn.Model;
import drsn.nn.ShrinkageStatistics;
import drsn.train.EpochSummary;
import drsn.train.Evaluation;
import drsn.train.Trainer;
import drsn.train.TrainingDivergedException;
import drsn.train.TrainingListener;
import drsn.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One training run from data to result with drsn.train's {@link Trainer}. A validation part is
 * carved from the training data by the test split's own rule ({@link DatasetSplit#carveValidation}:
 * by time within each recording, by whole recordings, or stratified); it drives early stopping and
 * selects the kept model (the best epoch on validation). The test split is used once, on the kept
 * model: nothing is selected on it. Without a validation split (--validation 0) the run trains
 * exactly its epochs on all training data and keeps the final model (the paper's protocol). With an
 * output folder, the trainer's state is saved there after every epoch (for --resume) and the model
 * as model.safetensors. With an initial model (--init) the run starts from its weights and takes
 * its architecture, input normalisation and class names.
 */
public final class TrainRun {

  private TrainRun() {
  }

  public static RunResult run(String name, Family family, DatasetSplit data, TrainConfig cfg, List<Integer> widths,
                              List<Integer> units, TrainingListener listener, Path outDir, boolean resume,
                              Model initial) {
    return run(name, family, data, cfg, widths, units, listener, outDir, resume, initial, InputUnits.UNKNOWN);
  }

  /** As above; a new model records the sample rate and scale of its data ({@code inputUnits}). */
  public static RunResult run(String name, Family family, DatasetSplit data, TrainConfig cfg, List<Integer> widths,
                              List<Integer> units, TrainingListener listener, Path outDir, boolean resume,
                              Model initial, InputUnits inputUnits) {
    Dataset train = data.train();
    Dataset validation = null;
    if (cfg.validationFraction() > 0) {
      try {
        DatasetSplit carved = data.carveValidation(cfg.validationFraction(), cfg.seed());
        train = carved.train();
        validation = carved.test();
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
    Architecture arch = initial == null
        ? Architectures.forData(family, train, widths, units).withInputUnits(inputUnits)
        : initial.architecture();
    if (initial != null) {
      requireFits(initial.architecture(), data);
    }
    if (outDir != null) {
      try {
        Files.createDirectories(outDir);
      } catch (IOException e) {
        throw new CliException("cannot create output folder " + outDir + ": " + e.getMessage(), e);
      }
    }
    long start = System.nanoTime();
    TrainingResult result;
    double secs;
    Evaluation test;
    Model model;
    try (Trainer t = new Trainer(arch, cfg.toTrainingConfig(train.size(), train.exampleShape()[train.exampleShape().length - 1], listener,
        outDir, initial))) {
      if (resume) {
        Path state = outDir.resolve(Trainer.STATE_FILE);
        if (!Files.isRegularFile(state)) {
          throw new CliException("cannot resume: " + state + " does not exist (train into --out first)");
        }
        try {
          result = t.resume(state, train, validation);
        } catch (IOException e) {
          throw new CliException("cannot resume from " + state + ": " + e.getMessage(), e);
        }
      } else {
        result = t.fit(train, validation);
      }
      secs = (System.nanoTime() - start) / 1e9;
      model = validation == null ? result.finalModel() : result.bestModel();
      test = t.evaluate(model, data.test());
    } catch (TrainingDivergedException e) {
      throw new CliException("training diverged: " + e.getMessage() + "; try a lower --lr or --clip", e);
    } catch (UncheckedIOException e) {
      throw new CliException(e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
    List<EpochSummary> history = result.history().epochs();
    if (resume) {
      // Wall-clock time of this process covers only the resumed epochs: report the run's total.
      secs = 0;
      for (EpochSummary e : history) {
        secs += e.seconds();
      }
    }
    if (outDir != null) {
      try {
        Checkpoint.save(model, outDir.resolve(ModelFiles.MODEL_FILE));
      } catch (IOException e) {
        throw new CliException("cannot save the model to " + outDir + ": " + e.getMessage(), e);
      }
    }
    List<ShrinkageStatistics> taus = Inspection.thresholds(model, data.test(), 64);
    Inspection.ShrinkageExample ex = family.shrinks() ? Inspection.example(model, data.test(), 0) : null;
    return new RunResult(name, model, history, test, secs, taus, ex,
        validation == null ? history.size() : result.bestEpoch(), result.stopReason(),
        validation == null ? 0 : validation.size(), train.size());
  }

  /** The data must have the initial model's input shape and the same classes in the same order. */
  private static void requireFits(Architecture a, DatasetSplit data) {
    int[] shape = data.train().exampleShape();
    int[] expected = a.dimensions() == 1 ? new int[] {a.inputChannels(), a.inputWidth()}
        : new int[] {a.inputChannels(), a.inputHeight(), a.inputWidth()};
    if (!Arrays.equals(shape, expected)) {
      throw new CliException("--init model takes examples shaped " + Arrays.toString(expected)
          + ", the data's are " + Arrays.toString(shape) + " (set --length to the model's)");
    }
    if (!a.classNames().equals(data.train().classNames())) {
      throw new CliException("--init model was trained on the classes " + a.classNames() + ", the data has "
          + data.train().classNames() + ": the labels would not mean the same");
    }
  }
}
