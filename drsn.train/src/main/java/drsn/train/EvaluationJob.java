package drsn.train;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.ParameterSet;
import java.util.concurrent.ForkJoinPool;

/**
 * A model evaluated on a dataset in parallel: chunks of examples spread over the workers in
 * evaluation mode, each example's loss and argmax prediction written at its own index, so the
 * result does not depend on the thread count.
 */
final class EvaluationJob extends ParallelJob {

  private final Architecture arch;
  private ParameterSet model;
  private Dataset data;
  private int[] labels;
  private int chunk;
  private double[] loss;
  private int[] prediction;

  EvaluationJob(ForkJoinPool pool, MicroBatchWorker[] workers, Architecture arch) {
    super(pool, workers);
    this.arch = arch;
  }

  /** Per-example loss and prediction of the model (parameters of the architecture) on data, in chunks. */
  void evaluate(ParameterSet model, Dataset data, int chunk, double[] loss, int[] prediction) {
    if (!model.specs().equals(arch.layout())) {
      throw new IllegalArgumentException("parameters to evaluate do not follow the architecture's layout");
    }
    if (data.exampleSize() != arch.inputSize()) {
      throw new IllegalArgumentException("examples of " + data.exampleSize() + " floats, the network expects "
          + arch.inputSize());
    }
    this.model = model;
    this.data = data;
    this.labels = data.labels();
    this.chunk = chunk;
    this.loss = loss;
    this.prediction = prediction;
    try {
      run((data.size() + chunk - 1) / chunk);
    } finally {
      this.model = null;
      this.data = null;
      this.labels = null;
      this.loss = null;
      this.prediction = null;
    }
  }

  @Override
  void begin(MicroBatchWorker worker) {
    worker.loadModel(model);
  }

  @Override
  void item(MicroBatchWorker worker, int c) {
    int start = c * chunk;
    worker.evaluate(data, labels, start, Math.min(chunk, data.size() - start), loss, prediction);
  }
}
