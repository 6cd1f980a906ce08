package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

/** The early-stopping rule on synthetic validation curves. */
class ConvergenceMonitorTest {

  private static final EarlyStopping RULE = new EarlyStopping(5, 2, 0.5, 0.25, 3);

  @Test
  void aCurveThatKeepsImprovingNeverStopsNorLowersTheRate() {
    ConvergenceMonitor m = RULE.monitor();
    for (int e = 1; e <= 200; e++) {
      assertTrue(m.observe(0.5, 1.0 / e));
      assertFalse(m.shouldStop());
      assertEquals(1.0, m.rateScale());
    }
    assertEquals(200, m.bestEpoch());
  }

  @Test
  void aPlateauStopsExactlyPatienceEpochsAfterTheBestAndKeepsTheBest() {
    qt().withExamples(200).forAll(integers().between(1, 40), integers().between(1, 12), integers().between(1, 6))
        .checkAssert((bestAt, patience, plateau) -> {
          ConvergenceMonitor m = new EarlyStopping(patience, plateau, 0.5, 1.0 / 64, 1).monitor();
          int e = 0;
          while (!m.shouldStop()) {
            e++;
            // Validation loss falls until bestAt, then rises: a model that starts to overfit.
            double loss = e <= bestAt ? 1.0 / e : 1.0 / bestAt + 0.01 * (e - bestAt);
            m.observe(0.5, loss);
            assertTrue(e <= bestAt + patience, "stopped late");
          }
          assertEquals(bestAt + patience, e, "stopped after exactly the patience");
          assertEquals(bestAt, m.bestEpoch());
          assertTrue(m.stopReason().contains("best at epoch " + bestAt), m.stopReason());
        });
  }

  @Test
  void higherAccuracyAlwaysImprovesAndATieNeedsAClearlyLowerLoss() {
    ConvergenceMonitor m = RULE.monitor();
    assertTrue(m.observe(0.5, 1.0));
    assertTrue(m.observe(0.6, 2.0), "higher accuracy wins over a higher loss");
    assertFalse(m.observe(0.6, 2.0), "the same result is no improvement");
    assertFalse(m.observe(0.6, 2.0 * (1 - EarlyStopping.MIN_RELATIVE_IMPROVEMENT / 2)), "below the margin");
    assertTrue(m.observe(0.6, 1.5), "a tie with a clearly lower loss improves");
    assertFalse(m.observe(0.55, 0.1), "lower accuracy never improves");
    assertFalse(m.observe(Double.NaN, Double.NaN), "a NaN result never improves");
    assertEquals(5, m.bestEpoch());
  }

  @Test
  void theRateHalvesOnEveryPlateauButNotBelowTheFloor() {
    ConvergenceMonitor m = new EarlyStopping(100, 2, 0.5, 0.25, 1).monitor();
    m.observe(0.5, 1.0);
    double[] expected = {1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25};
    for (double scale : expected) {
      m.observe(0.5, 1.0);
      assertEquals(scale, m.rateScale(), 0.0);
    }
    assertTrue(m.observe(0.9, 1.0));
    assertEquals(0.25, m.rateScale(), 0.0, "an improvement does not raise the rate again");
  }

  @Test
  void neverStopsBeforeTheMinimumEpochs() {
    ConvergenceMonitor m = new EarlyStopping(1, 1, 0.5, 0.5, 10).monitor();
    m.observe(0.9, 0.1);
    for (int e = 2; e < 10; e++) {
      m.observe(0.1, 5);
      assertFalse(m.shouldStop(), "epoch " + e);
    }
    m.observe(0.1, 5);
    assertTrue(m.shouldStop());
    assertThrows(IllegalStateException.class, () -> m.observe(1, 0));
  }

  @Test
  void theDataSizeRuleGivesEnoughStepsOfPatienceWhateverTheEpochSize() {
    qt().withExamples(300).forAll(integers().between(1, 50_000)).checkAssert(steps -> {
      EarlyStopping r = EarlyStopping.forStepsPerEpoch(steps);
      assertTrue((long) r.patienceEpochs() * steps >= EarlyStopping.PATIENCE_STEPS);
      assertTrue(r.patienceEpochs() >= EarlyStopping.MIN_PATIENCE_EPOCHS);
      assertTrue(r.patienceEpochs() <= Math.max(EarlyStopping.MIN_PATIENCE_EPOCHS,
          EarlyStopping.PATIENCE_STEPS / steps + 1), "no more patience than the rule needs");
      assertTrue((long) r.minEpochs() * steps >= EarlyStopping.MIN_STEPS);
      assertTrue(r.plateauEpochs() < r.patienceEpochs(), "the rate is lowered before giving up");
    });
    assertThrows(IllegalArgumentException.class, () -> EarlyStopping.forStepsPerEpoch(0));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, 1, 1.5, 0.5, 1));
  }
}
