/**
 * An example of embedding drsn: a small program that loads a model and classifies signals, linked
 * with only the modules it needs (drsn.nn, which brings drsn.tensor) into its own runtime image.
 */
module drsn.example.classify {
  requires drsn.nn;
}
