package drsn.cli.internal;

import drsn.train.ConfusionMatrix;
import drsn.train.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a reader of a test result should be warned about before trusting the accuracy: a test set
 * too small to measure anything, a model that predicts one class for everything, classes so
 * unequal that accuracy mostly counts the large one.
 */
public final class ReportWarnings {

  /** Below this many test examples an accuracy moves by several points per example. */
  static final int TINY_TEST = 30;
  /** Largest over smallest class support beyond which accuracy says little about the small classes. */
  static final double IMBALANCE = 3;

  private ReportWarnings() {
  }

  public static List<String> of(Evaluation test) {
    ConfusionMatrix m = test.confusion();
    List<String> out = new ArrayList<>();
    long n = m.total();
    if (n < TINY_TEST) {
      out.add(String.format(Locale.ROOT, "The test set holds only %d example%s: one example moves the accuracy by "
          + "%.0f points. Test on more recordings (or windows) before trusting it.", n, n == 1 ? "" : "s",
          n == 0 ? 100.0 : 100.0 / n));
    }
    int predicted = 0;
    int only = -1;
    for (int j = 0; j < m.classes(); j++) {
      long col = 0;
      for (int i = 0; i < m.classes(); i++) {
        col += m.count(i, j);
      }
      if (col > 0) {
        predicted++;
        only = j;
      }
    }
    if (m.classes() > 1 && predicted == 1 && n > 0) {
      out.add("The model predicts a single class ('" + m.classNames().get(only) + "') for every test example: it "
          + "has learned nothing that tells the classes apart.");
    }
    long max = 0;
    long min = Long.MAX_VALUE;
    int small = 0;
    int large = 0;
    for (int c = 0; c < m.classes(); c++) {
      long s = m.support(c);
      if (s > max) {
        max = s;
        large = c;
      }
      if (s < min) {
        min = s;
        small = c;
      }
    }
    if (m.classes() > 1 && n > 0 && (min == 0 || (double) max / min > IMBALANCE)) {
      out.add(String.format(Locale.ROOT, "The test classes are imbalanced: '%s' has %d examples, '%s' %d; accuracy "
          + "is dominated by the large classes, look at the per-class recall.", m.classNames().get(large), max,
          m.classNames().get(small), min));
    }
    return out;
  }
}
