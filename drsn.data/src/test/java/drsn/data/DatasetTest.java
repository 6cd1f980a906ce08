package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  /** n examples of shape 2×3 whose values encode the example index, labels cycling over k classes. */
  static Dataset indexed(int n, int k) {
    float[] data = new float[n * 6];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 6; j++) {
        data[i * 6 + j] = i * 10 + j;
      }
      labels[i] = i % k;
    }
    String[] names = new String[k];
    for (int c = 0; c < k; c++) {
      names[c] = "class" + c;
    }
    return Dataset.of(data, labels, new int[] {2, 3}, List.of(names));
  }

  @Test
  void storesExamplesContiguouslyAndCopiesInput() {
    float[] data = {1, 2, 3, 4, 5, 6, 7, 8};
    var ds = Dataset.of(data, new int[] {1, 0}, new int[] {1, 2, 2}, List.of("x", "y"));
    data[0] = 99;
    assertEquals(2, ds.size());
    assertEquals(4, ds.exampleSize());
    assertArrayEquals(new int[] {1, 2, 2}, ds.exampleShape());
    assertArrayEquals(new float[] {1, 2, 3, 4}, ds.example(0));
    assertArrayEquals(new float[] {5, 6, 7, 8}, ds.example(1));
    assertEquals(1, ds.label(0));
    assertArrayEquals(new int[] {1, 1}, ds.classCounts());
  }

  @Test
  void rejectsBadInputsNamingWhatWasWrong() {
    var names = List.of("a", "b");
    assertMessage("non-finite value NaN", () -> Dataset.of(new float[] {0, 0, 0, Float.NaN}, new int[] {0, 1},
        new int[] {1, 2}, names));
    var e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[] {0, 0, 0, Float.POSITIVE_INFINITY},
        new int[] {0, 1}, new int[] {1, 2}, names));
    assertTrue(e.getMessage().contains("example 1"), e.getMessage());
    assertMessage("need 6 values", () -> Dataset.of(new float[4], new int[] {0, 1}, new int[] {1, 3}, names));
    assertMessage("got 2", () -> Dataset.of(new float[4], new int[] {0, 2}, new int[] {1, 2}, names));
    assertMessage("C×L or C×H×W", () -> Dataset.of(new float[4], new int[] {0, 1}, new int[] {2}, names));
    assertMessage("dimensions must be > 0", () -> Dataset.of(new float[0], new int[] {0, 1}, new int[] {0, 2}, names));
    assertMessage("distinct", () -> Dataset.of(new float[4], new int[] {0, 1}, new int[] {1, 2}, List.of("a", "a")));
    assertMessage("must not be null", () -> Dataset.of(null, new int[] {0}, new int[] {1, 2}, names));
    var ds = indexed(4, 2);
    assertMessage("0..3, got 4", () -> ds.example(4));
    assertMessage("strictly between 0 and 1, got 1.0", () -> ds.stratifiedSplit(1.0, 1));
    assertMessage("strictly between 0 and 1, got 0.0", () -> ds.stratifiedSplit(0.0, 1));
    assertMessage("indices[1]", () -> ds.subset(new int[] {0, -1}));
    assertMessage("no window origins", () -> ds.windowOrigin(0));
  }

  @Test
  void shufflingIsASeededPermutation() {
    var ds = indexed(50, 5);
    var a = ds.shuffled(3);
    var b = ds.shuffled(3);
    var c = ds.shuffled(4);
    boolean moved = false;
    boolean[] seen = new boolean[50];
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(a.example(i), b.example(i));
      int original = (int) a.example(i)[0] / 10;
      assertFalse(seen[original]);
      seen[original] = true;
      assertEquals(ds.label(original), a.label(i), "label travels with its example");
      moved |= original != i;
    }
    assertTrue(moved, "a shuffle of 50 should move something");
    assertFalse(Arrays.equals(a.labels(), c.labels()) && Arrays.equals(a.example(0), c.example(0)), "another seed");
  }

  @Test
  void stratifiedSplitKeepsClassProportionsAndIsDisjointAndSeeded() {
    // Unbalanced classes: 60, 30, 10 examples.
    int n = 100;
    float[] data = new float[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      data[2 * i] = i;
      labels[i] = i < 60 ? 0 : i < 90 ? 1 : 2;
    }
    var ds = Dataset.of(data, labels, new int[] {1, 2}, List.of("a", "b", "c"));
    var split = ds.stratifiedSplit(0.7, 9);
    assertArrayEquals(new int[] {42, 21, 7}, split.train().classCounts());
    assertArrayEquals(new int[] {18, 9, 3}, split.test().classCounts());
    boolean[] used = new boolean[n];
    for (Dataset part : List.of(split.train(), split.test())) {
      for (int i = 0; i < part.size(); i++) {
        int id = (int) part.example(i)[0];
        assertFalse(used[id], "example " + id + " in both parts");
        used[id] = true;
        assertEquals(labels[id], part.label(i));
      }
    }
    var again = ds.stratifiedSplit(0.7, 9);
    assertArrayEquals(split.train().example(5), again.train().example(5));
    var other = ds.stratifiedSplit(0.7, 10);
    boolean differs = false;
    for (int i = 0; i < other.train().size(); i++) {
      differs |= other.train().example(i)[0] != split.train().example(i)[0];
    }
    assertTrue(differs, "another seed picks other examples");
  }

  @Test
  void subsetKeepsOrderAndAllowsRepeats() {
    var ds = indexed(5, 2);
    var s = ds.subset(new int[] {4, 1, 4});
    assertEquals(3, s.size());
    assertArrayEquals(ds.example(4), s.example(0));
    assertArrayEquals(ds.example(1), s.example(1));
    assertArrayEquals(ds.example(4), s.example(2));
    assertArrayEquals(new int[] {0, 1, 0}, s.labels());
  }

  static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
    var e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
  }
}
