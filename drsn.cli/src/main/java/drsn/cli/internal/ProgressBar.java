package drsn.cli.internal;

import drsn.train.EpochSummary;
import drsn.train.Progress;
import drsn.train.TrainingListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns drsn.train's listener events into feedback: on a terminal one line redrawn with
 * {@code \r} (epoch, batch, loss, accuracy, samples/s, ETA); otherwise plain lines, one per epoch
 * and at most one every {@code plainIntervalSeconds} within an epoch, so logs stay readable.
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

  /** True when the JVM has an interactive console (not redirected). */
  public static boolean onTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  @Override
  public void onStart(Progress p) {
    if (!terminal) {
      out.printf(Locale.ROOT, "%straining: epochs %d..%d of %d batches%n", prefix(), p.epoch() + 1, p.epochs(),
          p.batchesPerEpoch());
      out.flush();
    }
  }

  @Override
  public void onBatch(Progress p) {
    long now = System.nanoTime();
    boolean lastBatch = p.batch() == p.batchesPerEpoch();
    if (terminal) {
      if (now - lastDraw < 100_000_000L && !lastBatch) {
        return; // redraw at most 10 times a second
      }
      lastDraw = now;
      int barWidth = 20;
      int filled = (int) Math.round((double) p.batch() / p.batchesPerEpoch() * barWidth);
      String line = String.format(Locale.ROOT, "%sepoch %d/%d [%s%s] %d/%d loss %.4f acc %.3f %.0f samples/s ETA %s",
          prefix(), p.epoch(), p.epochs(), "#".repeat(filled), "-".repeat(barWidth - filled), p.batch(),
          p.batchesPerEpoch(), p.loss(), p.accuracy(), p.samplesPerSecond(), time(p.eta()));
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
      out.flush();
    } else if ((now - lastPlain) / 1e9 >= plainIntervalSeconds && !lastBatch) {
      lastPlain = now;
      out.printf(Locale.ROOT, "%sepoch %d/%d batch %d/%d loss %.4f acc %.3f %.0f samples/s ETA %s%n", prefix(),
          p.epoch(), p.epochs(), p.batch(), p.batchesPerEpoch(), p.loss(), p.accuracy(), p.samplesPerSecond(),
          time(p.eta()));
      out.flush();
    }
  }

  @Override
  public void onEpoch(EpochSummary s, Progress p) {
    String line = String.format(Locale.ROOT, "%sepoch %d/%d loss %.4f acc %.3f | validation loss %.4f acc %.3f | %.1f s, "
            + "%.0f samples/s, ETA %s", prefix(), s.epoch(), p.epochs(), s.trainLoss(), s.trainAccuracy(),
        s.validation() == null ? Double.NaN : s.validation().loss(), s.validationAccuracy(), s.seconds(),
        s.samplesPerSecond(), time(p.eta()));
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())) + "\n");
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

  static String time(Duration d) {
    if (d == null || d.isNegative()) {
      return "?";
    }
    long s = Math.round(d.toMillis() / 1000.0);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
