package drsn.cli;

import drsn.cli.internal.Metrics;
import java.io.PrintWriter;
import java.util.Locale;

/** Text renderings shared by commands. */
final class Reports {

  private Reports() {
  }

  static void printMetrics(PrintWriter o, Metrics r) {
    o.printf(Locale.ROOT, "accuracy %.4f (%d samples), loss %.4f%n", r.accuracy(), r.total(), r.loss());
    int w = 5;
    for (String n : r.classNames()) {
      w = Math.max(w, n.length());
    }
    o.printf(Locale.ROOT, "%-" + w + "s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support");
    for (int c = 0; c < r.classNames().size(); c++) {
      o.printf(Locale.ROOT, "%-" + w + "s %9.4f %9.4f %9.4f %8d%n", r.classNames().get(c), r.precision(c), r.recall(c),
          r.f1(c), r.support(c));
    }
    o.println("confusion matrix (rows: true class, columns: predicted, in the order above):");
    for (int i = 0; i < r.confusion().length; i++) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", r.classNames().get(i)));
      for (long v : r.confusion()[i]) {
        b.append(String.format(Locale.ROOT, " %5d", v));
      }
      o.println(b);
    }
  }
}
