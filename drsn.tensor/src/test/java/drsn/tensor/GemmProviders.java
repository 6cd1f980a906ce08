package drsn.tensor;

import java.util.ArrayList;
import java.util.List;

/** The SGEMM implementations available in this test JVM, for tests that hold for every one. */
final class GemmProviders {

  private GemmProviders() {
  }

  static List<KernelProvider> all() {
    List<KernelProvider> all = new ArrayList<>();
    all.add(KernelProvider.scalar());
    KernelProvider.simd().ifPresent(all::add);
    return all;
  }

  /** Float lanes of the SIMD provider, from its name ("simd-512" is 16 lanes); 8 without SIMD. */
  static int lanes() {
    return KernelProvider.simd()
        .map(p -> Integer.parseInt(p.name().substring("simd-".length())) / Float.SIZE)
        .orElse(8);
  }
}
