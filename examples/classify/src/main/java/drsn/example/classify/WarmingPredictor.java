package drsn.example.classify;

import drsn.nn.Model;
import drsn.nn.Predictor;
import drsn.tensor.KernelProvider;

/**
 * Fast first answers and fast steady state: answers on the scalar kernels, which are quick from
 * the first call, while a background thread runs the SIMD predictor until the JIT has compiled it
 * (the Vector API is slow until then), and from then on on SIMD. Started after the first answer,
 * so that the warm-up does not delay it. The two kernel sets round differently in the last bits,
 * so an answer's probability may differ by about 1e-6 depending on when it was given.
 */
final class WarmingPredictor {

  private final Predictor scalar;
  private final Predictor simd;
  private volatile boolean simdReady;
  private boolean warmUpStarted;

  WarmingPredictor(Model model) {
    this.scalar = model.predictor(KernelProvider.scalar());
    KernelProvider chosen = KernelProvider.get();
    this.simd = chosen.isSimd() ? model.predictor(chosen) : null;
  }

  int inputSize() {
    return scalar.inputSize();
  }

  int classes() {
    return scalar.classes();
  }

  /** True once calls go to the SIMD kernels (never when this JVM has none). */
  boolean usesSimd() {
    return simdReady;
  }

  /** The predictor for the next call: SIMD once it is compiled, the scalar kernels before. */
  Predictor current() {
    return simdReady ? simd : scalar;
  }

  /** Starts warming the SIMD predictor in the background on {@code sample} (copied); once only. */
  void warmUp(float[] sample) {
    if (simd == null || warmUpStarted) {
      return;
    }
    warmUpStarted = true;
    float[] x = sample.clone();
    Thread t = Thread.ofPlatform().daemon().name("simd-warm-up").start(() -> {
      float[] out = new float[simd.classes()];
      long previous = Long.MAX_VALUE;
      // Until the time of a block of calls stops falling (compiled), but at most ten thousand calls.
      for (int block = 0; block < 100; block++) {
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
          simd.predict(x, out);
        }
        long took = System.nanoTime() - start;
        if (block >= 3 && took > 0.9 * previous) {
          break;
        }
        previous = Math.min(previous, took);
      }
      simdReady = true;
    });
    t.setPriority(Thread.MIN_PRIORITY);
  }
}
