package drsn.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which optimiser to train with and its hyper-parameters (the learning rate comes from the
 * {@link LearningRateSchedule}). Weight decay applies to convolution and fully connected weights
 * only, never to biases or batch-norm parameters (see {@link WeightDecayMask}).
 *
 * <ul>
 *   <li>{@link #sgd}: PyTorch's {@code SGD(momentum, dampening=0, weight_decay, nesterov)} — the
 *       paper's setting is momentum 0.9 and weight decay 1e-4 (L2 added to the gradient);</li>
 *   <li>{@link #adam}: PyTorch's {@code Adam} with L2 weight decay added to the gradient;</li>
 *   <li>{@link #adamW}: PyTorch's {@code AdamW}, decoupled decay w ← w·(1 − lr·λ).</li>
 * </ul>
 *
 * @param kind        the algorithm
 * @param momentum    SGD momentum μ (0 for plain SGD)
 * @param nesterov    SGD Nesterov momentum
 * @param beta1       Adam β1
 * @param beta2       Adam β2
 * @param epsilon     Adam ε
 * @param weightDecay weight decay λ ≥ 0
 */
public record OptimizerSettings(Kind kind, double momentum, boolean nesterov, double beta1, double beta2,
                                double epsilon, double weightDecay) {

  /** The optimisation algorithms. */
  public enum Kind { SGD, ADAM, ADAMW }

  public OptimizerSettings {
    if (kind == null) {
      throw new IllegalArgumentException("optimiser kind must not be null");
    }
    check("momentum", momentum, 0, 1, true);
    check("beta1", beta1, 0, 1, true);
    check("beta2", beta2, 0, 1, true);
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
    }
    if (nesterov && (kind != Kind.SGD || momentum == 0)) {
      throw new IllegalArgumentException("Nesterov momentum needs SGD with momentum > 0, got " + kind
          + " with momentum " + momentum);
    }
  }

  private static void check(String name, double v, double lo, double hi, boolean openHigh) {
    if (!(v >= lo) || !(openHigh ? v < hi : v <= hi)) {
      throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + (openHigh ? ")" : "]")
          + ", got " + v);
    }
  }

  /** SGD with momentum (dampening 0), optionally Nesterov, L2 weight decay. */
  public static OptimizerSettings sgd(double momentum, boolean nesterov, double weightDecay) {
    return new OptimizerSettings(Kind.SGD, momentum, nesterov, 0.9, 0.999, 1e-8, weightDecay);
  }

  /** The paper's optimiser: SGD, momentum 0.9, weight decay 1e-4. */
  public static OptimizerSettings paper() {
    return sgd(0.9, false, 1e-4);
  }

  /** Adam with L2 weight decay added to the gradient. */
  public static OptimizerSettings adam(double beta1, double beta2, double epsilon, double weightDecay) {
    return new OptimizerSettings(Kind.ADAM, 0, false, beta1, beta2, epsilon, weightDecay);
  }

  /** Adam with PyTorch's defaults (β = 0.9, 0.999; ε = 1e-8) and no weight decay. */
  public static OptimizerSettings adam() {
    return adam(0.9, 0.999, 1e-8, 0);
  }

  /** AdamW: Adam with decoupled weight decay. */
  public static OptimizerSettings adamW(double beta1, double beta2, double epsilon, double weightDecay) {
    return new OptimizerSettings(Kind.ADAMW, 0, false, beta1, beta2, epsilon, weightDecay);
  }

  /** A fresh optimiser for parameters of this many scalars; decay applies where mask is true. */
  public Optimizer create(boolean[] decayMask) {
    if (decayMask == null) {
      throw new IllegalArgumentException("decay mask must not be null");
    }
    return switch (kind) {
      case SGD -> new Sgd(this, decayMask);
      case ADAM, ADAMW -> new Adam(this, decayMask);
    };
  }

  /** The settings as string key/values (for checkpoints; doubles round-trip exactly). */
  Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("drsn.train.optimizer", kind.name().toLowerCase(Locale.ROOT));
    m.put("drsn.train.momentum", Double.toString(momentum));
    m.put("drsn.train.nesterov", Boolean.toString(nesterov));
    m.put("drsn.train.beta1", Double.toString(beta1));
    m.put("drsn.train.beta2", Double.toString(beta2));
    m.put("drsn.train.epsilon", Double.toString(epsilon));
    m.put("drsn.train.weight_decay", Double.toString(weightDecay));
    return m;
  }
}
