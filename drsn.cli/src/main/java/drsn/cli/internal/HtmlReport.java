package drsn.cli.internal;

import drsn.nn.ShrinkageStatistics;
import drsn.train.ConfusionMatrix;
import drsn.train.EpochSummary;
import drsn.train.Evaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * report.html: one self-contained file (inline CSS and SVG, no script, no network) with, per run,
 * loss and accuracy curves, the confusion matrix, per-unit threshold statistics and a signal
 * before and after shrinkage; and, for several runs, a comparison table.
 */
public final class HtmlReport {

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

  private HtmlReport() {
  }

  /** Writes the report atomically. */
  public static void write(Path file, String title, String subtitle, List<RunResult> runs) {
    String html = render(title, subtitle, runs);
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, html, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliException("cannot write report " + file + ": " + e.getMessage(), e);
    }
  }

  public static String render(String title, String subtitle, List<RunResult> runs) {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1150px}")
        .append("h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}")
        .append("h3{font-size:15px;margin:14px 0 6px}.sub{color:#666;margin-top:0}")
        .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}")
        .append("th{background:#f4f4f4}td.l,th.l{text-align:left}.row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}")
        .append("svg{background:#fff;border:1px solid #eee}.cm td{min-width:26px;text-align:center}.note{color:#666;font-size:12px}")
        .append("\n</style></head><body>\n");
    b.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"sub\">").append(esc(subtitle)).append("</p>\n");
    if (runs.size() > 1) {
      b.append("<h2>Comparison</h2>\n<table><tr><th class=\"l\">model</th><th>parameters</th><th>test accuracy</th>")
          .append("<th>test loss</th><th>training time (s)</th></tr>\n");
      for (RunResult r : runs) {
        b.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%,d</td><td>%.2f %%</td><td>%.4f</td><td>%.1f</td></tr>%n",
            esc(r.name()), r.model().architecture().parameterCount(), 100 * r.test().accuracy(), r.test().loss(),
            r.trainSeconds()));
      }
      b.append("</table>\n");
    }
    int idx = 0;
    for (RunResult r : runs) {
      section(b, r, idx++);
    }
    b.append("<p class=\"note\">Written by drsn. Curves: training values are running means over each epoch; ")
        .append("validation values are measured after each epoch in evaluation mode, on the part of the training data ")
        .append("held out for it; the test set is used once, on the kept model.</p>\n</body></html>\n");
    return b.toString();
  }

  private static void section(StringBuilder b, RunResult r, int idx) {
    b.append("<h2>").append(esc(r.name())).append("</h2>\n");
    b.append(String.format(Locale.ROOT, "<p>%s, %,d parameters; test accuracy <b>%.2f %%</b> on %d samples; trained in %.1f s.</p>%n",
        esc(r.model().architecture().family().id()), r.model().architecture().parameterCount(),
        100 * r.test().accuracy(), r.test().examples(), r.trainSeconds()));
    b.append(String.format(Locale.ROOT, "<p>Trained on %d examples%s for %d epochs; kept the model of epoch <b>%d</b>%s. "
        + "Stopped: %s.</p>%n", r.trainSize(), r.validationSize() > 0 ? String.format(Locale.ROOT,
        ", validated on %d held out from the training data", r.validationSize()) : "", r.history().size(),
        r.chosenEpoch(), r.validationSize() > 0 ? " (the best on validation)" : " (the last)", esc(r.stopReason())));
    int n = r.history().size();
    double[] trl = new double[n];
    double[] tel = new double[n];
    double[] tra = new double[n];
    double[] tea = new double[n];
    for (int i = 0; i < n; i++) {
      EpochSummary e = r.history().get(i);
      trl[i] = e.trainLoss();
      tel[i] = ReportJson.validationLoss(e);
      tra[i] = e.trainAccuracy();
      tea[i] = e.validationAccuracy();
    }
    b.append("<div class=\"row\"><div><h3>Loss per epoch</h3>\n");
    plot(b, 520, 260, "epoch", new String[] {"train", "validation"}, new double[][] {trl, tel}, 1, Double.NaN, Double.NaN, null);
    b.append("</div><div><h3>Accuracy per epoch</h3>\n");
    plot(b, 520, 260, "epoch", new String[] {"train", "validation"}, new double[][] {tra, tea}, 1, 0, 1, null);
    b.append("</div></div>\n");
    confusion(b, r.test());
    if (!r.thresholds().isEmpty()) {
      thresholds(b, r.thresholds());
    }
    if (r.example() != null) {
      Inspection.ShrinkageExample ex = r.example();
      b.append("<h3>Soft thresholding in the first shrinkage unit</h3>\n<p class=\"note\">A test example of class ")
          .append(esc(ex.className())).append(String.format(Locale.ROOT,
              ": the raw input signal; then channel %d of the unit's residual branch output before soft thresholding, "
                  + "with the learned threshold &plusmn;&tau; = &plusmn;%.4g (dashed), and after: values with |x| &le; &tau; "
                  + "become 0, the rest move towards 0 by &tau;.</p>%n", ex.channel(), ex.tau()));
      b.append("<div class=\"row\"><div>");
      plot(b, 1000, 180, "sample", new String[] {"input signal"}, new double[][] {toDouble(ex.signal())}, 0,
          Double.NaN, Double.NaN, null);
      b.append("</div><div>");
      plot(b, 1000, 220, "position", new String[] {"before shrinkage", "after shrinkage"},
          new double[][] {toDouble(ex.before()), toDouble(ex.after())}, 0, Double.NaN, Double.NaN, (double) ex.tau());
      b.append("</div></div>\n");
    }
  }

  private static void confusion(StringBuilder b, Evaluation test) {
    ConfusionMatrix m = test.confusion();
    b.append("<h3>Confusion matrix (test set; rows: true class, columns: predicted)</h3>\n<table class=\"cm\"><tr><th></th>");
    List<String> names = m.classNames();
    for (int c = 0; c < names.size(); c++) {
      b.append("<th title=\"").append(esc(names.get(c))).append("\">").append(c).append("</th>");
    }
    b.append("<th>recall</th></tr>\n");
    for (int i = 0; i < names.size(); i++) {
      long row = m.support(i);
      b.append("<tr><th class=\"l\">").append(i).append(' ').append(esc(names.get(i))).append("</th>");
      for (int j = 0; j < names.size(); j++) {
        long v = m.count(i, j);
        double f = row == 0 ? 0 : (double) v / row;
        String bg = i == j ? String.format(Locale.ROOT, "rgba(31,119,180,%.2f)", f)
            : String.format(Locale.ROOT, "rgba(214,39,40,%.2f)", Math.min(1, 2 * f));
        b.append("<td style=\"background:").append(bg).append(f > 0.6 ? ";color:#fff" : "").append("\">").append(v)
            .append("</td>");
      }
      b.append(String.format(Locale.ROOT, "<td>%.3f</td></tr>%n", m.recall(i)));
    }
    b.append("</table>\n");
  }

  private static void thresholds(StringBuilder b, List<ShrinkageStatistics> units) {
    b.append("<h3>Thresholds &tau; per shrinkage unit (test samples; all channels)</h3>\n<div class=\"row\"><div>");
    int w = 520;
    int h = 240;
    int left = 55;
    int bottom = 30;
    double max = 0;
    for (ShrinkageStatistics u : units) {
      max = Math.max(max, u.maxThreshold());
    }
    max = max <= 0 ? 1 : max * 1.05;
    b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", w, h, w, h));
    axes(b, w, h, left, bottom, 0, max, "unit");
    double slot = (double) (w - left - 10) / units.size();
    for (int i = 0; i < units.size(); i++) {
      ShrinkageStatistics u = units.get(i);
      double cx = left + slot * (i + 0.5);
      double y0 = y(0, 0, max, h, bottom);
      double ym = y(u.meanThreshold(), 0, max, h, bottom);
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\" opacity=\"0.75\"/>",
          cx - slot * 0.3, ym, slot * 0.6, y0 - ym));
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>", cx, cx,
          y(u.minThreshold(), 0, max, h, bottom), y(u.maxThreshold(), 0, max, h, bottom)));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%d</text>", cx,
          h - bottom + 12, u.unit()));
    }
    b.append("</svg><div class=\"note\">bars: mean &tau;; whiskers: min to max. &alpha; = &tau; / mean|x| (0: no ")
        .append("shrinkage, 1: a whole mean magnitude); zeroed: share of the unit's features set to 0</div></div>")
        .append("<div><table><tr><th>unit</th><th>channels</th><th>mean &tau;</th><th>min &tau;</th><th>max &tau;</th>")
        .append("<th>mean &alpha;</th><th>zeroed</th></tr>\n");
    for (ShrinkageStatistics u : units) {
      b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%.4g</td><td>%.4g</td><td>%.4g</td>"
          + "<td>%.3f</td><td>%.1f %%</td></tr>%n", u.unit(), u.channels(), u.meanThreshold(), u.minThreshold(),
          u.maxThreshold(), u.meanScale(), 100 * u.zeroedFraction()));
    }
    b.append("</table></div></div>\n");
  }

  /** A line plot; xStart is the x value of index 0; yMin/yMax NaN = from the data; tau draws ±tau lines. */
  private static void plot(StringBuilder b, int w, int h, String xLabel, String[] names, double[][] series, int xStart,
                           double yMin, double yMax, Double tau) {
    int left = 55;
    int bottom = 30;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int len = 0;
    for (double[] s : series) {
      len = Math.max(len, s.length);
      for (double v : s) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!Double.isNaN(yMin)) {
      lo = yMin;
    }
    if (!Double.isNaN(yMax)) {
      hi = yMax;
    }
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    if (Double.isNaN(yMin)) {
      double pad = (hi - lo) * 0.05;
      lo -= pad;
      hi += pad;
    }
    b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", w, h, w, h));
    axes(b, w, h, left, bottom, lo, hi, xLabel);
    int last = Math.max(1, len - 1);
    for (int k = 0; k < 5 && len > 1; k++) {
      int i = (int) Math.round((double) k / 4 * last);
      double x = left + (double) i / last * (w - left - 10);
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%d</text>", x,
          h - bottom + 12, i + xStart));
    }
    if (tau != null) {
      for (double t : new double[] {tau, -tau}) {
        double yy = y(t, lo, hi, h, bottom);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>",
            left, w - 10, yy, yy));
      }
    }
    for (int s = 0; s < series.length; s++) {
      double[] v = series[s];
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i])) {
          continue;
        }
        double x = left + (v.length == 1 ? 0 : (double) i / last * (w - left - 10));
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(v[i], lo, hi, h, bottom)));
      }
      String color = COLORS[s % COLORS.length];
      b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"")
          .append(v.length > 200 ? "0.8" : "1.8").append("\" points=\"").append(pts).append("\"/>");
      if (v.length <= 60) {
        for (int i = 0; i < v.length; i++) {
          if (Double.isFinite(v[i])) {
            double x = left + (v.length == 1 ? 0 : (double) i / last * (w - left - 10));
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x,
                y(v[i], lo, hi, h, bottom), color));
          }
        }
      }
      // Rising curves (accuracy, fixed at 0..1) leave the bottom right free; falling ones the top right.
      int ly = Double.isNaN(yMin) ? 12 + 14 * s : h - bottom - 14 * (series.length - s) - 4;
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", w - 150, ly, color, w - 134, ly + 4,
          esc(names[s])));
    }
    b.append("</svg>\n");
  }

  private static void axes(StringBuilder b, int w, int h, int left, int bottom, double lo, double hi, String xLabel) {
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"5\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, left, h - bottom));
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, h - bottom,
        w - 10, h - bottom));
    for (int k = 0; k <= 4; k++) {
      double v = lo + (hi - lo) * k / 4;
      double yy = y(v, lo, hi, h, bottom);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", left + 1,
          w - 10, yy, yy));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.3g</text>",
          left - 4, yy + 3, v));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
        (left + w) / 2, h - 3, esc(xLabel)));
  }

  private static double y(double v, double lo, double hi, int h, int bottom) {
    return 5 + (1 - (v - lo) / (hi - lo)) * (h - bottom - 5);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
