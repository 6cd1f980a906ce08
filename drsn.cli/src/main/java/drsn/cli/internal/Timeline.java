package drsn.cli.internal;

import drsn.data.RecordingWindows;
import drsn.nn.Architecture;
import drsn.nn.Predictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The class of every window of a long signal: windows of the model's length, {@code hop} samples
 * apart, each with its offset; and a summary: the share of windows (of time) per class and the
 * changes of state. A change is placed at the centre of the first window of the new class, the
 * moment from which most of the window is in the new state.
 */
public final class Timeline {

  /** One window: its first sample, its class probabilities and the most probable class. */
  public record Window(long start, float[] probabilities, int best) {
  }

  /** A change of the predicted class between consecutive windows, at sample {@code at}. */
  public record Change(long at, int from, int to) {
  }

  /** Windows predicted per batch: bounds the memory of the input buffer for any signal length. */
  static final int BATCH = 64;

  private final String name;
  private final List<String> classNames;
  private final double sampleRate;
  private final int window;
  private final int hop;
  private final long samples;
  private final List<Window> windows;

  public Timeline(String name, List<String> classNames, double sampleRate, int window, int hop, long samples,
                  List<Window> windows) {
    this.name = name;
    this.classNames = List.copyOf(classNames);
    this.sampleRate = sampleRate;
    this.window = window;
    this.hop = hop;
    this.samples = samples;
    this.windows = List.copyOf(windows);
  }

  /** Classifies every window of {@code s} (already in the model's units and channel count). */
  public static Timeline of(Predictor p, NamedSignal s, int hop) {
    Architecture a = p.model().architecture();
    int len = a.inputWidth();
    int c = a.inputChannels();
    if (hop < 1) {
      throw new CliException("--hop must be at least 1 sample, got " + hop);
    }
    if (s.length() < len) {
      throw new CliException(s.name() + " has " + s.length() + " samples, fewer than the model's window of " + len);
    }
    int[] starts = RecordingWindows.coveringStarts(s.length(), len, hop);
    List<Window> out = new ArrayList<>(starts.length);
    float[] batch = new float[Math.min(BATCH, starts.length) * c * len];
    float[] probs = new float[Math.min(BATCH, starts.length) * a.classes()];
    for (int first = 0; first < starts.length; first += BATCH) {
      int n = Math.min(BATCH, starts.length - first);
      for (int w = 0; w < n; w++) {
        for (int ch = 0; ch < c; ch++) {
          System.arraycopy(s.channels()[ch], starts[first + w], batch, (w * c + ch) * len, len);
        }
      }
      float[] in = n * c * len == batch.length ? batch : Arrays.copyOf(batch, n * c * len);
      p.predictBatch(in, n, probs);
      for (int w = 0; w < n; w++) {
        float[] pr = Arrays.copyOfRange(probs, w * a.classes(), (w + 1) * a.classes());
        out.add(new Window(starts[first + w], pr, argmax(pr)));
      }
    }
    return new Timeline(s.name(), a.classNames(), s.units().sampleRate(), len, hop, s.length(), out);
  }

  /** The index of the largest value (the first on ties): the predicted class. */
  public static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  public String name() {
    return name;
  }

  public List<Window> windows() {
    return windows;
  }

  /** Share of windows per class. */
  public double[] shares() {
    double[] s = new double[classNames.size()];
    for (Window w : windows) {
      s[w.best()] += 1.0 / windows.size();
    }
    return s;
  }

  /** The class of most windows (the lowest index on a tie). */
  public int majority() {
    double[] s = shares();
    int best = 0;
    for (int c = 1; c < s.length; c++) {
      if (s[c] > s[best] + 1e-12) {
        best = c;
      }
    }
    return best;
  }

  public List<Change> changes() {
    List<Change> out = new ArrayList<>();
    for (int i = 1; i < windows.size(); i++) {
      if (windows.get(i).best() != windows.get(i - 1).best()) {
        out.add(new Change(windows.get(i).start() + window / 2, windows.get(i - 1).best(), windows.get(i).best()));
      }
    }
    return out;
  }

  /** One line per window and a summary line. */
  public List<String> text() {
    List<String> lines = new ArrayList<>();
    for (Window w : windows) {
      lines.add(lines().textLine(w.start(), w.probabilities(), w.best()));
    }
    lines.add(summary());
    return lines;
  }

  /** "name: 58 windows of 2048 every 2048 samples (10.000 s): healthy 52 %, imbalance 48 %; changes: …". */
  public String summary() {
    StringBuilder b = new StringBuilder(name).append(": ").append(windows.size()).append(" windows of ").append(window)
        .append(" every ").append(hop).append(" samples (").append(time(samples)).append("): ");
    double[] s = shares();
    boolean first = true;
    for (int c = 0; c < s.length; c++) {
      if (s[c] > 0) {
        b.append(first ? "" : ", ").append(classNames.get(c)).append(String.format(Locale.ROOT, " %.0f %%", 100 * s[c]));
        first = false;
      }
    }
    List<Change> ch = changes();
    b.append("; ").append(ch.isEmpty() ? "no change of state" : ch.size() + " change" + (ch.size() == 1 ? "" : "s")
        + ":");
    for (int i = 0; i < Math.min(ch.size(), 20); i++) {
      Change c = ch.get(i);
      b.append(' ').append(classNames.get(c.from())).append(" -> ").append(classNames.get(c.to())).append(" at ")
          .append(time(c.at())).append(i + 1 < ch.size() ? "," : "");
    }
    if (ch.size() > 20) {
      b.append(" …");
    }
    return b.toString();
  }

  /** CSV rows (no header, see {@link WindowLines#csvHeader}), one per window. */
  public List<String> csv() {
    List<String> rows = new ArrayList<>();
    for (Window w : windows) {
      rows.add(lines().csvRow(w.start(), w.probabilities(), w.best()));
    }
    return rows;
  }

  private WindowLines lines() {
    return new WindowLines(name, classNames, sampleRate);
  }

  private String time(long sample) {
    return lines().time(sample);
  }

  private Double seconds(long sample) {
    return lines().seconds(sample);
  }

  /** The timeline as a JSON-ready map: input, rate, window, hop, class (majority), summary and windows. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", name);
    m.put("sample_rate", sampleRate > 0 ? (Object) sampleRate : null);
    m.put("samples", samples);
    m.put("window", window);
    m.put("hop", hop);
    m.put("class", classNames.get(majority()));
    Map<String, Object> share = new LinkedHashMap<>();
    double[] s = shares();
    for (int c = 0; c < s.length; c++) {
      share.put(classNames.get(c), s[c]);
    }
    m.put("share", share);
    List<Object> changes = new ArrayList<>();
    for (Change c : changes()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("sample", c.at());
      cm.put("seconds", seconds(c.at()));
      cm.put("from", classNames.get(c.from()));
      cm.put("to", classNames.get(c.to()));
      changes.add(cm);
    }
    m.put("changes", changes);
    List<Object> ws = new ArrayList<>();
    for (Window w : windows) {
      ws.add(lines().windowMap(w.start(), w.probabilities(), w.best()));
    }
    m.put("windows", ws);
    return m;
  }
}
