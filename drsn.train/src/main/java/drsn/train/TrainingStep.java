package drsn.train;

import drsn.nn.Architecture;
import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import drsn.train.internal.DataParallel;
import java.util.concurrent.ForkJoinPool;

/**
 * One optimisation step over a batch, on a {@link Trainer}'s pool: deterministic parallel forward
 * and backward over fixed micro-batches, checks for NaN/Inf, optional gradient clipping, the
 * optimiser's update and the merge of the batch-norm running statistics. {@link Trainer#fit} runs
 * these in its epochs; benchmarks and custom loops can drive one directly (see
 * {@link Trainer#newStep}). Not thread-safe; allocates nothing per step once warm.
 */
public final class TrainingStep {

  private final ParameterSet master;
  private final Optimizer optimizer;
  private final double clipNorm;
  private final DataParallel engine;
  private final float[] grad;

  TrainingStep(Architecture arch, ParameterSet master, Optimizer optimizer, TrainingConfig config,
               ForkJoinPool pool) {
    if (!master.specs().equals(arch.layout())) {
      throw new IllegalArgumentException("parameters do not follow the architecture's layout");
    }
    this.master = master;
    this.optimizer = optimizer;
    this.clipNorm = config.clipGradientNorm();
    this.engine = new DataParallel(arch, master, config.kernels(), pool, config.microBatchSize());
    this.grad = engine.gradient();
  }

  /** The parameters this step trains (live; updated by every {@link #run}). */
  public ParameterSet parameters() {
    return master;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Trains on n samples (inputs [n, C, H, W] laid out as the network expects, labels [n]) at the
   * given learning rate; {@code step} only labels error messages. A NaN or infinite loss,
   * gradient or updated parameter throws {@link TrainingDivergedException} naming the step and
   * the first offending parameter; in that case neither weights nor statistics are changed,
   * except for an update that itself produced non-finite weights.
   */
  public void run(float[] inputs, int[] labels, int n, long step, double learningRate) {
    if (!(learningRate >= 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate
          + " at step " + step);
    }
    engine.computeGradients(inputs, labels, n);
    double loss = engine.lastLoss();
    int bad = firstNonFinite(grad);
    if (bad >= 0 || !Double.isFinite(loss)) {
      String name = bad >= 0 ? nameAt(master, bad) : null;
      throw new TrainingDivergedException("training diverged at step " + step + ": loss " + loss
          + (bad >= 0 ? ", first non-finite gradient in " + name + " (value " + grad[bad] + ")" : ", gradients finite"),
          step, name);
    }
    clip(grad);
    optimizer.step(master.values(), grad, learningRate);
    bad = firstNonFinite(master.values());
    if (bad >= 0) {
      String name = nameAt(master, bad);
      throw new TrainingDivergedException("training diverged at step " + step + ": parameter " + name + " became "
          + master.values()[bad] + " after the update at learning rate " + learningRate + " (loss " + loss + ")",
          step, name);
    }
    engine.mergeStatistics();
  }

  /** Mean loss of the last batch. */
  public double loss() {
    return engine.lastLoss();
  }

  /** Sum of the per-sample losses of the last batch. */
  public double lossSum() {
    return engine.lastLossSum();
  }

  /** Correct predictions (training mode) in the last batch. */
  public int correct() {
    return engine.lastCorrect();
  }

  DataParallel engine() {
    return engine;
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

  static int firstNonFinite(float[] a) {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The name of the trainable tensor holding flat index i. */
  static String nameAt(ParameterSet p, int i) {
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
