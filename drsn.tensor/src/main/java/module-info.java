/**
 * Tensors and the compute kernels everything else in drsn is built from.
 *
 * <p>The kernels come in two implementations behind one set of interfaces: a plain scalar one
 * that runs everywhere, and one on the Java Vector API (incubating). {@link drsn.tensor.KernelProvider#get()}
 * picks one once per JVM; see its documentation for how to enable SIMD.
 */
module drsn.tensor {
  // Optional at run time: without it the scalar kernels are used.
  requires static jdk.incubator.vector;

  exports drsn.tensor;
}
