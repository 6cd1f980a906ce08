package drsn.train;

import drsn.nn.Architecture;
import java.util.concurrent.Callable;

/**
 * Where the micro-batches of a training step are computed, when not on the trainer's own pool: a
 * cluster, say (drsn.spark runs one Spark job per step). The engine computes micro-batch k of the
 * batch with a {@link MicroBatchWorker} from the step's weights and hands back its
 * {@link MicroBatchGradient}; the trainer folds them in micro-batch order ({@link MicroBatchFold})
 * and steps, so an engine whose workers compute with the same kernels gives the same bits as
 * training on one machine.
 *
 * <p>A trainer uses an engine when one is bound for the code that calls {@link Trainer#fit} or
 * {@link Trainer#resume} ({@link #callWith}): so an application (drsn's CLI, say) trains
 * unchanged, with the same options, data and defaults, while its steps run elsewhere. Evaluation
 * stays on the trainer's pool.
 */
public interface MicroBatchEngine {

  /**
   * Computes micro-batches 0 … {@link MicroBatches#count}(n, microBatch) − 1 of a batch of
   * {@code n} samples (inputs [n, inputSize] as the network expects them, labels [n]) from the
   * given weights (laid out as {@link drsn.nn.ParameterSet#values()}), micro-batch k's result into
   * {@code results[k]} (replacing the element). Throws, with a reason, when it cannot give the bits
   * a local step would.
   */
  void compute(float[] weights, float[] inputs, int[] labels, int n, int microBatch, MicroBatchGradient[] results);

  /** Makes the engine for one training run. */
  interface Factory {
    MicroBatchEngine create(Architecture arch, TrainingConfig config);
  }

  /** The factory bound by {@link #callWith} for the current thread's dynamic scope. */
  ScopedValue<Factory> BOUND = ScopedValue.newInstance();

  /** Runs {@code body} with every trainer started inside it computing its micro-batches with {@code factory}. */
  static <T> T callWith(Factory factory, Callable<T> body) throws Exception {
    if (factory == null) {
      throw new IllegalArgumentException("engine factory must not be null");
    }
    return ScopedValue.where(BOUND, factory).call(body::call);
  }
}
