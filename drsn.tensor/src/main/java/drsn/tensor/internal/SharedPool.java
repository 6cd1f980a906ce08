package drsn.tensor.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Idle scratch objects (a kernel's packing buffers) shared by all threads. A thread-local would
 * give every new virtual thread — a service's every request — fresh, cold buffers; from this pool
 * a call takes a warm one and gives it back, with one atomic operation each way and no allocation
 * once as many exist as calls run at once. Beyond its capacity, given-back objects are dropped.
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
    for (int i = 0; i < slots.length(); i++) {
      T t = slots.getAndSet(i, null);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /** Makes {@code t} (which the caller no longer uses) available to the next {@link #take()}. */
  public void giveBack(T t) {
    for (int i = 0; i < slots.length(); i++) {
      if (slots.compareAndSet(i, null, t)) {
        return;
      }
    }
  }
}
