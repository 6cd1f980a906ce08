package drsn.tensor.simd;

import drsn.tensor.ConvShape;

/**
 * What a direct convolution derives from a shape and one integer (a batch, a workspace offset),
 * remembered: per call it would cost integer divisions or a loop over the taps that a batch-1
 * inference notices. An open-addressed table of immutable entries, filled without locks (an entry,
 * once seen, is complete: its fields are final; two threads that fill one slot at once lose one
 * entry, which is made again later) and never emptied, so nothing is allocated once a network's
 * shapes are in. {@link #get} returns null where the key's probe window is full: the caller
 * computes the value afresh (where it can without allocating).
 *
 * @param <T> the value, immutable or never written after it is put
 */
final class ShapeMemo<T> {

  /** Slots (a power of two) and how many a lookup probes from a key's hash. */
  static final int SLOTS = 256;
  static final int PROBES = 8;

  private record Entry<T>(ConvShape shape, int key, T value) {
  }

  private final Object[] table = new Object[SLOTS];

  /** The value remembered for (s, key), else {@code compute}'s, remembered; null if no slot is free. */
  T get(ConvShape s, int key, Compute<T> compute) {
    // a hash of the fields that tell a network's shapes apart, not the record's own hashCode (all 13
    // components through a method handle, as slow as the divisions saved); equal shapes share a slot
    int h = ((((s.inChannels() * 31 + s.outChannels()) * 31 + s.width()) * 31 + s.height()) * 31 + s.strideW()) * 31
        + key;
    h = (h ^ (h >>> 16)) & (SLOTS - 1);
    for (int i = 0; i < PROBES; i++) {
      int slot = (h + i) & (SLOTS - 1);
      @SuppressWarnings("unchecked")
      Entry<T> e = (Entry<T>) table[slot];
      if (e == null) {
        T value = compute.apply(s, key);
        table[slot] = new Entry<>(s, key, value);
        return value;
      }
      if (e.key == key && (e.shape == s || e.shape.equals(s))) { // the same layer's shape, or an equal one
        return e.value;
      }
    }
    return null;
  }

  /** The value of a shape and key. */
  @FunctionalInterface
  interface Compute<T> {
    T apply(ConvShape s, int key);
  }
}
