package drsn.tensor;

import drsn.tensor.internal.ProviderSelection;
import java.util.Optional;

/**
 * The compute kernels of this JVM: one implementation on the Java Vector API (SIMD) and a plain
 * scalar one, behind the same interfaces, in the manner of Apache Lucene's vectorization provider.
 *
 * <p>{@link #get()} chooses once per JVM: the SIMD kernels when the module
 * {@code jdk.incubator.vector} is in the boot layer (start the JVM with
 * {@code --add-modules jdk.incubator.vector}; the drsn app's image does this) and the C2 compiler
 * is enabled; otherwise the scalar kernels, with one warning through {@link System.Logger} that
 * says how to enable SIMD. The system property {@code -Ddrsn.simd=false} forces the scalar path.
 */
public interface KernelProvider {

  /** The provider chosen for this JVM. */
  static KernelProvider get() {
    return ProviderSelection.chosen();
  }

  /** The scalar kernels, always available. */
  static KernelProvider scalar() {
    return ProviderSelection.scalar();
  }

  /** The SIMD kernels, if the Vector API is usable in this JVM (regardless of {@code drsn.simd}). */
  static Optional<KernelProvider> simd() {
    return ProviderSelection.simd();
  }

  /** A short name for logs and benchmark reports, such as {@code "scalar"} or {@code "simd-512"}. */
  String name();

  /** True for the Vector API implementation. */
  boolean isSimd();

  Gemm gemm();

  Convolution convolution();

  SoftThreshold softThreshold();

  Reductions reductions();

  Elementwise elementwise();
}
