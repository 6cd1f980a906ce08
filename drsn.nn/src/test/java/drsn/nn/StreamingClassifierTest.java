package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class StreamingClassifierTest {

  static final Architecture ARCH = new Architecture(Family.DRSN_CW, 1, 2, 1, 64, List.of(4), List.of(1), 3, 2, 2, 3,
      Architecture.defaultNames(3), List.of(0f, 0f), List.of(1f, 1f), 4, false);

  static float[] stream(int frames, int channels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[frames * channels];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  /** Window [start, start + L) of an interleaved stream, in the model's layout [C, L]. */
  static float[] windowAt(float[] interleaved, int channels, int length, int start) {
    float[] w = new float[channels * length];
    for (int c = 0; c < channels; c++) {
      for (int t = 0; t < length; t++) {
        w[c * length + t] = interleaved[(start + t) * channels + c];
      }
    }
    return w;
  }

  @Test
  void chunksOfAnySizeGiveEveryHopsWindowAsTheBatchPredictorDoes() {
    Predictor p = PredictorTest.trained(ARCH, 3).predictor();
    int frames = 700;
    float[] x = stream(frames, 2, 5);
    qt().withExamples(40).forAll(integers().between(1, 150), integers().between(1, 90), integers().between(0, 99))
        .checkAssert((hop, chunk, seed) -> {
          List<Long> starts = new ArrayList<>();
          List<float[]> results = new ArrayList<>();
          var s = new StreamingClassifier(p, hop, (start, probs) -> {
            starts.add(start);
            results.add(probs.clone());
          });
          SplittableRandom r = new SplittableRandom(seed);
          int at = 0;
          while (at < frames) {
            int n = Math.min(frames - at, 1 + r.nextInt(chunk));
            s.accept(x, at * 2, n);
            at += n;
          }
          assertEquals(frames, s.position());
          int expected = frames < 64 ? 0 : (frames - 64) / hop + 1;
          assertEquals(expected, starts.size(), "one result per hop once the window is full");
          for (int k = 0; k < starts.size(); k++) {
            assertEquals((long) k * hop, starts.get(k));
            assertArrayEquals(p.predict(windowAt(x, 2, 64, k * hop)), results.get(k), 1e-6f);
          }
        });
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsTaken() {
    Predictor p = PredictorTest.trained(ARCH, 3).predictor();
    var s = new StreamingClassifier(p, 16, (start, probs) -> { });
    s.accept(new float[20]);
    float[] bad = new float[10];
    bad[7] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.accept(bad));
    assertTrue(e.getMessage().contains("stream position 13 (channel 1)"), e.getMessage());
    assertEquals(10, s.position());
    assertThrows(IllegalArgumentException.class, () -> s.accept(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> new StreamingClassifier(p, 0, (a, b) -> { }));
  }

  @Test
  @Tag("steady-state-allocation") // also run with C2 inlining none of the SIMD kernels: see pom.xml
  void noHeapAllocationPerHopAfterWarmUp() {
    var bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
      return;
    }
    // PredictorTest's network, whose predictor allocates nothing per call after warm-up.
    Predictor p = PredictorTest.trained(PredictorTest.ARCH, 7).predictor();
    float[] sink = new float[1];
    var s = new StreamingClassifier(p, 32, (start, probs) -> sink[0] += probs[0]);
    float[] chunk = stream(52, 1, 9); // not a multiple of the hop: hops fall anywhere inside chunks
    long id = Thread.currentThread().threadId();
    int chunks = 400; // 20800 frames: 650 hops
    long allocated = Long.MAX_VALUE;
    // As PredictorTest: until the JIT has compiled the path, interpreted calls allocate.
    for (long deadline = PredictorTest.untilSteady(); allocated >= chunks * 8L
        && !PredictorTest.steadyDeadlinePassed(deadline); ) {
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < chunks; i++) {
        s.accept(chunk);
      }
      allocated = mx.getThreadAllocatedBytes(id) - before;
    }
    assertTrue(allocated < chunks * 8L, "allocated " + allocated + " bytes over " + chunks * 52 / 32 + " hops");
  }
}
