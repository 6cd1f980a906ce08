package drsn.cli;

import drsn.train.ConfusionMatrix;
import drsn.train.Evaluation;
import java.io.PrintWriter;
import java.util.Locale;

/** Text renderings shared by commands. */
final class Reports {

  private Reports() {
  }

  static void printMetrics(PrintWriter o, Evaluation e) {
    ConfusionMatrix r = e.confusion();
    o.printf(Locale.ROOT, "accuracy %.4f (%d samples), loss %.4f%n", e.accuracy(), e.examples(), e.loss());
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
    for (int i = 0; i < r.classes(); i++) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", r.classNames().get(i)));
      for (int j = 0; j < r.classes(); j++) {
        b.append(String.format(Locale.ROOT, " %5d", r.count(i, j)));
      }
      o.println(b);
    }
  }
}
