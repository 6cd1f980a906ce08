package drsn.train;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class MicroBatchesTest {

  @Test
  void microBatchesTileTheBatchWithAtLeastTwoSamplesEach() {
    qt().forAll(integers().between(2, 2000), integers().between(2, 300)).checkAssert((n, m) -> {
      int k = MicroBatches.count(n, m);
      int next = 0;
      for (int j = 0; j < k; j++) {
        if (MicroBatches.start(j, m) != next) {
          throw new AssertionError("gap before micro-batch " + j + " of n=" + n + ", m=" + m);
        }
        int size = MicroBatches.size(j, n, m);
        if (size < 2 || size > m + 1) {
          throw new AssertionError("micro-batch " + j + " has " + size + " samples (n=" + n + ", m=" + m + ")");
        }
        next += size;
      }
      if (next != n) {
        throw new AssertionError("micro-batches cover " + next + " of " + n + " samples");
      }
    });
  }
}
