package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import drsn.tensor.ConvShape;
import drsn.tensor.KernelProvider;
import drsn.tensor.internal.ConvChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The direct kernels remember each (shape, batch)'s workspace need in a table filled without
 * locks: whatever the table holds, full or being filled from many threads at once, with shapes
 * that are the same instance or only equal, {@link DirectConvolution#workspaceSize} is the size
 * computed afresh, and a workspace one float short of it is refused by the call.
 */
class DirectConvolutionWorkspaceTest {

  /** More distinct (shape, batch) keys than the table has slots, so its probe windows fill up. */
  private static List<ConvShape> shapes(long seed, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ConvShape> shapes = new ArrayList<>();
    while (shapes.size() < count) {
      int k = 1 + 2 * r.nextInt(3);
      try {
        shapes.add(r.nextInt(4) == 0
            ? ConvShape.of2d(1 + r.nextInt(8), 1 + r.nextInt(8), 1 + r.nextInt(12), 1 + r.nextInt(40), k,
                1 + r.nextInt(2), k / 2, 1)
            : ConvShape.of1d(1 + r.nextInt(20), 1 + r.nextInt(20), 1 + r.nextInt(600), k, 1 + r.nextInt(3), k / 2,
                1));
      } catch (IllegalArgumentException kernelTooLarge) {
        // drawn again
      }
    }
    return shapes;
  }

  private static int fresh(ConvShape s, int batch) {
    return ConvChecks.workspaceInt(s, DirectConvolution.needed(s, batch));
  }

  @Test
  void theRememberedSizeIsTheComputedOneForSameAndEqualShapes() {
    assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    DirectConvolution conv = new DirectConvolution();
    List<ConvShape> shapes = shapes(1, 1500);
    for (int round = 0; round < 3; round++) {
      for (ConvShape s : shapes) {
        int batch = 1 + (s.width() + round) % 40;
        assertEquals(fresh(s, batch), conv.workspaceSize(s, batch), s + " batch " + batch);
        ConvShape copy = new ConvShape(s.inChannels(), s.outChannels(), s.height(), s.width(), s.kernelH(),
            s.kernelW(), s.strideH(), s.strideW(), s.padH(), s.padW(), s.dilationH(), s.dilationW());
        assertEquals(fresh(s, batch), conv.workspaceSize(copy, batch), "an equal copy of " + s);
      }
    }
  }

  @Test
  void manyThreadsFillingTheTableAtOnceGetTheComputedSizes() throws Exception {
    assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    DirectConvolution conv = new DirectConvolution();
    List<ConvShape> shapes = shapes(2, 600);
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t * 37;
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 4 * shapes.size(); i++) {
            ConvShape s = shapes.get((i + offset) % shapes.size());
            int batch = 1 + i % 5;
            assertEquals(fresh(s, batch), conv.workspaceSize(s, batch), s + " batch " + batch);
          }
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    }
  }

  @Test
  void aWorkspaceOneShortIsRefusedWhenTheTableIsFull() {
    assumeTrue(KernelProvider.simd().isPresent(), "Vector API unavailable in this run");
    DirectConvolution conv = new DirectConvolution();
    for (ConvShape s : shapes(3, 2000)) {
      conv.workspaceSize(s, 1); // fills every slot
    }
    ConvShape s = ConvShape.of1d(16, 16, 128, 3, 1, 1, 1);
    float[] x = new float[s.inputSize()];
    float[] w = new float[s.weightSize()];
    float[] y = new float[s.outputSize()];
    float[] ws = new float[fresh(s, 1) - 1];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.forward(s, 1, x, 0, w, 0, null, 0, y, 0, ws));
    assertTrue(e.getMessage().contains("workspace"), e.getMessage());
    conv.forward(s, 1, x, 0, w, 0, null, 0, y, 0, new float[fresh(s, 1)]);
  }
}
