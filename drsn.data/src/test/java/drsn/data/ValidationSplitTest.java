package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

  private static final List<String> NAMES = List.of("a", "b", "c");

  /** Recording r of class r % 3; sample t of channel 0 holds r * 1e5 + t so every window can be traced. */
  private static List<Recording> recordings(int count, int length) {
    var recs = new ArrayList<Recording>();
    for (int r = 0; r < count; r++) {
      float[] x = new float[length + 37 * r];
      for (int t = 0; t < x.length; t++) {
        x[t] = r * 100_000 + t;
      }
      recs.add(Recording.mono("rec" + r, r % 3, 1000, x));
    }
    return recs;
  }

  private static Set<Long> samples(Dataset d) {
    Set<Long> s = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      for (float v : d.example(i)) {
        s.add((long) v);
      }
    }
    return s;
  }

  @Test
  void byTimeNoSampleOfAValidationWindowIsInATrainingWindow() {
    qt().withExamples(60)
        .forAll(integers().between(3, 7), integers().between(16, 200), integers().between(1, 150),
            integers().between(10, 50))
        .checkAssert((count, window, stride, percent) -> {
          Dataset all = RecordingWindows.windowAll(recordings(count, 3000), NAMES, window, stride);
          DatasetSplit s = all.validationSplit(percent / 100.0, 1, SplitUnit.TIME);
          Set<Long> train = samples(s.train());
          for (Long v : samples(s.test())) {
            assertFalse(train.contains(v), "sample " + v + " on both sides");
          }
          for (int i = 0; i < s.train().size(); i++) {
            for (int j = 0; j < s.test().size(); j++) {
              assertFalse(s.train().windowOrigin(i).overlaps(s.test().windowOrigin(j)));
            }
          }
          // Every recording is on both sides, the later part for validation; at most the straddling windows are lost.
          assertTrue(s.train().size() + s.test().size() <= all.size());
          assertTrue(all.size() - s.train().size() - s.test().size() <= count * ((window + stride - 1) / stride),
              "only windows that straddle a boundary are dropped");
        });
  }

  @Test
  void byRecordingNoRecordingOnBothSidesAndEveryClassOnBoth() {
    qt().withExamples(40).forAll(integers().between(6, 15), integers().between(10, 50), integers().between(0, 1000))
        .checkAssert((count, percent, seed) -> {
          Dataset all = RecordingWindows.windowAll(recordings(count, 800), NAMES, 200, 100);
          DatasetSplit s = all.validationSplit(percent / 100.0, seed, SplitUnit.RECORDING);
          Set<Integer> train = new HashSet<>();
          for (int i = 0; i < s.train().size(); i++) {
            train.add(s.train().windowOrigin(i).recording());
          }
          for (int i = 0; i < s.test().size(); i++) {
            assertFalse(train.contains(s.test().windowOrigin(i).recording()));
          }
          assertEquals(all.size(), s.train().size() + s.test().size(), "whole recordings: nothing dropped");
          for (int c = 0; c < 3; c++) {
            assertTrue(s.train().classCounts()[c] > 0 && s.test().classCounts()[c] > 0);
          }
        });
  }

  @Test
  void plainExamplesAreSplitStratifiedAndDeterministically() {
    float[] data = new float[60 * 4];
    int[] labels = new int[60];
    for (int i = 0; i < 60; i++) {
      labels[i] = i % 3;
      data[4 * i] = i;
    }
    Dataset d = Dataset.of(data, labels, new int[] {1, 4}, NAMES);
    DatasetSplit a = d.validationSplit(0.2, 5, SplitUnit.TIME);
    DatasetSplit b = d.validationSplit(0.2, 5, SplitUnit.TIME);
    assertArrayEquals(new int[] {16, 16, 16}, a.train().classCounts());
    assertArrayEquals(new int[] {4, 4, 4}, a.test().classCounts());
    assertEquals(samples(a.test()), samples(b.test()), "same seed, same split");
    Set<Long> train = samples(a.train());
    for (Long v : samples(a.test())) {
      if (v != 0) {
        assertFalse(train.contains(v));
      }
    }
  }

  @Test
  void aClassTooSmallToSplitIsRefusedWithTheCounts() {
    Dataset d = Dataset.of(new float[5 * 2], new int[] {0, 0, 0, 0, 1}, new int[] {1, 2}, List.of("ok", "rare"));
    DatasetTest.assertMessage("no training or no validation examples (training examples per class: ok 4, rare 1)",
        () -> d.validationSplit(0.2, 1, SplitUnit.TIME));
  }

  @Test
  void aClassWithOneRecordingCannotBeSplitByRecording() {
    Dataset all = RecordingWindows.windowAll(recordings(4, 800), NAMES, 200, 100);
    DatasetTest.assertMessage("recordings per class: 'b' 1, 'c' 1",
        () -> all.validationSplit(0.2, 1, SplitUnit.RECORDING));
  }
}
