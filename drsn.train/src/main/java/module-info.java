/**
 * Training, optimisers and deterministic fork-join data parallelism.
 *
 * <p>{@code drsn.train}: {@link drsn.train.Trainer}, its configuration, optimisers, schedules,
 * metrics, listeners and checkpoints. Internal (not exported): {@code drsn.train.internal}
 * (data-parallel engine, safetensors for training state; JSON comes from drsn.nn.internal).
 */
module drsn.train {
  requires transitive drsn.nn;
  requires transitive drsn.data;

  exports drsn.train;
}
