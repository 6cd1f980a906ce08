package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import drsn.tensor.KernelProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every SIMD kernel compiles at tier 3 (C1 with profiling, the tier a method passes through on its
 * way to C2). A method that tier 3 cannot compile (too large: "out of virtual registers in linear
 * scan") may never reach C2 where it is called seldom, as the GEMM's 12-row tile under the FC
 * layers of a batch-128 forward did: it stayed in the interpreter, where every vector operation
 * allocates, 16 MB per forward and backward of the paper's network, with no other test failing.
 * A child JVM compiles each method that {@link KernelTour} calls at tier 3 ({@code -Xcomp
 * -XX:TieredStopAtLevel=3}; tier 1 compiled that method) and must report no drsn method skipped.
 */
class TieredKernelsTest {

  @Test
  void everyKernelCompilesAtTierThree() throws Exception {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xcomp", "-XX:TieredStopAtLevel=3",
        "-XX:+PrintCompilation", "-XX:CompileCommand=quiet", "-XX:CompileOnly=drsn.tensor.*::*",
        "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        KernelTour.class.getName());
    pb.redirectErrorStream(true);
    Process proc = pb.start();
    byte[] out = proc.getInputStream().readAllBytes();
    if (!proc.waitFor(120, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 120 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, proc.exitValue(), () -> "child JVM exit status; its output:\n" + text);
    List<String> compiled = text.lines().filter(l -> l.contains("drsn.tensor.simd.")).toList();
    assertTrue(compiled.stream().anyMatch(l -> l.contains("PanamaGemm::microKernel12")),
        () -> "the tour did not reach the 12-row GEMM tile; compiled:\n" + String.join("\n", compiled));
    assertTrue(compiled.stream().anyMatch(l -> l.contains("DirectConvolution::forwardRow8Wide")),
        "the tour did not reach the 8-channel convolution blocks");
    List<String> skipped = compiled.stream().filter(l -> l.contains("COMPILE SKIPPED")).toList();
    assertTrue(skipped.isEmpty(), () -> "not compilable at tier 3:\n" + String.join("\n", skipped));
  }
}
