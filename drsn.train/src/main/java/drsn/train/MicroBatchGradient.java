package drsn.train;

import drsn.nn.ParameterSet;
import java.io.Serial;
import java.io.Serializable;

/**
 * What one micro-batch of a training batch contributes to a step, as plain arrays so that it can
 * be computed in another JVM and shipped back: the gradient of the <em>batch's</em> mean loss
 * restricted to this micro-batch's samples (already scaled by 1/B, so the batch's gradient is the
 * sum over micro-batches), the batch-norm observations (what the micro-batch's training forward
 * pass left in running statistics that started at zero), the sum of its per-sample losses, its
 * correct argmax predictions and its sample count. Written by {@link MicroBatchWorker#compute},
 * read by {@link MicroBatchFold#apply}; reused from step to step (mutable, not thread-safe).
 */
public final class MicroBatchGradient implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  private final float[] gradient;
  private final float[] statistics;
  private double lossSum;
  private int correct;
  private int size;

  /** An empty result for parameters of the given layout (one float per trainable scalar and statistic). */
  public MicroBatchGradient(ParameterSet layout) {
    this(new float[layout.values().length], new float[layout.statistics().length], 0, 0, 0);
  }

  /**
   * A result from its arrays (not copied), for example as received from a worker elsewhere:
   * gradient laid out like {@link ParameterSet#values()}, statistics like
   * {@link ParameterSet#statistics()}.
   */
  public MicroBatchGradient(float[] gradient, float[] statistics, double lossSum, int correct, int size) {
    if (gradient == null || statistics == null) {
      throw new IllegalArgumentException("gradient and statistics must not be null");
    }
    if (size < 0 || correct < 0 || correct > size) {
      throw new IllegalArgumentException("a micro-batch of " + size + " samples cannot have " + correct
          + " correct predictions");
    }
    this.gradient = gradient;
    this.statistics = statistics;
    this.lossSum = lossSum;
    this.correct = correct;
    this.size = size;
  }

  /** ∂(batch mean loss)/∂θ from this micro-batch's samples (live array). */
  public float[] gradient() {
    return gradient;
  }

  /**
   * The batch-norm observations of this micro-batch (live array; merged by batch norm's
   * {@code mergeRunningStatistics} in drsn.nn).
   */
  public float[] statistics() {
    return statistics;
  }

  /** Σ of the per-sample cross-entropy losses of this micro-batch. */
  public double lossSum() {
    return lossSum;
  }

  /** Samples of this micro-batch whose argmax (training mode) was the label. */
  public int correct() {
    return correct;
  }

  /** Samples in this micro-batch. */
  public int size() {
    return size;
  }

  void set(double lossSum, int correct, int size) {
    this.lossSum = lossSum;
    this.correct = correct;
    this.size = size;
  }
}
