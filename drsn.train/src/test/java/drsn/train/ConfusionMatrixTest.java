package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

  @Test
  void metricsMatchHandComputedValues() {
    // actual:    a a a b b c
    // predicted: a a b b c c
    ConfusionMatrix m = ConfusionMatrix.of(List.of("a", "b", "c"), new int[] {0, 0, 0, 1, 1, 2},
        new int[] {0, 0, 1, 1, 2, 2});
    assertEquals(2, m.count(0, 0));
    assertEquals(1, m.count(0, 1));
    assertEquals(6, m.total());
    assertEquals(4.0 / 6, m.accuracy(), 1e-15);
    assertEquals(1.0, m.precision(0), 1e-15);
    assertEquals(2.0 / 3, m.recall(0), 1e-15);
    assertEquals(0.8, m.f1(0), 1e-15);
    assertEquals(0.5, m.precision(1), 1e-15);
    assertEquals(0.5, m.recall(1), 1e-15);
    assertEquals(0.5, m.precision(2), 1e-15);
    assertEquals(1.0, m.recall(2), 1e-15);
    assertEquals(2.0 / 3, m.f1(2), 1e-15);
    assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, m.macroF1(), 1e-15);
    assertEquals(3, m.support(0));
    assertEquals(2, m.support(1));
    assertEquals(1, m.support(2));
  }

  @Test
  void supportsSumToTheTotalAndRecallIsDiagonalOverSupport() {
    ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c"), new long[] {5, 1, 0, 2, 0, 0, 3, 4, 9});
    long sum = 0;
    for (int c = 0; c < m.classes(); c++) {
      sum += m.support(c);
      assertEquals(m.support(c) == 0 ? 0 : (double) m.count(c, c) / m.support(c), m.recall(c), 1e-15);
    }
    assertEquals(m.total(), sum);
    assertEquals(2, m.support(1));
    assertThrows(IllegalArgumentException.class, () -> m.support(3));
  }

  @Test
  void absentClassesScoreZeroNotNaN() {
    ConfusionMatrix m = ConfusionMatrix.of(List.of("a", "b"), new int[] {0, 0}, new int[] {0, 0});
    assertEquals(0, m.precision(1));
    assertEquals(0, m.recall(1));
    assertEquals(0, m.f1(1));
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(List.of("a"), new int[] {0}, new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(List.of("a"), new int[] {0}, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(List.of("a", "b"), new long[3]));
  }
}
