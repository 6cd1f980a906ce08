package drsn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for a child JVM on this test's class path (the worst cases run with a small heap). */
final class ChildJvm {

  private ChildJvm() {
  }

  /** java -Xmx{heapMb}m [jvmArgs] -cp (this class path) mainClass args. */
  static List<String> command(int heapMb, List<String> jvmArgs, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-XX:TieredStopAtLevel=1"); // short runs: C1 starts fastest
    cmd.add("-Xshare:auto");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }
}
