package drsn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The build runs every test twice, with and without the Vector API; check that each run gets its path. */
class KernelProviderTest {

  private static final String PATH = System.getProperty("drsn.test.path", "");

  @Test
  void providerMatchesTheTestRun() {
    KernelProvider p = KernelProvider.get();
    if (PATH.equals("simd")) {
      assertTrue(p.isSimd(), "the SIMD test run must use the Vector API kernels, got " + p.name());
      assertTrue(p.name().startsWith("simd-"), p.name());
    } else if (PATH.equals("scalar")) {
      assertFalse(p.isSimd(), "the scalar test run must use the scalar kernels, got " + p.name());
      assertTrue(KernelProvider.simd().isEmpty(), "without the incubator module SIMD must be unavailable");
    }
  }

  @Test
  void scalarIsAlwaysAvailableAndStable() {
    assertFalse(KernelProvider.scalar().isSimd());
    assertEquals("scalar", KernelProvider.scalar().name());
    assertTrue(KernelProvider.scalar() == KernelProvider.scalar(), "one instance per JVM");
  }
}
