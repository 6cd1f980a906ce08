package drsn.example.classify;

import drsn.nn.Model;
import drsn.nn.Predictor;
import drsn.tensor.KernelProvider;

/**
 * Fast first answers and fast steady state: answers on the scalar kernels, which are quick from
 * the first call, while a background thread loads the SIMD kernels and runs a SIMD predictor until
 * the JIT has compiled it (the Vector API is slow until then), and from then on on SIMD. Started
 * after the first answer, so that neither loading the Vector API's classes nor the warm-up delays
 * it. The two kernel sets round differently in the last bits, so an answer's probability may
 * differ by about 1e-6 depending on when it was given.
 */
final class WarmingPredictor {

  private final Model model;
  private final Predictor scalar;
  /** Set by the warm-up thread once the SIMD predictor is compiled; null until then and without SIMD. */
  private volatile Predictor simd;
  private boolean warmUpStarted;

  WarmingPredictor(Model model) {
    this.model = model;
    this.scalar = model.predictor(KernelProvider.scalar());
  }

  int inputSize() {
    return scalar.inputSize();
  }

  int classes() {
    return scalar.classes();
  }

  /** True once calls go to the SIMD kernels (never when this JVM has none). */
  boolean usesSimd() {
    return simd != null;
  }

  /** The predictor for the next call: SIMD once it is compiled, the scalar kernels before. */
  Predictor current() {
    Predictor ready = simd;
    return ready != null ? ready : scalar;
  }

  /**
   * Starts, once, a background thread that chooses this JVM's kernels and, when they are SIMD,
   * warms a predictor on them on {@code sample} (copied) before {@link #current} hands it out.
   */
  void warmUp(float[] sample) {
    if (warmUpStarted) {
      return;
    }
    warmUpStarted = true;
    float[] x = sample.clone();
    // A class rather than a lambda: the first lambda of a JVM generates classes at run time, which
    // would delay the answers that follow this one.
    Runnable warm = new Runnable() {
      @Override
      public void run() {
        warm(x);
      }
    };
    Thread t = Thread.ofPlatform().daemon().name("simd-warm-up").unstarted(warm);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private void warm(float[] x) {
    KernelProvider chosen = KernelProvider.get();
    if (!chosen.isSimd()) {
      return;
    }
    Predictor candidate = model.predictor(chosen);
    float[] out = new float[candidate.classes()];
    long previous = Long.MAX_VALUE;
    // Until the time of a block of calls stops falling (compiled), but at most ten thousand calls.
    for (int block = 0; block < 100; block++) {
      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        candidate.predict(x, out);
      }
      long took = System.nanoTime() - start;
      if (block >= 3 && took > 0.9 * previous) {
        break;
      }
      previous = Math.min(previous, took);
    }
    simd = candidate;
  }
}
