package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.cli.internal.ProgressBar;
import drsn.train.EpochSummary;
import drsn.train.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Terminal mode redraws one line with \r; plain mode writes whole lines only. */
class ProgressBarTest {

  static Progress progress(int epoch, int batch) {
    return new Progress(epoch, 2, batch, 4, (epoch - 1) * 4L + batch, 8, 1.25, 0.5, 0.01, 1000, Duration.ofSeconds(3),
        Duration.ofSeconds(65));
  }

  static void drive(ProgressBar bar) throws InterruptedException {
    bar.onStart(progress(0, 0));
    for (int e = 1; e <= 2; e++) {
      for (int b = 1; b <= 4; b++) {
        bar.onBatch(progress(e, b));
        Thread.sleep(2);
      }
      bar.onEpoch(new EpochSummary(e, 1.25, 0.5, 0.01, 1.5, 1000, null), progress(e, 4));
    }
  }

  @Test
  void terminalModeRedrawsOneLine() throws InterruptedException {
    StringWriter w = new StringWriter();
    drive(new ProgressBar(new PrintWriter(w), true, "drsn-cw", 5));
    String s = w.toString();
    assertTrue(s.contains("\r") && s.contains("[####################] 4/4"), s);
    assertTrue(s.contains("ETA 1:05") && s.contains("1000 samples/s") && s.contains("loss 1.2500"), s);
    // Two epochs end two lines; batches never add lines of their own.
    assertEquals(2, s.chars().filter(c -> c == '\n').count(), s);
  }

  @Test
  void plainModeWritesWholeLines() throws InterruptedException {
    StringWriter w = new StringWriter();
    drive(new ProgressBar(new PrintWriter(w), false, "resnet", 3600));
    String s = w.toString();
    assertFalse(s.contains("\r"), s);
    String[] lines = s.strip().split("\n");
    assertEquals(3, lines.length, s); // start + two epochs; batch lines at most once an hour
    assertTrue(lines[1].startsWith("resnet: epoch 1/2 loss 1.2500 acc 0.500"), lines[1]);
  }
}
