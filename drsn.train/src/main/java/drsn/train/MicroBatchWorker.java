package drsn.train;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import drsn.nn.internal.CrossEntropy;
import drsn.tensor.KernelProvider;
import java.util.Arrays;

/**
 * The worker side of a training step: forward and backward of one micro-batch on a network over
 * its own copy of the parameters, giving that micro-batch's {@link MicroBatchGradient}. The
 * driver side is {@link MicroBatchFold}; a {@link TrainingStep} is these two on one machine (one
 * worker per thread of the trainer's pool), and a distributed trainer gets the same bits by
 * running the same two pieces elsewhere:
 * <pre>{@code
 * // driver: the weights, the optimiser and the batches of the run, as Trainer.fit has them
 * ParameterSet params = config.initialParameters(arch);
 * MicroBatchFold fold = new MicroBatchFold(params, config.optimizer().create(WeightDecayMask.of(params)),
 *     config.clipGradientNorm());
 * Batcher batcher = config.batcher(train);                // per epoch e: startEpoch(e), then next(batch)
 * // per batch of n samples (x, y) at step s: learningRate = config.schedule().rate(s, totalSteps), where
 * // totalSteps = batcher.batchesPerEpoch() * config.epochs() (× ConvergenceMonitor.rateScale() if early stopping)
 * int count = MicroBatches.count(n, m);                   // m = config.microBatchSize()
 * // worker (any JVM, with the same kernels — KernelProvider.get() picks SIMD or scalar), for each k:
 * MicroBatchWorker worker = new MicroBatchWorker(arch, KernelProvider.get());   // once per JVM/thread
 * worker.loadWeights(weights);                            // params.values() of this step
 * MicroBatchGradient g = new MicroBatchGradient(params);  // or one reused per k
 * worker.compute(x, y, MicroBatches.start(k, m), MicroBatches.size(k, n, m), n, g);
 * // ship g.gradient(), g.statistics(), g.lossSum(), g.correct(), g.size() back; on the driver:
 * results[k] = new MicroBatchGradient(gradient, statistics, lossSum, correct, size);
 * fold.apply(results, count, s, learningRate);           // in micro-batch order 0 … count − 1
 * }</pre>
 * The inputs may hold the whole batch (offset = start of micro-batch k) or only the micro-batch's
 * samples (offset 0): a result depends only on the weights, the micro-batch's samples and labels,
 * the batch size n and the kernels, never on where or when it was computed. Kernels that round
 * differently (another vector width, the scalar fallback) give other bits.
 *
 * <p>Not thread-safe (one per thread); allocates nothing per call once it has seen its largest
 * micro-batch.
 */
public final class MicroBatchWorker {

  private final Network net;
  private final ParameterSet params;
  private final int inputSize;
  private final int classes;
  private final int[] correct = new int[1];
  private float[] input = new float[0];
  private float[] dz = new float[0];

  /** A worker for networks of the given architecture computing with the given kernels. */
  public MicroBatchWorker(Architecture arch, KernelProvider kernels) {
    if (arch == null || kernels == null) {
      throw new IllegalArgumentException("architecture and kernels must not be null");
    }
    this.net = new Network(arch, ParameterSet.allocate(arch.layout()), kernels);
    this.params = net.parameters();
    this.inputSize = arch.inputSize();
    this.classes = arch.classes();
  }

  /** Floats per example the network takes. */
  int inputSize() {
    return inputSize;
  }

  /** Copies the weights to train from (laid out as {@link ParameterSet#values()} of the architecture). */
  public void loadWeights(float[] values) {
    if (values == null || values.length != params.values().length) {
      throw new IllegalArgumentException("expected " + params.values().length + " weights, got "
          + (values == null ? "null" : values.length));
    }
    System.arraycopy(values, 0, params.values(), 0, values.length);
  }

  /**
   * Forward and backward in training mode over the {@code size} samples from {@code offset} of
   * inputs ([·, inputSize], as the network expects them) and labels, as micro-batch of a batch of
   * {@code batchSize} samples, with the weights last {@linkplain #loadWeights loaded}; the result
   * goes to out.
   */
  public void compute(float[] inputs, int[] labels, int offset, int size, int batchSize, MicroBatchGradient out) {
    if (size < 2 || batchSize < size) {
      throw new IllegalArgumentException("a micro-batch needs at least 2 samples (batch norm) and at most the batch's "
          + batchSize + ", got " + size);
    }
    if (offset < 0 || inputs == null || labels == null || inputs.length < (long) (offset + size) * inputSize
        || labels.length < offset + size) {
      throw new IllegalArgumentException("expected samples [" + offset + ", " + (offset + size) + ") of " + inputSize
          + " floats with their labels, got " + (inputs == null ? "null" : inputs.length + " floats") + " and "
          + (labels == null ? "null" : labels.length + " labels"));
    }
    if (out.gradient().length != params.values().length || out.statistics().length != params.statistics().length) {
      throw new IllegalArgumentException("the result holds " + out.gradient().length + " gradients and "
          + out.statistics().length + " statistics, the network has " + params.values().length + " and "
          + params.statistics().length);
    }
    reserve(size);
    System.arraycopy(inputs, offset * inputSize, input, 0, size * inputSize);
    // Statistics from zero: what batch norm leaves is then exactly this micro-batch's observation.
    Arrays.fill(params.statistics(), 0f);
    net.training(true);
    float[] logits = net.forward(input, size);
    double lossSum = CrossEntropy.lossAndGradient(logits, size, classes, labels, offset, batchSize, dz, correct);
    net.zeroGradients();
    net.backwardParameters(dz);
    System.arraycopy(net.gradients(), 0, out.gradient(), 0, out.gradient().length);
    System.arraycopy(params.statistics(), 0, out.statistics(), 0, out.statistics().length);
    out.set(lossSum, correct[0], size);
  }

  /** Copies a model's weights and running statistics for {@link #evaluate} (evaluation mode). */
  void loadModel(ParameterSet source) {
    System.arraycopy(source.values(), 0, params.values(), 0, source.values().length);
    System.arraycopy(source.statistics(), 0, params.statistics(), 0, source.statistics().length);
  }

  /**
   * Evaluation mode over examples [start, start + n) of data, with the model last
   * {@linkplain #loadModel loaded}: per-example loss and argmax prediction at the same indices
   * (labels: the data's, fetched once by the caller since {@link Dataset#labels()} copies).
   */
  void evaluate(Dataset data, int[] labels, int start, int n, double[] loss, int[] prediction) {
    reserve(n);
    for (int s = 0; s < n; s++) {
      data.copyExample(start + s, input, s * inputSize);
    }
    net.training(false);
    float[] logits = net.forward(input, n);
    CrossEntropy.lossAndPrediction(logits, n, classes, labels, start, loss, prediction, start);
  }

  private void reserve(int n) {
    if (input.length < n * inputSize) {
      input = new float[n * inputSize];
      dz = new float[n * classes];
      net.reserve(n);
    }
  }
}
