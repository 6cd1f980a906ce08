/**
 * Layers, residual shrinkage units, the paper's networks, safetensors checkpoints and inference.
 *
 * <p>{@code drsn.nn}: architectures, networks, parameters, checkpoints, models and predictors;
 * {@code drsn.nn.layer}: the layers and units networks are built from. Internal:
 * {@code drsn.nn.internal} (the JSON parser and writer, the safetensors writer and reader, atomic
 * file writes, the softmax cross-entropy), exported only to drsn.train and drsn.cli so that the
 * whole project has one implementation of each; {@code drsn.nn.onnx} (ONNX export), exported only
 * to drsn.cli.
 */
module drsn.nn {
  requires transitive drsn.tensor;

  exports drsn.nn;
  exports drsn.nn.layer;
  // The one JSON and safetensors implementation, shared with the modules that need it rather than made API.
  exports drsn.nn.internal to drsn.train, drsn.cli;
  // ONNX export, for the CLI's export command (the bench reaches it on the class path).
  exports drsn.nn.onnx to drsn.cli;
}
