/**
 * Layers, residual shrinkage units, the paper's networks, safetensors checkpoints and inference.
 *
 * <p>{@code drsn.nn}: architectures, networks, parameters, checkpoints, models and predictors;
 * {@code drsn.nn.layer}: the layers and units networks are built from. Internal:
 * {@code drsn.nn.internal} (the JSON parser and writer, a temporary convolution), exported only to
 * drsn.train and drsn.cli so that the whole project has one JSON implementation.
 */
module drsn.nn {
  requires transitive drsn.tensor;

  exports drsn.nn;
  exports drsn.nn.layer;
  // The one JSON parser and writer, shared with the modules that need it rather than made API.
  exports drsn.nn.internal to drsn.train, drsn.cli;
}
