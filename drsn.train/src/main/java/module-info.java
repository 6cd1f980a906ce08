/** Training, optimisers and deterministic fork-join data parallelism. */
module drsn.train {
  requires transitive drsn.nn;
  requires transitive drsn.data;

  // exports drsn.train; (once the package has its first class)
}
