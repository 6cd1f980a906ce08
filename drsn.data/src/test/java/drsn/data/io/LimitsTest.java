package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The limits: overridable, capped by the heap, enforced while reading, and named in the errors. */
class LimitsTest {

  @Test
  void aPropertyOverridesTheDefaultAndANonsensicalOneIsIgnored() {
    Limits.Limit l = Limits.SIGNALS_PER_FILE;
    assertEquals(100_000, l.value());
    try {
      System.setProperty(l.property(), "12");
      assertEquals(12, l.value());
      assertTrue(l.allows(12) && !l.allows(13) && !l.allows(-1));
      System.setProperty(l.property(), "lots");
      assertEquals(100_000, l.value());
    } finally {
      System.clearProperty(l.property());
    }
    // Limits that turn into memory never exceed their share of this JVM's heap.
    assertTrue(Limits.TEXT_BYTES.value() <= Runtime.getRuntime().maxMemory() / 8);
    assertTrue(Limits.TEXT_BYTES.exceeded(1L << 40).contains("-Ddrsn.limit.text-bytes=N"));
  }

  @Test
  void excerptsAreShortAndPrintable() {
    String huge = "\u001b[2J" + "z".repeat(5_000_000);
    String e = Limits.excerpt(huge);
    assertTrue(e.length() < 80, e);
    assertFalse(e.contains("\u001b"), e);
    assertTrue(e.contains("5000004 characters"), e);
    // A surrogate pair straddling the cut is not split into an unpaired half.
    String emoji = "a".repeat(Limits.EXCERPT_CHARS - 1) + "\uD83D\uDE00tail";
    String cut = Limits.excerpt(emoji);
    assertFalse(Character.isHighSurrogate(cut.charAt(Limits.EXCERPT_CHARS - 2 + 1)), cut);
    assertEquals("short", Limits.excerpt("short"));
  }

  @Test
  void textReadersEnforceTheLimitsWhileSplittingAndRefuseEmptyTables() throws Exception {
    String p = Limits.SIGNALS_PER_FILE.property();
    try {
      System.setProperty(p, "10");
      byte[] wide = "0,0,0,0,0,0,0,0,0,0,0\n".getBytes(StandardCharsets.UTF_8);
      SignalFormatException e = assertThrows(SignalFormatException.class,
          () -> CsvFile.readColumns(wide, "wide.csv", CsvFile.Options.DEFAULT));
      assertTrue(e.getMessage().contains(p), e.getMessage());
      byte[] tall = "1\t0.5\n".repeat(11).getBytes(StandardCharsets.UTF_8);
      e = assertThrows(SignalFormatException.class, () -> UcrTsv.read(tall, "tall.tsv", false));
      assertTrue(e.getMessage().contains(p), e.getMessage());
      // Within the limit both read as before.
      assertEquals(10, UcrTsv.read("1\t0.5\n".repeat(10).getBytes(StandardCharsets.UTF_8), "ok.tsv", false).size());
    } finally {
      System.clearProperty(p);
    }
    SignalFormatException header = assertThrows(SignalFormatException.class,
        () -> CsvFile.readColumns("left,right\n".getBytes(StandardCharsets.UTF_8), "h.csv", CsvFile.Options.DEFAULT));
    assertTrue(header.getMessage().contains("only a header"), header.getMessage());
    SignalFormatException examples = assertThrows(SignalFormatException.class,
        () -> CsvFile.readExamples("label,x1,x2\n".getBytes(StandardCharsets.UTF_8), "e.csv",
            CsvFile.LabelColumn.named("label"), CsvFile.Options.DEFAULT));
    assertTrue(examples.getMessage().contains("only a header"), examples.getMessage());
  }
}
