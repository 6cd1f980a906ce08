package drsn.bench;

import drsn.tensor.KernelProvider;

/** Resolves a benchmark's {@code path} parameter to a kernel provider. */
final class Providers {

  private Providers() {
  }

  static KernelProvider byName(String path) {
    return switch (path) {
      case "scalar" -> KernelProvider.scalar();
      case "simd" -> KernelProvider.simd().orElseThrow(() -> new IllegalStateException(
          "SIMD kernels unavailable: run the fork with --add-modules jdk.incubator.vector"));
      default -> throw new IllegalArgumentException("path must be simd or scalar, got " + path);
    };
  }
}
