package drsn.tensor.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Idle scratch objects (a kernel's packing buffers) shared by all threads. A thread-local would
 * give every new virtual thread — a service's every request — fresh, cold buffers; from this pool
 * a call takes a warm one and gives it back, with one atomic operation each way and no allocation
 * once as many exist as calls run at once. Beyond its capacity, given-back objects are dropped.
 * Each thread starts its search at a slot of its own (its id modulo the capacity) and gives back
 * there first, so that a pool worker keeps getting the buffer that is warm in its core's cache
 * instead of trading buffers with the other cores (two-thread SGEMM 512, `drsn bench`: 293–345
 * GFLOP/s with every thread starting at slot 0, 323–358 with home slots, 347–358 with the former
 * thread-local buffers; runs of one idle machine, noisy).
 */
public final class SharedPool<T> {

  private final AtomicReferenceArray<T> slots;

  /** A pool that keeps up to {@code capacity} idle objects. */
  public SharedPool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    slots = new AtomicReferenceArray<>(capacity);
  }

  /** An idle object, now the caller's alone, or null when none is idle (the caller makes one). */
  public T take() {
    int n = slots.length();
    int home = home(n);
    for (int k = 0; k < n; k++) {
      T t = slots.getAndSet((home + k) % n, null);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /** Makes {@code t} (which the caller no longer uses) available to the next {@link #take()}. */
  public void giveBack(T t) {
    int n = slots.length();
    int home = home(n);
    for (int k = 0; k < n; k++) {
      if (slots.compareAndSet((home + k) % n, null, t)) {
        return;
      }
    }
  }

  private static int home(int n) {
    return (int) Long.remainderUnsigned(Thread.currentThread().threadId(), n);
  }
}
