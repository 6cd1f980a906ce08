package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void paperScheduleDropsTenfoldAtFortyAndEightyPercent() {
    LearningRateSchedule s = LearningRateSchedule.paper(0.1);
    long total = 100;
    assertEquals(0.1, s.rate(0, total), 1e-15);
    assertEquals(0.1, s.rate(39, total), 1e-15);
    assertEquals(0.01, s.rate(40, total), 1e-15);
    assertEquals(0.01, s.rate(79, total), 1e-15);
    assertEquals(0.001, s.rate(80, total), 1e-15);
    assertEquals(0.001, s.rate(99, total), 1e-15);
  }

  @Test
  void cosineGoesFromLrToMinimum() {
    LearningRateSchedule s = LearningRateSchedule.cosine(0.2, 0.02);
    assertEquals(0.2, s.rate(0, 11), 1e-12);
    assertEquals(0.11, s.rate(5, 11), 1e-12);
    assertEquals(0.02, s.rate(10, 11), 1e-12);
    for (int t = 1; t < 11; t++) {
      if (!(s.rate(t, 11) <= s.rate(t - 1, 11))) {
        throw new AssertionError("cosine must not increase, step " + t);
      }
    }
  }

  @Test
  void warmupRampsLinearlyThenFollowsTheBase() {
    LearningRateSchedule s = LearningRateSchedule.constant(0.4).withWarmup(4);
    assertEquals(0.1, s.rate(0, 10), 1e-15);
    assertEquals(0.2, s.rate(1, 10), 1e-15);
    assertEquals(0.4, s.rate(3, 10), 1e-15);
    assertEquals(0.4, s.rate(9, 10), 1e-15);
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.steps(0.1, 0.1, 0.8, 0.4));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0.2));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(1).withWarmup(-1));
  }
}
