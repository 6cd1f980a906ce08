package drsn.nn;

import drsn.tensor.KernelProvider;

/**
 * A trained network as an immutable value: its architecture and a private copy of its
 * parameters. Share it freely; build a {@link Predictor} for inference, or a fresh trainable
 * {@link Network} (with its own copy) to continue training.
 */
public final class Model {

  private final Architecture arch;
  private final ParameterSet params;

  /** Takes ownership of params (callers pass a copy). */
  Model(Architecture arch, ParameterSet params) {
    if (!params.specs().equals(arch.layout())) {
      throw new IllegalArgumentException("parameters do not follow the architecture's layout");
    }
    this.arch = arch;
    this.params = params;
  }

  /** A model from parameters that follow the architecture's layout (copied). */
  public static Model of(Architecture arch, ParameterSet params) {
    return new Model(arch, params.copy());
  }

  public Architecture architecture() {
    return arch;
  }

  /** Trainable parameter count (running statistics not counted). */
  public int parameterCount() {
    return params.trainableCount();
  }

  /** A copy of one named tensor, such as {@code "units.0.conv1.weight"}. */
  public float[] tensor(String name) {
    return params.copyOf(name);
  }

  /** A copy of all parameters. */
  public ParameterSet copyParameters() {
    return params.copy();
  }

  /** The live parameters, for this package's readers only (never mutated). */
  ParameterSet parameters() {
    return params;
  }

  /** A trainable network over a copy of the parameters (evaluation mode to start with). */
  public Network newNetwork(KernelProvider provider) {
    return new Network(arch, params.copy(), provider);
  }

  /** A thread-safe predictor on this JVM's kernels. */
  public Predictor predictor() {
    return new Predictor(this, KernelProvider.get());
  }

  /** A thread-safe predictor on the given kernels. */
  public Predictor predictor(KernelProvider provider) {
    return new Predictor(this, provider);
  }
}
