package drsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CwruFileTest {

  @Test
  void parsesTheOriginalFileNames() {
    var n = CwruFile.parse("normal_0_97.mat").orElseThrow();
    assertEquals(FaultLocation.NONE, n.location());
    assertEquals(48_000, n.sampleRate());
    assertEquals("normal", n.className());
    assertEquals("X097_DE_time", n.driveEndVariable());
    var ir = CwruFile.parse("12k_Drive_End_IR014_0_169.mat").orElseThrow();
    assertEquals(FaultLocation.INNER_RACE, ir.location());
    assertEquals(14, ir.faultMils());
    assertEquals(12_000, ir.sampleRate());
    assertEquals("inner_race_014", ir.className());
    assertEquals("X169_DE_time", ir.driveEndVariable());
    var or = CwruFile.parse("12k_Drive_End_OR021@6_0_234.mat").orElseThrow();
    assertEquals(FaultLocation.OUTER_RACE, or.location());
    assertEquals("outer_race_021", or.className());
    assertEquals("ball_007", CwruFile.parse("12k_Drive_End_B007_0_118.mat").orElseThrow().className());
    assertTrue(CwruFile.parse("notes.txt").isEmpty());
    assertTrue(CwruFile.parse("12k_Drive_End_XX007_0_1.mat").isEmpty());
  }

  @Test
  void theSharedFolderHoldsTheTenClasses() throws IOException {
    var dir = SharedData.require("cwru");
    var classes = new TreeSet<String>();
    try (var files = Files.list(dir)) {
      files.forEach(p -> CwruFile.parse(p.getFileName().toString()).ifPresent(f -> classes.add(f.className())));
    }
    assertEquals(10, classes.size(), classes.toString());
  }
}
