package drsn.train;

import java.util.Map;

/**
 * Updates parameters from their gradients, holding whatever state the algorithm needs
 * (momentum buffers, moment estimates, a step count). Created by {@link OptimizerSettings#create};
 * arrays are flat, laid out like {@code ParameterSet.values()}. Not thread-safe.
 */
public sealed interface Optimizer permits Sgd, Adam {

  /** The settings this optimiser was created with. */
  OptimizerSettings settings();

  /** One update: params ← params − step(grads) at the given learning rate. */
  void step(float[] params, float[] grads, double learningRate);

  /** Steps taken so far. */
  long steps();

  /**
   * The state buffers by name (live arrays, one float per parameter scalar), for checkpoints.
   * Together with {@link #steps()} they are the optimiser's whole state.
   */
  Map<String, float[]> state();

  /** Restores a state saved from {@link #state()} and {@link #steps()} (copied in). */
  void restore(long steps, Map<String, float[]> state);
}
