/**
 * Layers, residual shrinkage units, the paper's networks, safetensors checkpoints and inference.
 *
 * <p>{@code drsn.nn}: architectures and their network plans, networks, parameters, checkpoints,
 * models and predictors. Internal: {@code drsn.nn.layer} (the computing layers and units a
 * {@link drsn.nn.Network} is composed of from its {@link drsn.nn.NetworkPlan}) and
 * {@code drsn.nn.internal} (the JSON parser and writer, the safetensors reader and writer, atomic
 * file writes, the softmax cross-entropy), exported only to the modules of this project that need
 * them, so that the whole project has one implementation of each; {@code drsn.nn.onnx} (ONNX
 * export, over the network plan), exported only to drsn.cli.
 */
module drsn.nn {
  requires transitive drsn.tensor;

  exports drsn.nn;
  // The layers are not an extension point (a network is what its plan describes); drsn.train's
  // micro-batch fold merges running statistics through BatchNorm's one update rule.
  exports drsn.nn.layer to drsn.train;
  // The one JSON and safetensors implementation, shared with the modules that need it rather than made API.
  exports drsn.nn.internal to drsn.train, drsn.cli;
  // ONNX export, for the CLI's export command (the bench reaches it on the class path).
  exports drsn.nn.onnx to drsn.cli;
}
