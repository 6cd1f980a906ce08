package drsn.nn;

import drsn.tensor.KernelProvider;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Class probabilities from a {@link Model}, for services: one instance is safe to share across
 * threads, platform or virtual. A call borrows an evaluation-mode network (its workspaces) over the
 * model's shared, never-written parameters from a bounded pool and returns it: at most
 * {@link #poolSize()} networks exist (by default twice the available processors — more would only
 * wait for a core), so a service that runs every request on a new virtual thread reuses warm
 * workspaces instead of building a network per thread; when all are in use, a call waits for one.
 * After a network's first call with a given batch size (warm-up), calls that are given their
 * output array allocate nothing on the heap, whichever thread makes them.
 *
 * <p>Inputs are raw signals (the model normalises them with its input statistics), laid out
 * [C, H, W] per sample, samples one after another. Wrong lengths, NaN or infinite values give an
 * {@link IllegalArgumentException} that names the problem.
 */
public final class Predictor {

  private final Model model;
  private final Architecture arch;
  private final KernelProvider provider;
  /**
   * Idle networks, one slot each; a call takes one and puts it back with compare-and-set, so a
   * call that does not wait allocates nothing and never parks. (A locked queue would park callers
   * that merely collide on its lock, and a parked virtual thread stores its stack on the heap.)
   */
  private final AtomicReferenceArray<Network> idle;
  /** One permit per network: a call beyond {@link #poolSize()} concurrent ones waits here. */
  private final Semaphore permits;
  private final AtomicInteger created = new AtomicInteger();
  private final int poolSize;

  Predictor(Model model, KernelProvider provider) {
    this(model, provider, 2 * Runtime.getRuntime().availableProcessors());
  }

  Predictor(Model model, KernelProvider provider, int poolSize) {
    if (provider == null) {
      throw new IllegalArgumentException("kernel provider must not be null");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("pool size must be >= 1, got " + poolSize);
    }
    this.model = model;
    this.arch = model.architecture();
    this.provider = provider;
    this.poolSize = poolSize;
    this.idle = new AtomicReferenceArray<>(poolSize);
    this.permits = new Semaphore(poolSize);
  }

  /** The most networks (sets of workspaces) this predictor builds; calls beyond them wait. */
  public int poolSize() {
    return poolSize;
  }

  /** Networks built so far (at most {@link #poolSize()}). */
  public int networksCreated() {
    return created.get();
  }

  private Network borrow() {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free predictor workspace", e);
    }
    while (true) {
      for (int i = 0; i < poolSize; i++) {
        Network n = idle.getAndSet(i, null);
        if (n != null) {
          return n;
        }
      }
      if (created.incrementAndGet() <= poolSize) {
        return Network.overFixedParameters(arch, model.parameters(), provider);
      }
      // Every network exists and this call holds a permit, so one is being given back right now.
      created.decrementAndGet();
      Thread.onSpinWait();
    }
  }

  private void giveBack(Network n) {
    // Fewer networks are idle than exist, so a slot is free; a slot taken meanwhile means try the next.
    for (int i = 0; ; i = (i + 1) % poolSize) {
      if (idle.compareAndSet(i, null, n)) {
        permits.release();
        return;
      }
    }
  }

  public Model model() {
    return model;
  }

  /** Floats per input sample: channels·height·width. */
  public int inputSize() {
    return arch.inputSize();
  }

  public int classes() {
    return arch.classes();
  }

  /** Class probabilities of one signal (allocates the result). */
  public float[] predict(float[] signal) {
    float[] out = new float[arch.classes()];
    predict(signal, out);
    return out;
  }

  /** Class probabilities of one signal into probabilities[0, classes). */
  public void predict(float[] signal, float[] probabilities) {
    predictBatch(signal, 1, probabilities);
  }

  /**
   * Class probabilities of n signals laid out one after another in {@code signals} (exactly
   * n·inputSize() floats) into {@code probabilities} [n, classes] (at least n·classes floats).
   */
  public void predictBatch(float[] signals, int n, float[] probabilities) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + n);
    }
    int in = arch.inputSize();
    if (signals == null || signals.length != (long) n * in) {
      throw new IllegalArgumentException("expected " + ((long) n * in) + " input floats (" + n + " x "
          + arch.inputChannels() + " channels x " + (arch.dimensions() == 2 ? arch.inputHeight() + "x" : "")
          + arch.inputWidth() + "), got " + (signals == null ? "null" : signals.length));
    }
    if (probabilities == null || probabilities.length < (long) n * arch.classes()) {
      throw new IllegalArgumentException("expected an output array of at least " + ((long) n * arch.classes())
          + " floats, got " + (probabilities == null ? "null" : probabilities.length));
    }
    requireFinite(signals, in);
    Network net = borrow();
    try {
      float[] logits = net.forward(signals, n);
      provider.elementwise().softmaxRows(n, arch.classes(), logits, 0, probabilities, 0);
    } finally {
      giveBack(net);
    }
  }

  private void requireFinite(float[] signals, int in) {
    // A NaN or infinity anywhere makes the sum non-finite (it stays so through every later add), so a
    // finite sum proves every input finite in one vectorised pass (a scalar loop over the batch-1
    // input cost about 0.5 µs of a 40 µs inference); a non-finite sum (that, or finite values whose
    // sum overflows) takes the element loop, which names the bad value or finds none.
    if (Float.isFinite(provider.reductions().sum(signals, 0, signals.length))) {
      return;
    }
    for (int i = 0; i < signals.length; i++) {
      float v = signals[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("input value " + v + " at index " + i + " (sample " + (i / in)
            + ", channel " + ((i % in) / (in / arch.inputChannels())) + "): inputs must be finite");
      }
    }
  }

  /** Class probabilities of several signals (allocates; for convenience). */
  public float[][] predictBatch(float[][] signals) {
    if (signals == null || signals.length == 0) {
      throw new IllegalArgumentException("expected at least one signal, got "
          + (signals == null ? "null" : "none"));
    }
    int in = arch.inputSize();
    float[] flat = new float[signals.length * in];
    for (int s = 0; s < signals.length; s++) {
      if (signals[s] == null || signals[s].length != in) {
        throw new IllegalArgumentException("signal " + s + ": expected " + in + " floats, got "
            + (signals[s] == null ? "null" : signals[s].length));
      }
      System.arraycopy(signals[s], 0, flat, s * in, in);
    }
    float[] probs = new float[signals.length * arch.classes()];
    predictBatch(flat, signals.length, probs);
    float[][] out = new float[signals.length][];
    for (int s = 0; s < signals.length; s++) {
      out[s] = Arrays.copyOfRange(probs, s * arch.classes(), (s + 1) * arch.classes());
    }
    return out;
  }
}
