package drsn.tensor.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The Vector API is only fast when C2 compiles it; under the interpreter or C1 alone it is far
 * slower than plain scalar code. This looks for the usual ways C2 gets switched off: the JVM's own
 * description of its mode, then the options on its command line and in the environment variables
 * the launcher reads (through {@link ProcessHandle}, so no management module is needed in a
 * trimmed runtime image).
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
    return problemIn(jvmOptions());
  }

  /** The reason found in a list of JVM options, or null. */
  static String problemIn(List<String> options) {
    for (String a : options) {
      if (a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
        return "C2 is disabled by " + a;
      }
      if (a.equals("-XX:-UseCompiler") || a.equals("-Xint")) {
        return "the JIT compiler is disabled by " + a;
      }
    }
    return null;
  }

  private static List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    for (String env : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
      String v = System.getenv(env);
      if (v != null) {
        options.addAll(List.of(v.trim().split("\\s+")));
      }
    }
    try {
      ProcessHandle.current().info().arguments().ifPresent(args -> options.addAll(List.of(args)));
    } catch (RuntimeException e) {
      // Not available on this platform: rely on java.vm.info alone.
    }
    return options;
  }
}
