package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvFileTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void examplesWithHeaderAndNamedLabelColumn() throws Exception {
    String csv = "x1,x2,class,x3\r\n0.5,-1,outer,3e2\n\n1,2,inner,4\n-0,.25,outer,+7\n";
    LabelledSeries s = CsvFile.readExamples(utf8(csv), "e.csv", CsvFile.LabelColumn.named("class"),
        CsvFile.Options.DEFAULT);
    assertEquals(List.of("inner", "outer"), s.classNames(), "non-numeric labels sort lexicographically");
    assertArrayEquals(new int[] {1, 0, 1}, s.labels());
    assertArrayEquals(new double[] {0.5, -1, 300}, s.series()[0]);
    assertArrayEquals(new double[] {-0.0, 0.25, 7}, s.series()[2]);
  }

  @Test
  void examplesWithoutHeaderByIndexAndNumericLabels() throws Exception {
    String csv = "10,1,2\n-1,3,4\n2,5,6\n10.0,7,8\n";
    LabelledSeries s = CsvFile.readExamples(utf8(csv), "n.csv", CsvFile.LabelColumn.at(0), CsvFile.Options.DEFAULT);
    assertEquals(List.of("-1", "2", "10"), s.classNames(), "numeric labels sort by value, first spelling kept");
    assertArrayEquals(new int[] {2, 0, 1, 2}, s.labels());
    assertEquals(4, s.size());
    assertEquals(2, s.length());
    LabelledSeries last = CsvFile.readExamples(utf8(csv), "n.csv", CsvFile.LabelColumn.at(-1),
        CsvFile.Options.DEFAULT);
    assertArrayEquals(new double[] {10, 1}, last.series()[0]);
  }

  @Test
  void autoDetectIgnoresATextLabelInTheFirstRow() throws Exception {
    String csv = "outer,1,2\ninner,3,4\n";
    LabelledSeries s = CsvFile.readExamples(utf8(csv), "t.csv", CsvFile.LabelColumn.at(0), CsvFile.Options.DEFAULT);
    assertEquals(2, s.size(), "the first row is data, not a header");
  }

  @Test
  void columnsWithQuotedHeaderAndOtherDelimiter() throws Exception {
    String csv = "\uFEFF\"time; s\";\"acc \"\"x\"\"\"\n0;1.5\n1;-2.5\n";
    CsvColumns c = CsvFile.readColumns(utf8(csv), "c.csv", CsvFile.Options.DEFAULT.withDelimiter(';'));
    assertTrue(c.hasHeader());
    assertEquals(List.of("time; s", "acc \"x\""), c.names());
    assertArrayEquals(new double[] {1.5, -2.5}, c.column("acc \"x\""));
    CsvColumns plain = CsvFile.readColumns(utf8("1,2\n3,4\n"), "p.csv", CsvFile.Options.DEFAULT);
    assertFalse(plain.hasHeader());
    assertArrayEquals(new double[] {2, 4}, plain.columns()[1]);
    assertEquals("column 2", plain.names().get(1));
    CsvColumns quoted = CsvFile.readColumns(utf8("\"1\", \"2\"\n"), "q.csv", CsvFile.Options.DEFAULT);
    assertArrayEquals(new double[] {2}, quoted.columns()[1]);
  }

  @Test
  void badCellsNameFileLineAndColumn() {
    record Case(String csv, long line, long column, String fragment) {
    }
    List<Case> cases = List.of(
        new Case("1,2\n3,4\n5,x\n", 3, 2, "\"x\" is not a number"),
        new Case("1,2\n3,NaN\n", 2, 2, "NaN"),
        new Case("1,2\n3,-inf\n", 2, 2, "infinite"),
        new Case("1,2\n3,1e999\n", 2, 2, "infinite"),
        new Case("1,2\n3,\n", 2, 2, "empty cell"),
        new Case("1,2\n3,0x10\n", 2, 2, "not a number"),
        new Case("1,2\n3,4,5\n", 2, 0, "expected 2 fields"),
        new Case("1,\"2\n", 1, 2, "unterminated"),
        new Case("1,\"2\"x\n", 1, 2, "after a closing quote"));
    for (Case c : cases) {
      SignalFormatException e = assertThrows(SignalFormatException.class,
          () -> CsvFile.readColumns(utf8(c.csv), "bad.csv", CsvFile.Options.DEFAULT.withHeader(CsvFile.Header.ABSENT)),
          c.csv);
      assertTrue(e.getMessage().startsWith("bad.csv: line " + c.line), e.getMessage());
      assertEquals(c.line, e.line().orElseThrow(), e.getMessage());
      if (c.column > 0) {
        assertEquals(c.column, e.column().orElseThrow(), e.getMessage());
      }
      assertTrue(e.getMessage().contains(c.fragment), e.getMessage());
    }
    SignalFormatException withHeader = assertThrows(SignalFormatException.class,
        () -> CsvFile.readColumns(utf8("a,b\n1,2\n3,x\n"), "h.csv", CsvFile.Options.DEFAULT));
    assertEquals(3, withHeader.line().orElseThrow(), "the auto-detected header counts as line 1");
  }

  @Test
  void binaryInputIsRefusedWithAByteOffset() {
    byte[] bin = {'1', ',', (byte) 0xC3, (byte) 0x28};
    SignalFormatException e = assertThrows(SignalFormatException.class,
        () -> CsvFile.readColumns(bin, "bin.csv", CsvFile.Options.DEFAULT));
    assertEquals(2, e.byteOffset().orElseThrow(), e.getMessage());
  }

  @Test
  void aMissingLabelColumnIsAFileProblemAndBadOptionsAreArgumentProblems() {
    SignalFormatException e = assertThrows(SignalFormatException.class, () -> CsvFile.readExamples(
        utf8("a,b\n1,2\n"), "x.csv", CsvFile.LabelColumn.named("label"), CsvFile.Options.DEFAULT));
    assertTrue(e.getMessage().contains("no column named \"label\""), e.getMessage());
    assertThrows(SignalFormatException.class, () -> CsvFile.readExamples(utf8("1,2\n"), "x.csv",
        CsvFile.LabelColumn.at(2), CsvFile.Options.DEFAULT));
    assertThrows(IllegalArgumentException.class, () -> CsvFile.readExamples(utf8("a,b\n1,2\n"), "x.csv",
        CsvFile.LabelColumn.named("a"), CsvFile.Options.DEFAULT.withHeader(CsvFile.Header.ABSENT)));
    assertThrows(IllegalArgumentException.class, () -> CsvFile.Options.DEFAULT.withDelimiter('"'));
  }
}
