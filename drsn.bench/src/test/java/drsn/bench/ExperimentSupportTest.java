package drsn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics and option parsing the experiment runners report with. */
class ExperimentSupportTest {

  @Test
  void stdOfTwoValuesIsTheirDistanceOverRootTwo() {
    qt().forAll(doubles().between(-1e3, 1e3), doubles().between(-1e3, 1e3)).checkAssert((a, b) ->
        assertEquals(Math.abs(a - b) / Math.sqrt(2), ExperimentSupport.std(new double[] {a, b}), 1e-9));
  }

  @Test
  void stdIsShiftInvariantAndScalesWithTheData() {
    qt().forAll(lists().of(doubles().between(-100, 100)).ofSizeBetween(2, 20), doubles().between(-50, 50),
        doubles().between(0.1, 10)).checkAssert((list, shift, scale) -> {
          double[] x = list.stream().mapToDouble(Double::doubleValue).toArray();
          double[] y = list.stream().mapToDouble(v -> scale * v + shift).toArray();
          assertEquals(scale * ExperimentSupport.std(x), ExperimentSupport.std(y), 1e-7 * (1 + scale * 100));
          assertEquals(scale * ExperimentSupport.mean(x) + shift, ExperimentSupport.mean(y), 1e-7 * (1 + scale * 100));
        });
  }

  @Test
  void aSingleRunHasNoSpread() {
    assertEquals(0, ExperimentSupport.std(new double[] {0.83}));
  }

  @Test
  void percentileIsTheValueAtRankCeilQN() {
    qt().forAll(integers().between(1, 500)).checkAssert(n -> {
      double[] sorted = new double[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = i + 1; // value = 1-based rank
      }
      assertEquals(Math.ceil(0.5 * n), PeerBench.percentile(sorted, 0.5));
      assertEquals(Math.ceil(0.99 * n), PeerBench.percentile(sorted, 0.99));
      assertTrue(PeerBench.percentile(sorted, 0.99) >= PeerBench.percentile(sorted, 0.5));
    });
  }

  @Test
  void unknownOrIncompleteOptionsAreRejectedByName() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ExperimentSupport.options(new String[] {"--epoch", "3"}, List.of("epochs"), "usage"));
    assertTrue(e.getMessage().contains("--epoch"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ExperimentSupport.options(new String[] {"--epochs"}, List.of("epochs"), "usage"));
    assertTrue(e.getMessage().contains("without a value"), e.getMessage());
    assertEquals("3", ExperimentSupport.options(new String[] {"--epochs", "3"}, List.of("epochs"), "u").get("epochs"));
  }

  @Test
  void noiseNamesMapToTheThreeKindsAndOthersAreRejected() {
    assertEquals(3, List.of("gaussian", "laplacian", "pink").stream().map(NoiseExperiment::noise).distinct().count());
    var e = assertThrows(IllegalArgumentException.class, () -> NoiseExperiment.noise("brown"));
    assertTrue(e.getMessage().contains("brown"), e.getMessage());
  }
}
