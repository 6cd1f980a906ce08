package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.ConvShape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The memo behind the direct kernels' workspace sizes and tap tables: a value is computed once per
 * (shape, key) while a slot is free and then returned as remembered, for the same shape instance
 * or an equal one, never for another key; a full probe window answers null (the caller computes);
 * many threads filling it at once each get their key's value.
 */
class ShapeMemoTest {

  private static ConvShape shape(int i) {
    return ConvShape.of1d(1 + i % 17, 1 + i / 17 % 13, 16 + i, 3, 1 + i % 2, 1, 1);
  }

  private static String value(ConvShape s, int key) {
    return s + "/" + key;
  }

  @Test
  void computesOncePerKeyAndAnswersEqualShapesAlike() {
    ShapeMemo<String> memo = new ShapeMemo<>();
    AtomicInteger computed = new AtomicInteger();
    ShapeMemo.Compute<String> compute = (s, k) -> {
      computed.incrementAndGet();
      return value(s, k);
    };
    ConvShape s = shape(5);
    String first = memo.get(s, 3, compute);
    assertEquals(value(s, 3), first);
    assertSame(first, memo.get(s, 3, compute));
    ConvShape equal = new ConvShape(s.inChannels(), s.outChannels(), s.height(), s.width(), s.kernelH(), s.kernelW(),
        s.strideH(), s.strideW(), s.padH(), s.padW(), s.dilationH(), s.dilationW());
    assertSame(first, memo.get(equal, 3, compute));
    assertEquals(1, computed.get());
    assertEquals(value(s, 4), memo.get(s, 4, compute)); // another key is another entry
    assertEquals(2, computed.get());
  }

  @Test
  void aFullProbeWindowAnswersNullAndKeepsWhatItHolds() {
    ShapeMemo<String> memo = new ShapeMemo<>();
    ConvShape s = shape(1);
    // three times as many keys as slots: the table cannot hold them all, so windows fill up
    List<Integer> keys = new ArrayList<>();
    for (int k = 0; keys.size() < 3 * ShapeMemo.SLOTS; k++) {
      keys.add(k);
    }
    int remembered = 0;
    int refused = 0;
    for (int k : keys) {
      String v = memo.get(s, k, ShapeMemoTest::value);
      if (v == null) {
        refused++;
      } else {
        assertEquals(value(s, k), v);
        remembered++;
      }
    }
    assertTrue(refused > 0, "more keys than slots: some windows are full");
    assertTrue(remembered <= ShapeMemo.SLOTS, "at most one entry per slot");
    for (int k : keys) { // what is held is still right; what is not is still refused or now held
      String v = memo.get(s, k, (sh, key) -> {
        throw new AssertionError("nothing new fits once every window is full: " + key);
      });
      if (v != null) {
        assertEquals(value(s, k), v);
      }
    }
  }

  @Test
  void manyThreadsFillingAtOnceEachGetTheirValue() throws Exception {
    ShapeMemo<String> memo = new ShapeMemo<>();
    List<ConvShape> shapes = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      shapes.add(shape(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        done.add(pool.submit(() -> {
          for (int round = 0; round < 50; round++) {
            for (int i = 0; i < shapes.size(); i++) {
              ConvShape s = shapes.get((i + offset * 7) % shapes.size());
              String v = memo.get(s, round % 3, ShapeMemoTest::value);
              if (v != null) {
                assertEquals(value(s, round % 3), v);
              }
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
