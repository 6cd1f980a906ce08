package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import drsn.tensor.KernelProvider;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class PredictorTest {

  static final Architecture ARCH = Architecture.paper(Family.DRSN_CW, 256, 5);

  static Model trained(Architecture arch, long seed) {
    Network net = Network.create(arch, seed).training(true);
    float[] x = CheckpointTest.randomInput(arch, 4, seed);
    for (int i = 0; i < 3; i++) {
      net.forward(x, 4);
    }
    return net.toModel();
  }

  @Test
  void probabilitiesAreADistributionAndMatchTheNetwork() {
    Model m = trained(ARCH, 1);
    Predictor p = m.predictor();
    float[] x = CheckpointTest.randomInput(ARCH, 1, 2);
    float[] probs = p.predict(x);
    double sum = 0;
    for (float v : probs) {
      assertTrue(v >= 0f && v <= 1f);
      sum += v;
    }
    assertEquals(1.0, sum, 1e-5);
    float[] logits = m.newNetwork(KernelProvider.get()).forward(x, 1);
    int argmax = 0;
    for (int k = 1; k < logits.length; k++) {
      if (logits[k] > logits[argmax]) {
        argmax = k;
      }
    }
    for (int k = 0; k < probs.length; k++) {
      assertTrue(probs[k] <= probs[argmax]);
    }
  }

  /** Evaluation mode: a sample's output does not depend on the other samples of its batch. */
  @Test
  void aSamplesOutputIsIndependentOfItsBatch() {
    Predictor[] predictors = new Predictor[Family.values().length];
    for (Family f : Family.values()) {
      // The scalar kernels: deterministic call to call, so "independent" can be asserted bit for bit.
      predictors[f.ordinal()] = trained(ARCH.withFamily(f), 3).predictor(KernelProvider.scalar());
    }
    int in = ARCH.inputSize();
    qt().withExamples(25).forAll(integers().between(1, 6), integers().between(0, 10_000)).checkAssert((n, seed) -> {
      Predictor p = predictors[seed % predictors.length];
      int pos = seed % n;
      float[] a = CheckpointTest.randomInput(ARCH, n, seed);
      float[] b = CheckpointTest.randomInput(ARCH, n, seed + 1);
      System.arraycopy(a, pos * in, b, pos * in, in);
      float[] pa = new float[n * 5];
      float[] pb = new float[n * 5];
      p.predictBatch(a, n, pa);
      p.predictBatch(b, n, pb);
      // Same position, same batch size, different companions: bit-identical.
      assertArrayEquals(java.util.Arrays.copyOfRange(pa, pos * 5, pos * 5 + 5),
          java.util.Arrays.copyOfRange(pb, pos * 5, pos * 5 + 5));
      // Alone: equal up to the summation order a kernel may choose by batch size.
      float[] alone = p.predict(java.util.Arrays.copyOfRange(a, pos * in, (pos + 1) * in));
      for (int k = 0; k < 5; k++) {
        assertEquals(alone[k], pa[pos * 5 + k], 1e-5f);
      }
    });
  }

  @Test
  void inputIsValidated() {
    Predictor p = trained(ARCH, 4).predictor();
    float[] ok = new float[ARCH.inputSize()];
    var e = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[ARCH.inputSize() - 1]));
    assertTrue(e.getMessage().contains("expected " + ARCH.inputSize()), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.predict(null));
    float[] nan = ok.clone();
    nan[17] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> p.predict(nan));
    assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("17"), e.getMessage());
    float[] inf = ok.clone();
    inf[3] = Float.NEGATIVE_INFINITY;
    assertThrows(IllegalArgumentException.class, () -> p.predict(inf));
    // Finite inputs whose sum overflows to infinity (the fast check's fallback) are accepted.
    float[] huge = ok.clone();
    java.util.Arrays.fill(huge, Float.MAX_VALUE);
    huge[1] = -Float.MAX_VALUE;
    assertEquals(ARCH.classes(), p.predict(huge).length);
    float[] posInf = ok.clone();
    posInf[ARCH.inputSize() - 1] = Float.POSITIVE_INFINITY;
    e = assertThrows(IllegalArgumentException.class, () -> p.predict(posInf));
    assertTrue(e.getMessage().contains("Infinity") && e.getMessage().contains(String.valueOf(ARCH.inputSize() - 1)),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.predict(ok, new float[4]));
    assertThrows(IllegalArgumentException.class, () -> p.predictBatch(ok, 0, new float[5]));
    assertThrows(IllegalArgumentException.class, () -> p.predictBatch(new float[][] {ok, new float[3]}));
  }

  @Test
  void oneInstanceIsSafeToShareAcrossThreads() throws Exception {
    Predictor p = trained(ARCH, 5).predictor();
    int samples = 24;
    float[] x = CheckpointTest.randomInput(ARCH, samples, 6);
    int in = ARCH.inputSize();
    float[][] expected = new float[samples][];
    for (int s = 0; s < samples; s++) {
      expected[s] = p.predict(java.util.Arrays.copyOfRange(x, s * in, (s + 1) * in));
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        futures.add(pool.submit(() -> {
          float[] out = new float[5];
          for (int rep = 0; rep < 10; rep++) {
            for (int i = 0; i < samples; i++) {
              int s = (i + offset) % samples;
              p.predict(java.util.Arrays.copyOfRange(x, s * in, (s + 1) * in), out);
              // Not bitwise: the SIMD reductions may round differently once the JIT compiles them
              // (reported); a race would corrupt far more than the last bits.
              for (int k = 0; k < out.length; k++) {
                if (!(Math.abs(out[k] - expected[s][k]) <= 1e-5f)) {
                  return false;
                }
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : futures) {
        assertTrue(f.get());
      }
    }
  }

  @Test
  @Tag("steady-state-allocation") // also run with C2 inlining none of the SIMD kernels: see pom.xml
  void noHeapAllocationPerCallAfterWarmUp() {
    assertNoAllocationPerCall(ARCH);
  }

  /**
   * A window of 250: rows of 250, 125, 63 and 32 floats, so every kernel's masked or overlapping
   * last vector runs (a mask that escaped would be an object per call).
   */
  @Test
  @Tag("steady-state-allocation") // also run with C2 inlining none of the SIMD kernels: see pom.xml
  void noHeapAllocationPerCallAtAWindowThatIsNotAMultipleOfTheVector() {
    assertNoAllocationPerCall(Architecture.paper(Family.DRSN_CW, 250, 5));
  }

  private static void assertNoAllocationPerCall(Architecture arch) {
    var bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
      return;
    }
    Predictor p = trained(arch, 7).predictor();
    float[] x = CheckpointTest.randomInput(arch, 1, 8);
    float[] out = new float[5];
    long id = Thread.currentThread().threadId();
    int calls = 500;
    long allocated = Long.MAX_VALUE;
    // Until the JIT has compiled the path (escape analysis removes the kernels' temporary vector
    // objects), interpreted calls allocate; the property is that steady state allocates nothing.
    for (long deadline = untilSteady(); allocated >= calls * 8L && !steadyDeadlinePassed(deadline); ) {
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < calls; i++) {
        p.predict(x, out);
      }
      allocated = mx.getThreadAllocatedBytes(id) - before;
    }
    // Not a single array or object per call (a few stray bytes from the JIT or the bean itself pass).
    assertTrue(allocated < calls * 8L, "window " + arch.inputWidth() + ": allocated " + allocated + " bytes over "
        + calls + " calls");
  }

  /**
   * Virtual threads have no allocation counter of their own (the bean answers -1), so this measures
   * the whole JVM's allocation while virtual threads predict, minus the same virtual threads doing
   * nothing: what remains is what the calls allocate. As many threads as the pool holds, so that no
   * call waits (a waiting virtual thread parks, and parking stores its stack on the heap).
   */
  @Test
  @Tag("steady-state-allocation") // also run with C2 inlining none of the SIMD kernels: see pom.xml
  void steadyStateCallsOnVirtualThreadsAllocateNothing() throws Exception {
    var bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()
        || mx.getTotalThreadAllocatedBytes() < 0) {
      return;
    }
    Predictor p = trained(ARCH, 11).predictor();
    float[] x = CheckpointTest.randomInput(ARCH, 1, 12);
    float[] warm = new float[5];
    // Warm-up on this thread until the JIT has compiled the path (as in the test above).
    long id = Thread.currentThread().threadId();
    long warmDeadline = untilSteady();
    for (int allocated = Integer.MAX_VALUE; allocated >= 500 * 8 && !steadyDeadlinePassed(warmDeadline); ) {
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < 500; i++) {
        p.predict(x, warm);
      }
      allocated = (int) Math.min(Integer.MAX_VALUE, mx.getThreadAllocatedBytes(id) - before);
    }
    int threads = p.poolSize();
    int callsPerThread = 200;
    long calls = (long) threads * callsPerThread;
    long perCall = Long.MAX_VALUE;
    // Fresh virtual threads each round: what a call allocates on a thread that never called before
    // (per-thread state anywhere on the path would show here), until the rest of the path is compiled.
    for (long deadline = untilSteady(); perCall >= 8 && !steadyDeadlinePassed(deadline); ) {
      long withCalls = allocatedByVirtualThreads(mx, threads, () -> {
        float[] out = new float[5]; // once per thread, outside the measured calls' steady state
        for (int i = 0; i < callsPerThread; i++) {
          p.predict(x, out);
        }
      });
      long idle = allocatedByVirtualThreads(mx, threads, () -> {
        float[] out = new float[5];
        for (int i = 0; i < callsPerThread; i++) {
          out[i % 5] = i;
        }
      });
      perCall = Math.max(0, withCalls - idle) / calls;
    }
    assertTrue(p.networksCreated() <= threads, p.networksCreated() + " networks for " + threads + " threads");
    // Below one object per call: stray bytes of other JVM threads (the total counts them) pass.
    assertTrue(perCall < 8, perCall + " bytes per call on virtual threads");
  }

  /**
   * Until when allocation measurements repeat while waiting for the steady state: interpreted and
   * C1-compiled code allocates (boxed vectors) until C2 has compiled the path, and on a loaded
   * machine C2's queue is long and HotSpot raises its thresholds with it, so that can take many
   * seconds. A real per-call allocation never reaches the steady state and fails after the minute.
   */
  static long untilSteady() {
    return System.nanoTime() + 60_000_000_000L;
  }

  static boolean steadyDeadlinePassed(long deadline) {
    return System.nanoTime() - deadline > 0;
  }

  private static long allocatedByVirtualThreads(com.sun.management.ThreadMXBean mx, int threads, Runnable work)
      throws InterruptedException {
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    Thread[] started = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      started[t] = Thread.ofVirtual().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        work.run();
      });
    }
    long before = mx.getTotalThreadAllocatedBytes();
    start.countDown();
    for (Thread t : started) {
      t.join();
    }
    return mx.getTotalThreadAllocatedBytes() - before;
  }

  @Test
  void thousandsOfVirtualThreadsShareABoundedPoolOfWarmWorkspaces() throws Exception {
    Predictor p = trained(ARCH, 9).predictor();
    int samples = 24;
    int in = ARCH.inputSize();
    float[] x = CheckpointTest.randomInput(ARCH, samples, 10);
    float[][] expected = new float[samples][];
    for (int s = 0; s < samples; s++) {
      expected[s] = p.predict(java.util.Arrays.copyOfRange(x, s * in, (s + 1) * in));
    }
    assertEquals(1, p.networksCreated(), "one caller, one set of workspaces");
    // One request per virtual thread, one after another (as a service on virtual threads): the
    // warm workspaces are reused, none is built per thread.
    for (int t = 0; t < 1000; t++) {
      int s = t % samples;
      Thread v = Thread.ofVirtual().start(() -> p.predict(java.util.Arrays.copyOfRange(x, s * in, (s + 1) * in)));
      v.join();
    }
    assertEquals(1, p.networksCreated(), "sequential virtual threads reuse the one warm network");
    // Thousands at once: correct results, never more networks than the pool allows.
    java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
    try (ExecutorService many = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 5000; t++) {
        int s = t % samples;
        many.submit(() -> {
          float[] out = new float[5];
          p.predict(java.util.Arrays.copyOfRange(x, s * in, (s + 1) * in), out);
          for (int k = 0; k < out.length; k++) {
            if (!(Math.abs(out[k] - expected[s][k]) <= 1e-5f)) {
              wrong.incrementAndGet();
              return;
            }
          }
        });
      }
    }
    assertEquals(0, wrong.get(), "predictions from shared workspaces must not mix");
    assertTrue(p.networksCreated() >= 1 && p.networksCreated() <= p.poolSize(),
        p.networksCreated() + " networks for a pool of " + p.poolSize());
  }
}
