package drsn.tensor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedPoolTest {

  @Test
  void aThreadGetsBackWhatItGaveBack() {
    SharedPool<Object> pool = new SharedPool<>(4);
    assertNull(pool.take(), "an empty pool has nothing idle");
    Object mine = new Object();
    pool.giveBack(mine);
    assertSame(mine, pool.take());
    assertNull(pool.take(), "taken objects are the caller's alone");
  }

  @Test
  void keepsAtMostItsCapacityOfIdleObjects() {
    SharedPool<Object> pool = new SharedPool<>(3);
    for (int i = 0; i < 5; i++) {
      pool.giveBack(new Object());
    }
    int idle = 0;
    while (pool.take() != null) {
      idle++;
    }
    assertEquals(3, idle);
    assertThrows(IllegalArgumentException.class, () -> new SharedPool<>(0));
  }

  @Test
  void neverHandsOneObjectToTwoThreadsAtOnce() throws Exception {
    SharedPool<int[]> pool = new SharedPool<>(2);
    ConcurrentHashMap<int[], Boolean> inUse = new ConcurrentHashMap<>();
    AtomicInteger clashes = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 2000; i++) {
          int[] o = pool.take();
          if (o == null) {
            o = new int[1];
          }
          if (inUse.putIfAbsent(o, Boolean.TRUE) != null) {
            clashes.incrementAndGet();
          }
          o[0]++;
          inUse.remove(o);
          pool.giveBack(o);
          if (i % 64 == 0) {
            Thread.yield();
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(0, clashes.get(), "objects handed to two threads at once");
    int idle = 0;
    while (pool.take() != null) {
      idle++;
    }
    assertTrue(idle >= 1 && idle <= 2, idle + " idle objects in a pool of 2");
  }
}
