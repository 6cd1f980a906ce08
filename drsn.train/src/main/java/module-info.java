/**
 * Training, optimisers and deterministic fork-join data parallelism.
 *
 * <p>{@code drsn.train}: {@link drsn.train.Trainer}, its configuration, optimisers, schedules,
 * metrics, listeners and checkpoints, and the training step's public pieces (micro-batch worker
 * and fold) for distributed trainers. Internal (package-private): the data-parallel jobs, the run
 * state and the training-state file. The cross-entropy, JSON and safetensors come from
 * drsn.nn.internal.
 */
module drsn.train {
  requires transitive drsn.nn;
  requires transitive drsn.data;

  exports drsn.train;
}
