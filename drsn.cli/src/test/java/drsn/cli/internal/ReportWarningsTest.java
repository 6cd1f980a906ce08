package drsn.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import drsn.train.ConfusionMatrix;
import drsn.train.Evaluation;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The report's warnings and its downsampling of long signals. */
class ReportWarningsTest {

  static Evaluation eval(long... counts) {
    int k = (int) Math.round(Math.sqrt(counts.length));
    List<String> names = k == 2 ? List.of("ok", "bad") : List.of("a", "b", "c");
    return new Evaluation(0.5, new ConfusionMatrix(names, counts));
  }

  @Test
  void warnsAboutTinyTestSetsASinglePredictedClassAndImbalance() {
    assertEquals(List.of(), ReportWarnings.of(eval(40, 5, 6, 39)), "a fair result gets no warning");
    List<String> tiny = ReportWarnings.of(eval(1, 0, 0, 2));
    assertEquals(1, tiny.size(), tiny.toString());
    assertTrue(tiny.getFirst().contains("only 3 examples") && tiny.getFirst().contains("33 points"), tiny.toString());
    List<String> single = ReportWarnings.of(eval(40, 0, 40, 0));
    assertEquals(1, single.size(), single.toString());
    assertTrue(single.getFirst().contains("a single class ('ok')"), single.toString());
    List<String> imbalanced = ReportWarnings.of(eval(90, 10, 3, 7));
    assertEquals(1, imbalanced.size(), imbalanced.toString());
    assertTrue(imbalanced.getFirst().contains("'ok' has 100 examples, 'bad' 10"), imbalanced.toString());
    assertEquals(3, ReportWarnings.of(eval(3, 0, 0, 1, 0, 0, 0, 0, 0)).size(), "tiny, one class predicted, "
        + "a class without examples");
  }

  @Test
  void theEnvelopeKeepsEveryExtremeOfALongSignal() {
    qt().withExamples(100).forAll(integers().between(1, 20_000), integers().between(1, 500), integers().all())
        .checkAssert((n, columns, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
          }
          double[][] env = HtmlReport.envelope(v, columns);
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
          }
          double envMin = Double.POSITIVE_INFINITY;
          double envMax = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < columns; k++) {
            assertTrue(env[0][k] <= env[1][k]);
            envMin = Math.min(envMin, env[0][k]);
            envMax = Math.max(envMax, env[1][k]);
          }
          assertEquals(min, envMin, 0.0, "the global minimum survives");
          assertEquals(max, envMax, 0.0, "the global maximum survives");
        });
  }
}
