package drsn.cli.internal;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Turns training events into feedback: on a terminal one line redrawn with {@code \r} (epoch,
 * batch, loss, accuracy, samples/s, ETA); otherwise plain lines, one per epoch and at most one
 * every {@code plainIntervalSeconds} within an epoch, so logs stay readable.
 */
public final class ProgressBar implements TrainingListener {

  private final PrintWriter out;
  private final boolean terminal;
  private final String label;
  private final double plainIntervalSeconds;
  private long lastDraw;
  private long lastPlain = System.nanoTime();
  private int lastWidth;

  public ProgressBar(PrintWriter out, boolean terminal, String label, double plainIntervalSeconds) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.plainIntervalSeconds = plainIntervalSeconds;
  }

  /** True when standard output is an interactive terminal. */
  public static boolean onTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  @Override
  public void onStart(int epochs, int batchesPerEpoch, int trainSize, int startEpoch) {
    if (!terminal) {
      out.printf(Locale.ROOT, "%straining: %d examples, %d batches per epoch, epochs %d..%d%n", prefix(), trainSize,
          batchesPerEpoch, startEpoch + 1, epochs);
      out.flush();
    }
  }

  @Override
  public void onBatch(int epoch, int epochs, int batch, int batches, double loss, double accuracy,
                      double samplesPerSecond, double etaSeconds) {
    long now = System.nanoTime();
    if (terminal) {
      if (now - lastDraw < 100_000_000L && batch < batches) {
        return; // redraw at most 10 times a second
      }
      lastDraw = now;
      int barWidth = 20;
      int filled = (int) Math.round((double) batch / batches * barWidth);
      String bar = "#".repeat(filled) + "-".repeat(barWidth - filled);
      String line = String.format(Locale.ROOT, "%sepoch %d/%d [%s] %d/%d loss %.4f acc %.3f %.0f samples/s ETA %s",
          prefix(), epoch + 1, epochs, bar, batch, batches, loss, accuracy, samplesPerSecond, time(etaSeconds));
      int pad = Math.max(0, lastWidth - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastWidth = line.length();
      out.flush();
    } else if ((now - lastPlain) / 1e9 >= plainIntervalSeconds && batch < batches) {
      lastPlain = now;
      out.printf(Locale.ROOT, "%sepoch %d/%d batch %d/%d loss %.4f acc %.3f %.0f samples/s ETA %s%n", prefix(),
          epoch + 1, epochs, batch, batches, loss, accuracy, samplesPerSecond, time(etaSeconds));
      out.flush();
    }
  }

  @Override
  public void onEpoch(EpochStats s, int epochs) {
    String line = String.format(Locale.ROOT, "%sepoch %d/%d loss %.4f acc %.3f | test loss %.4f acc %.3f | %.1f s, %.0f samples/s",
        prefix(), s.epoch(), epochs, s.trainLoss(), s.trainAccuracy(), s.testLoss(), s.testAccuracy(), s.seconds(),
        s.samplesPerSecond());
    if (terminal) {
      int pad = Math.max(0, lastWidth - line.length());
      out.print("\r" + line + " ".repeat(pad) + "\n");
      lastWidth = 0;
    } else {
      out.println(line);
      lastPlain = System.nanoTime();
    }
    out.flush();
  }

  private String prefix() {
    return label == null || label.isEmpty() ? "" : label + ": ";
  }

  static String time(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
