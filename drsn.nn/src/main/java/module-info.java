/** Layers, residual shrinkage units, the paper's networks, checkpoints and inference. */
module drsn.nn {
  requires transitive drsn.tensor;

  // exports drsn.nn; (once the package has its first class)
}
