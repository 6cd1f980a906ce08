package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {

  @Test
  void everyExampleExactlyOncePerEpochWithMatchingDataAndLabels() {
    var ds = DatasetTest.indexed(103, 4);
    for (boolean drop : new boolean[] {false, true}) {
      var batcher = Batcher.over(ds).batchSize(10).shuffle(5).dropLast(drop).build();
      var batch = batcher.newBatch();
      float[] inputs = batch.inputs();
      for (int epoch = 0; epoch < 3; epoch++) {
        batcher.startEpoch(epoch);
        int[] seen = new int[ds.size()];
        int batches = 0;
        while (batcher.next(batch)) {
          batches++;
          assertSame(inputs, batch.inputs(), "the caller's buffer is reused");
          for (int k = 0; k < batch.size(); k++) {
            int i = batch.indices()[k];
            seen[i]++;
            assertEquals(ds.label(i), batch.labels()[k]);
            assertArrayEquals(ds.example(i), Arrays.copyOfRange(inputs, k * 6, k * 6 + 6));
          }
        }
        assertEquals(batcher.batchesPerEpoch(), batches);
        int total = Arrays.stream(seen).sum();
        assertEquals(drop ? 100 : 103, total);
        for (int s : seen) {
          assertTrue(s <= 1, "an example served twice in one epoch");
        }
      }
    }
  }

  @Test
  void anySizeBatchSizeAndSeedCoverEveryExampleOnce() {
    qt().withExamples(200).forAll(integers().between(1, 300), integers().between(1, 64), integers().all(),
        integers().between(0, 5)).checkAssert((n, size, seed, epoch) -> {
          var ds = DatasetTest.indexed(n, 3);
          var batcher = Batcher.over(ds).batchSize(size).shuffle(seed).build();
          batcher.startEpoch(epoch);
          List<Integer> order = order(batcher, epoch);
          assertEquals(n, order.size());
          assertEquals(n, new java.util.HashSet<>(order).size(), "no repeats");
        });
  }

  @Test
  void orderIsSeededPerEpochAndDiffersBetweenEpochs() {
    var ds = DatasetTest.indexed(64, 4);
    List<Integer> e0 = order(Batcher.over(ds).batchSize(7).shuffle(1).build(), 0);
    assertEquals(e0, order(Batcher.over(ds).batchSize(7).shuffle(1).build(), 0));
    assertFalse(e0.equals(order(Batcher.over(ds).batchSize(7).shuffle(1).build(), 1)));
    assertFalse(e0.equals(order(Batcher.over(ds).batchSize(7).shuffle(2).build(), 0)));
    List<Integer> sequential = order(Batcher.over(ds).batchSize(7).build(), 0);
    for (int i = 0; i < 64; i++) {
      assertEquals(i, sequential.get(i));
    }
  }

  @Test
  void augmentationIsAppliedPerExampleAndIndependentOfBatchSize() {
    var ds = DatasetTest.indexed(20, 2);
    var aug = new CircularShift(2);
    float[] a = collect(Batcher.over(ds).batchSize(3).shuffle(8).augmentation(aug).build());
    float[] b = collect(Batcher.over(ds).batchSize(8).shuffle(8).augmentation(aug).build());
    assertArrayEquals(a, b);
    float[] plain = collect(Batcher.over(ds).batchSize(8).shuffle(8).build());
    assertFalse(Arrays.equals(a, plain), "shifts must change something");
  }

  @Test
  void servingBatchesAllocatesNothingOnceWarm() {
    // Reflection: the test sources compile inside module drsn.data, which does not read jdk.management.
    java.util.function.LongSupplier allocatedBytes;
    try {
      Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
      var method = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
      method.invoke(mx);
      allocatedBytes = () -> {
        try {
          return (long) method.invoke(mx);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      };
    } catch (ReflectiveOperationException | ClassCastException e) {
      org.junit.jupiter.api.Assumptions.abort("per-thread allocation counters unavailable on this JVM: " + e);
      return;
    }
    var ds = SyntheticBearing.builder().examplesPerClass(10).windowLength(256).build().generate();
    var batcher = Batcher.over(ds).batchSize(16).shuffle(1)
        .augmentation(new NoiseAugmentation(NoiseKind.PINK, -4, 4).andThen(new CircularShift(30))).build();
    var batch = batcher.newBatch();
    for (int e = 0; e < 20; e++) { // warm up: scratch buffers, class loading, compilation
      batcher.startEpoch(e);
      while (batcher.next(batch)) {
        // drain
      }
    }
    long before = allocatedBytes.getAsLong();
    int batches = 0;
    for (int e = 20; e < 60; e++) {
      batcher.startEpoch(e);
      while (batcher.next(batch)) {
        batches++;
      }
    }
    long allocated = allocatedBytes.getAsLong() - before;
    // A copy of one batch would be 16 KB; allow a little for the measurement itself.
    assertTrue(allocated < 8192, batches + " batches allocated " + allocated + " bytes");
  }

  @Test
  void rejectsWrongBuffersAndBadOptions() {
    var ds = DatasetTest.indexed(10, 2);
    var batcher = Batcher.over(ds).batchSize(4).build();
    DatasetTest.assertMessage("must hold 4 examples", () -> batcher.next(new Batch(2, new int[] {2, 3})));
    DatasetTest.assertMessage("[2, 3]", () -> batcher.next(new Batch(4, new int[] {3, 2})));
    DatasetTest.assertMessage("batch size must be > 0, got 0", () -> Batcher.over(ds).batchSize(0));
    DatasetTest.assertMessage("exceed one array", () -> new Batch(1 << 20, new int[] {64, 4096}));
    DatasetTest.assertMessage("exceeds", () -> Batcher.over(ds).augmentation(new RandomCrop(4)).build());
  }

  private static List<Integer> order(Batcher b, int epoch) {
    b.startEpoch(epoch);
    var batch = b.newBatch();
    var out = new ArrayList<Integer>();
    while (b.next(batch)) {
      for (int k = 0; k < batch.size(); k++) {
        out.add(batch.indices()[k]);
      }
    }
    return out;
  }

  private static float[] collect(Batcher b) {
    var batch = b.newBatch();
    var out = new ArrayList<Float>();
    while (b.next(batch)) {
      for (int k = 0; k < batch.size() * batch.exampleSize(); k++) {
        out.add(batch.inputs()[k]);
      }
    }
    float[] f = new float[out.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = out.get(i);
    }
    return f;
  }
}
