package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression is bounded per file and per data set load, and compressed variables nobody reads
 * are not inflated beyond their header.
 */
class MatInflationLimitTest {

  /** A compressed double column of n zeros (inflates to 8n bytes from a few hundred). */
  static byte[] decoy(MatWriter w, String name, int n) {
    return w.compressed(w.matrix(name, new int[] {n, 1}, 6, 9, new double[n], null, false));
  }

  static double[] ramp(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i * 0.25;
    }
    return v;
  }

  @Test
  void unreadVariablesAreNotInflated(@TempDir Path dir) throws Exception {
    MatWriter w = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    int decoyValues = 1 << 20; // 8 MiB each when inflated
    for (int i = 0; i < 4; i++) {
      w.add(decoy(w, "decoy" + i, decoyValues));
    }
    double[] wanted = ramp(1000);
    w.add(w.compressed(w.matrix("X097_DE_time", new int[] {1000, 1}, 6, 9, wanted, null, false)));
    Path file = dir.resolve("decoys.mat");
    Files.write(file, w.toBytes());

    InflateBudget budget = InflateBudget.forLoad();
    MatFile mat = MatFile.open(file, budget);
    assertEquals(5, mat.variables().size(), "every variable is listed");
    long afterOpen = budget.used();
    assertTrue(afterOpen <= 5 * 512, "opening inflates only the heads, got " + afterOpen + " bytes");
    assertArrayEquals(wanted, mat.readBySuffix("_DE_time").data());
    long afterRead = budget.used() - afterOpen;
    assertTrue(afterRead < 8 * 1000 + 1024, "reading inflates only the wanted variable, got " + afterRead);
    // The decoys are still readable on request (nothing was lost by deferring them).
    assertEquals(decoyValues, mat.read("decoy2").data().length);
  }

  @Test
  void perFileAndPerLoadLimitsAreEnforcedWithTheirNames(@TempDir Path dir) throws Exception {
    MatWriter w = new MatWriter(ByteOrder.LITTLE_ENDIAN);
    w.add(decoy(w, "big", 1 << 18)); // 2 MiB inflated
    Path file = dir.resolve("big.mat");
    Files.write(file, w.toBytes());
    assertTrue(Files.size(file) < 64 << 10, "the crafted file is small: " + Files.size(file));

    String perFile = Limits.MAT_INFLATED_PER_FILE.property();
    String perLoad = Limits.MAT_INFLATED_PER_LOAD.property();
    System.setProperty(perFile, Long.toString(1 << 20));
    try {
      MatFile mat = MatFile.open(file);
      SignalFormatException e = assertThrows(SignalFormatException.class, () -> mat.read("big"));
      assertTrue(e.getMessage().contains(perFile), e.getMessage());
    } finally {
      System.clearProperty(perFile);
    }

    // Three files each within the per-file limit exceed a per-load budget of 5 MiB together.
    System.setProperty(perLoad, Long.toString(5 << 20));
    try {
      InflateBudget load = InflateBudget.forLoad();
      MatFile.open(file, load).read("big");
      MatFile.open(file, load).read("big");
      SignalFormatException e = assertThrows(SignalFormatException.class,
          () -> MatFile.open(file, load).read("big"));
      assertTrue(e.getMessage().contains(perLoad), e.getMessage());
      assertTrue(load.used() <= (5 << 20) + (1 << 20), "stops soon after the limit: " + load.used());
    } finally {
      System.clearProperty(perLoad);
    }
  }
}
