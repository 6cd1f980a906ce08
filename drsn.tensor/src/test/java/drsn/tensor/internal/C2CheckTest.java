package drsn.tensor.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SIMD is refused when the options switch C2 off, and only then. */
class C2CheckTest {

  @Test
  void optionsThatDisableC2AreRecognised() {
    assertTrue(C2Check.problemIn(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1")).contains("TieredStopAtLevel=1"));
    assertNotNull(C2Check.problemIn(List.of("-XX:TieredStopAtLevel=3")));
    assertNotNull(C2Check.problemIn(List.of("-Xint")));
    assertNotNull(C2Check.problemIn(List.of("-XX:-UseCompiler")));
  }

  @Test
  void ordinaryOptionsAreFine() {
    assertNull(C2Check.problemIn(List.of()));
    assertNull(C2Check.problemIn(List.of("-XX:TieredStopAtLevel=4", "--add-modules", "jdk.incubator.vector")));
    assertNull(C2Check.problemIn(List.of("-XX:+UseParallelGC", "-Xss4m")));
  }

  @Test
  void thisTestJvmHasC2() {
    assertNull(C2Check.problem(), "the test JVMs run with C2");
  }
}
