package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import drsn.tensor.KernelProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Training is bit-identical on any thread count only if a kernel gives the same bits whether it
 * runs interpreted or compiled: which micro-batch happens to run before C2 has compiled a kernel
 * depends on timing. This compares the SIMD kernels' results after warm-up (C2) with those of a
 * child JVM that only interprets (-Xint).
 */
class ExecutionModeDeterminismTest {

  @Test
  void simdKernelsGiveTheSameBitsInterpretedAndCompiled() throws Exception {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    KernelProvider simd = KernelProvider.simd().get();
    List<Integer> compiled = null;
    for (int i = 0; i < 3000; i++) { // enough calls for C2 to compile the kernels' loops
      compiled = KernelFingerprint.of(simd);
    }
    List<Integer> interpreted = interpretedFingerprint();
    assertEquals(compiled.size(), interpreted.size(), "fingerprint length");
    for (int i = 0; i < compiled.size(); i++) {
      assertEquals(Integer.toHexString(compiled.get(i)), Integer.toHexString(interpreted.get(i)),
          "result " + i + " differs between the compiled and the interpreted kernels");
    }
  }

  private static List<Integer> interpretedFingerprint() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), KernelFingerprint.class.getName());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process proc = pb.start();
    byte[] stdout = proc.getInputStream().readAllBytes();
    if (!proc.waitFor(120, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      throw new AssertionError("the interpreted child JVM did not finish in 120 s");
    }
    assertEquals(0, proc.exitValue(), "child JVM exit status");
    List<Integer> bits = new ArrayList<>();
    for (String line : new String(stdout, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        bits.add(Integer.parseUnsignedInt(line.trim(), 16));
      }
    }
    return bits;
  }
}
