package drsn.train;

import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import drsn.nn.layer.BatchNorm;
import java.util.Arrays;

/**
 * The driver side of a training step: folds the {@link MicroBatchGradient}s of one batch in
 * micro-batch order and updates the parameters it owns:
 * <pre>
 *   gradient      = Σ_k g_k                        (k = 0, 1, …; g_k already carries the factor 1/B)
 *   loss          = Σ_k lossSum_k / B,   B = Σ_k n_k
 *   check loss and gradient finite → clip (optional) → optimiser step → check weights finite
 *   running stats = (1 − momentum)·running + Σ_k (n_k/B)·observed_k     (ghost batch norm)
 * </pre>
 * The sums run in a fixed order, so the result is the same bits wherever and in whatever order
 * the micro-batches were computed. {@link TrainingStep} is a {@link MicroBatchWorker} per thread
 * plus one of these; a distributed trainer that computes the micro-batches elsewhere and folds
 * them here gets bit-identical weights (see {@link MicroBatchWorker} for the recipe). Not
 * thread-safe; allocates nothing per step once it has seen its largest micro-batch count.
 */
public final class MicroBatchFold {

  private final ParameterSet master;
  private final Optimizer optimizer;
  private final double clipNorm;
  private final float[] gradient;
  private float[][] observed = new float[0][];
  private double[] shares = new double[0];
  private double lossSum;
  private int correct;
  private int samples;

  /**
   * A fold that trains master in place with the given optimiser (created for master's layout, for
   * example {@code settings.create(WeightDecayMask.of(master))}, or restored from a checkpoint),
   * clipping the gradient's global L2 norm to clipNorm when clipNorm > 0.
   */
  public MicroBatchFold(ParameterSet master, Optimizer optimizer, double clipNorm) {
    if (master == null || optimizer == null) {
      throw new IllegalArgumentException("parameters and optimiser must not be null");
    }
    if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
      throw new IllegalArgumentException("gradient clipping norm must be finite and >= 0 (0 = off), got " + clipNorm);
    }
    this.master = master;
    this.optimizer = optimizer;
    this.clipNorm = clipNorm;
    this.gradient = new float[master.values().length];
  }

  /** The parameters this fold trains (live; updated by every {@link #apply}). */
  public ParameterSet parameters() {
    return master;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * One optimisation step from the results of micro-batches 0 … count − 1 of a batch (results[k]
   * being micro-batch k's) at the given learning rate; {@code step} only labels error messages. A
   * NaN or infinite loss, gradient or updated parameter throws {@link TrainingDivergedException}
   * naming the step and the first offending parameter; in that case neither weights nor
   * statistics are changed, except for an update that itself produced non-finite weights.
   */
  public void apply(MicroBatchGradient[] results, int count, long step, double learningRate) {
    checkRate(learningRate, step);
    if (results == null || count < 1 || count > results.length) {
      throw new IllegalArgumentException("expected the results of 1 to " + (results == null ? 0 : results.length)
          + " micro-batches, got " + count);
    }
    fold(results, count);
    double loss = loss();
    int bad = firstNonFinite(gradient);
    if (bad >= 0 || !Double.isFinite(loss)) {
      String name = bad >= 0 ? nameAt(master, bad) : null;
      throw new TrainingDivergedException("training diverged at step " + step + ": loss " + loss
          + (bad >= 0 ? ", first non-finite gradient in " + name + " (value " + gradient[bad] + ")"
          : ", gradients finite"), step, name);
    }
    clip(gradient);
    optimizer.step(master.values(), gradient, learningRate);
    bad = firstNonFinite(master.values());
    if (bad >= 0) {
      String name = nameAt(master, bad);
      throw new TrainingDivergedException("training diverged at step " + step + ": parameter " + name + " became "
          + master.values()[bad] + " after the update at learning rate " + learningRate + " (loss " + loss + ")",
          step, name);
    }
    for (int k = 0; k < count; k++) {
      shares[k] = (double) results[k].size() / samples;
    }
    BatchNorm.mergeRunningStatistics(master.statistics(), observed, shares, count);
  }

  /** Mean loss of the last batch. */
  public double loss() {
    return lossSum / samples;
  }

  /** Sum of the per-sample losses of the last batch. */
  public double lossSum() {
    return lossSum;
  }

  /** Correct predictions (training mode) in the last batch. */
  public int correct() {
    return correct;
  }

  /** Samples in the last batch. */
  public int samples() {
    return samples;
  }

  static void checkRate(double learningRate, long step) {
    if (!(learningRate >= 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate
          + " at step " + step);
    }
  }

  /** Sums gradients, losses and counts in micro-batch order; gathers the observations to merge. */
  private void fold(MicroBatchGradient[] results, int count) {
    if (observed.length < count) {
      observed = new float[count][];
      shares = new double[count];
    }
    double loss = 0;
    int right = 0;
    int n = 0;
    for (int k = 0; k < count; k++) {
      MicroBatchGradient r = results[k];
      if (r.gradient().length != gradient.length || r.statistics().length != master.statistics().length) {
        throw new IllegalArgumentException("micro-batch " + k + " holds " + r.gradient().length + " gradients and "
            + r.statistics().length + " statistics, the parameters have " + gradient.length + " and "
            + master.statistics().length);
      }
      if (r.size() < 1) {
        throw new IllegalArgumentException("micro-batch " + k + " is empty");
      }
      if (k == 0) {
        System.arraycopy(r.gradient(), 0, gradient, 0, gradient.length);
      } else {
        float[] g = r.gradient();
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] += g[i];
        }
      }
      loss += r.lossSum();
      right += r.correct();
      n += r.size();
      observed[k] = r.statistics();
    }
    lossSum = loss;
    correct = right;
    samples = n;
  }

  /** Global L2-norm clipping as PyTorch's clip_grad_norm_: g ← g·max/(‖g‖ + 1e-6) when ‖g‖ > max. */
  private void clip(float[] g) {
    if (clipNorm <= 0) {
      return;
    }
    double sq = 0;
    for (float v : g) {
      sq += (double) v * v;
    }
    double norm = Math.sqrt(sq);
    if (norm > clipNorm) {
      float scale = (float) (clipNorm / (norm + 1e-6));
      for (int i = 0; i < g.length; i++) {
        g[i] *= scale;
      }
    }
  }

  private static int firstNonFinite(float[] a) {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The name of the trainable tensor holding flat index i. */
  private static String nameAt(ParameterSet p, int i) {
    for (TensorSpec spec : p.specs()) {
      if (spec.kind() != TensorSpec.Kind.TRAINABLE) {
        continue;
      }
      ParameterSet.Slot s = p.slot(spec.name());
      if (i >= s.offset() && i < s.offset() + s.size()) {
        return spec.name();
      }
    }
    return "#" + i;
  }
}
