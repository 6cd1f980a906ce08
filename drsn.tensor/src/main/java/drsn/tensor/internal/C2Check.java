package drsn.tensor.internal;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The Vector API is only fast when C2 compiles it; under the interpreter or C1 alone it is far
 * slower than plain scalar code. This looks for the usual ways C2 gets switched off.
 */
final class C2Check {

  private C2Check() {
  }

  /** A reason SIMD should not be used, or null when C2 appears to be available. */
  static String problem() {
    String vmInfo = System.getProperty("java.vm.info", "");
    if (vmInfo.contains("interpreted mode")) {
      return "the JVM runs in interpreted mode (-Xint)";
    }
    try {
      if (ModuleLayer.boot().findModule("java.management").isEmpty()) {
        return null;
      }
      List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
      for (String a : args) {
        if (a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
          return "C2 is disabled by " + a;
        }
        if (a.equals("-XX:-UseCompiler") || a.equals("-Xint")) {
          return "the JIT compiler is disabled by " + a;
        }
      }
    } catch (LinkageError | RuntimeException e) {
      // Management classes absent from a trimmed runtime image: assume C2 is there.
    }
    return null;
  }
}
