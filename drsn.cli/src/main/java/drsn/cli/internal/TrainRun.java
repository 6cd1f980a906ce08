package drsn.cli.internal;

import drsn.data.DatasetSplit;
import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One training run from data to result, optionally writing model, state and metrics into a folder. */
public final class TrainRun {

  private TrainRun() {
  }

  public static RunResult run(String name, Family family, DatasetSplit data, TrainConfig cfg, List<Integer> widths,
                              List<Integer> units, TrainingListener listener, Path outDir, boolean resume) {
    Architecture arch = Architectures.forData(family, data.train(), widths, units);
    long start = System.nanoTime();
    try (SimpleTrainer t = new SimpleTrainer(arch, cfg)) {
      if (outDir != null) {
        try {
          Files.createDirectories(outDir);
        } catch (IOException e) {
          throw new CliException("cannot create output folder " + outDir + ": " + e.getMessage(), e);
        }
      }
      if (resume) {
        t.resume(outDir.resolve(SimpleTrainer.STATE_FILE));
      }
      t.train(data.train(), data.test(), listener, outDir);
      double secs = (System.nanoTime() - start) / 1e9;
      if (resume) {
        secs = 0;
        for (EpochStats e : t.history()) {
          secs += e.seconds();
        }
      }
      Model model = t.model();
      if (outDir != null) {
        try {
          Checkpoint.save(model, outDir.resolve(ModelFiles.MODEL_FILE));
        } catch (IOException e) {
          throw new CliException("cannot save the model to " + outDir + ": " + e.getMessage(), e);
        }
      }
      Metrics test = SimpleTrainer.evaluate(model, data.test(), 256);
      List<Inspection.UnitThresholds> taus = Inspection.thresholds(model, data.test(), 64);
      Inspection.ShrinkageExample ex = family.shrinks() ? Inspection.example(model, data.test(), 0) : null;
      return new RunResult(name, model, t.history(), test, secs, taus, ex);
    }
  }
}
