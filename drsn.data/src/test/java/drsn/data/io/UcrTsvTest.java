package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UcrTsvTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void labelsMapToIndicesInNumericOrderKeepingTheirText() throws Exception {
    String tsv = "1\t0.5\t-0.5\n-1\t1.25\t2\n1\t3\t4\n";
    LabelledSeries s = UcrTsv.read(utf8(tsv), "x.tsv", false);
    assertEquals(List.of("-1", "1"), s.classNames());
    assertArrayEquals(new int[] {1, 0, 1}, s.labels());
    assertArrayEquals(new double[] {1.25, 2}, s.series()[1]);
    assertEquals(2, s.length());
  }

  @Test
  void pairSharesOneMappingEvenWhenAClassIsMissingFromOneSide(@TempDir Path dir) throws Exception {
    Path train = dir.resolve("A_TRAIN.tsv");
    Path test = dir.resolve("A_TEST.tsv");
    Files.writeString(train, "2\t1\t2\n3\t3\t4\n");
    Files.writeString(test, "1\t5\t6\n3\t7\t8\n");
    List<LabelledSeries> pair = UcrTsv.readPair(train, test, false);
    assertEquals(List.of("1", "2", "3"), pair.get(0).classNames());
    assertEquals(pair.get(0).classNames(), pair.get(1).classNames());
    assertArrayEquals(new int[] {1, 2}, pair.get(0).labels());
    assertArrayEquals(new int[] {0, 2}, pair.get(1).labels());
  }

  @Test
  void commaSeparatedOlderFormatIsAccepted() throws Exception {
    LabelledSeries s = UcrTsv.read(utf8("0,1,2\n1,3,4\n"), "old.csv", false);
    assertArrayEquals(new double[] {3, 4}, s.series()[1]);
  }

  @Test
  void nanIsRefusedWithLineAndColumnUnlessPaddingIsAllowed() throws Exception {
    String padded = "1\t1\t2\t3\n2\t4\tNaN\tNaN\n";
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> UcrTsv.read(utf8(padded), "p.tsv",
        false));
    assertEquals(2, e.line().orElseThrow());
    assertEquals(3, e.column().orElseThrow());
    assertTrue(e.getMessage().startsWith("p.tsv: line 2, column 3: "), e.getMessage());
    LabelledSeries s = UcrTsv.read(utf8(padded), "p.tsv", true);
    assertArrayEquals(new double[] {4}, s.series()[1]);
    assertEquals(-1, s.length());
    SignalFormatException gap = assertThrows(SignalFormatException.class,
        () -> UcrTsv.read(utf8("1\t1\tNaN\t3\n"), "g.tsv", true));
    assertEquals(4, gap.column().orElseThrow());
  }

  @Test
  void raggedRowsAndBadLabelsAreNamed() {
    SignalFormatException e = assertThrows(SignalFormatException.class,
        () -> UcrTsv.read(utf8("1\t1\t2\n1\t1\n"), "r.tsv", false));
    assertEquals(2, e.line().orElseThrow());
    e = assertThrows(SignalFormatException.class, () -> UcrTsv.read(utf8("a\t1\t2\n"), "l.tsv", false));
    assertEquals(1, e.column().orElseThrow());
    assertTrue(e.getMessage().contains("label"), e.getMessage());
    e = assertThrows(SignalFormatException.class, () -> UcrTsv.read(utf8("\n\n"), "empty.tsv", false));
    assertTrue(e.getMessage().startsWith("empty.tsv: "), e.getMessage());
  }
}
