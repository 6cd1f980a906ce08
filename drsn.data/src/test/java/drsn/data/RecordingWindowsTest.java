package drsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class RecordingWindowsTest {

  private static final List<String> NAMES = List.of("a", "b", "c");

  /** A two-channel recording whose samples encode (recording, channel, time) so windows can be traced. */
  private static Recording traced(int r, int length) {
    float[][] ch = new float[2][length];
    for (int t = 0; t < length; t++) {
      ch[0][t] = r * 100_000 + t;
      ch[1][t] = -(r * 100_000 + t);
    }
    return new Recording("rec" + r, r % 3, 1000, ch);
  }

  @Test
  void windowCountMatchesTheWindowsThatFit() {
    qt().withExamples(500).forAll(integers().between(0, 3000), integers().between(1, 400), integers().between(1, 300))
        .checkAssert((length, window, stride) -> {
          int n = RecordingWindows.windowCount(length, window, stride);
          if (n == 0) {
            assertTrue(window > length);
          } else {
            int lastEnd = (n - 1) * stride + window;
            assertTrue(lastEnd <= length, "last window inside");
            assertTrue(lastEnd + stride > length, "one more would not fit");
          }
        });
  }

  @Test
  void timeSplitWindowsNeverCrossTheBoundaryNorOverlapTraining() {
    qt().withExamples(150)
        .forAll(integers().between(1, 3), integers().between(8, 200), integers().between(1, 250), integers().between(10, 90))
        .checkAssert((recordings, window, stride, percent) -> {
          double fraction = percent / 100.0;
          var recs = new ArrayList<Recording>();
          for (int r = 0; r < recordings; r++) {
            recs.add(traced(r, 2000 + 137 * r));
          }
          for (Recording rec : recs) {
            int b = (int) Math.floor(fraction * rec.length());
            if (b < window || rec.length() - b < window) {
              DatasetTest.assertMessage("must hold a window of " + window,
                  () -> RecordingWindows.splitByTime(recs, NAMES, fraction, window, stride));
              return;
            }
          }
          var split = RecordingWindows.splitByTime(recs, NAMES, fraction, window, stride);
          int expectedTrain = 0;
          int expectedTest = 0;
          for (Recording rec : recs) {
            int b = (int) Math.floor(fraction * rec.length());
            expectedTrain += RecordingWindows.windowCount(b, window, stride);
            expectedTest += RecordingWindows.windowCount(rec.length() - b, window, stride);
          }
          assertEquals(expectedTrain, split.train().size());
          assertEquals(expectedTest, split.test().size());
          checkPart(split.train(), recs, fraction, true);
          checkPart(split.test(), recs, fraction, false);
          assertNoTestSampleInTraining(split, recs);
        });
  }

  /**
   * By sample indices: marks every sample covered by a training window (difference array, then
   * prefix sums) and requires that no test window contains a marked sample.
   */
  static void assertNoTestSampleInTraining(DatasetSplit split, List<Recording> recs) {
    for (int r = 0; r < recs.size(); r++) {
      int len = recs.get(r).length();
      int[] diff = new int[len + 1];
      for (int j = 0; j < split.train().size(); j++) {
        WindowOrigin o = split.train().windowOrigin(j);
        if (o.recording() == r) {
          diff[o.start()]++;
          diff[o.end()]--;
        }
      }
      int[] coveredBefore = new int[len + 1]; // number of covered samples in [0, t)
      int depth = 0;
      for (int t = 0; t < len; t++) {
        depth += diff[t];
        coveredBefore[t + 1] = coveredBefore[t] + (depth > 0 ? 1 : 0);
      }
      for (int i = 0; i < split.test().size(); i++) {
        WindowOrigin o = split.test().windowOrigin(i);
        if (o.recording() == r) {
          assertEquals(0, coveredBefore[o.end()] - coveredBefore[o.start()], "test window " + o
              + " contains samples of training windows");
        }
      }
    }
  }

  private static void checkPart(Dataset part, List<Recording> recs, double fraction, boolean train) {
    for (int i = 0; i < part.size(); i++) {
      WindowOrigin o = part.windowOrigin(i);
      Recording rec = recs.get(o.recording());
      int b = (int) Math.floor(fraction * rec.length());
      if (train) {
        assertTrue(o.start() >= 0 && o.end() <= b, o + " must lie before " + b);
      } else {
        assertTrue(o.start() >= b && o.end() <= rec.length(), o + " must lie in [" + b + ", " + rec.length() + ")");
      }
      float[] x = part.example(i);
      int w = o.length();
      assertEquals(rec.channels()[0][o.start()], x[0], "channel 0 starts at the origin");
      assertEquals(rec.channels()[1][o.end() - 1], x[2 * w - 1], "channel 1 ends at the origin's end");
      assertEquals(rec.label(), part.label(i));
    }
  }

  @Test
  void windowedDatasetsRefuseRandomSplits() {
    var recs = List.of(traced(0, 500), traced(1, 500));
    var all = RecordingWindows.windowAll(recs, NAMES, 50, 25);
    assertEquals(2 * RecordingWindows.windowCount(500, 50, 25), all.size());
    DatasetTest.assertMessage("splitByTime", () -> all.stratifiedSplit(0.8, 1));
    var split = RecordingWindows.splitByTime(recs, NAMES, 0.8, 50, 25);
    DatasetTest.assertMessage("splitByTime", () -> split.train().stratifiedSplit(0.5, 1));
    assertTrue(split.train().shuffled(3).hasWindowOrigins(), "origins survive shuffling");
    assertNoTestSampleInTraining(split, recs);
    // The check itself detects the leak a random split of overlapping windows would cause.
    int[] even = new int[all.size() / 2];
    int[] odd = new int[all.size() - even.length];
    for (int i = 0; i < all.size(); i++) {
      if (i % 2 == 0 && i / 2 < even.length) {
        even[i / 2] = i;
      } else {
        odd[i / 2] = i;
      }
    }
    var leaky = new DatasetSplit(all.subset(even), all.subset(odd));
    assertThrows(AssertionFailedError.class, () -> assertNoTestSampleInTraining(leaky, recs));
  }

  @Test
  void separateTestStrideCutsTheTestPartWithoutOverlap() {
    var split = RecordingWindows.splitByTime(List.of(traced(0, 10_000)), NAMES, 0.8, 100, 10, 100);
    assertEquals(RecordingWindows.windowCount(8000, 100, 10), split.train().size());
    assertEquals(20, split.test().size());
    for (int i = 1; i < split.test().size(); i++) {
      assertFalse(split.test().windowOrigin(i).overlaps(split.test().windowOrigin(i - 1)));
    }
  }

  @Test
  void unitsKeepRecordingsOfOneGroupTogetherWithoutSharingSamplePositions() {
    qt().withExamples(60).forAll(integers().between(1, 5), integers().between(5, 60), integers().between(1, 40))
        .checkAssert((count, window, stride) -> {
          var recs = new ArrayList<Recording>();
          int[] unit = new int[count];
          for (int r = 0; r < count; r++) {
            recs.add(traced(r, 80 + 31 * r));
            unit[r] = r % 2 == 0 ? 7 : 3; // two units, recordings interleaved
          }
          Dataset d = RecordingWindows.windowUnits(recs, NAMES, window, stride, unit);
          int expected = 0;
          for (Recording rec : recs) {
            expected += RecordingWindows.windowCount(rec.length(), window, stride);
          }
          assertEquals(expected, d.size());
          for (int i = 0; i < d.size(); i++) {
            WindowOrigin o = d.windowOrigin(i);
            float first = d.example(i)[0];
            int r = (int) (first / 100_000); // traced(): the value encodes recording and time
            assertEquals(unit[r], o.recording(), "a window's unit is its recording's");
            assertEquals(recs.get(r).label(), d.label(i));
            for (int j = 0; j < i; j++) {
              int rj = (int) (d.example(j)[0] / 100_000);
              if (rj != r) {
                assertFalse(o.overlaps(d.windowOrigin(j)), "windows of different recordings never overlap");
              }
            }
          }
        });
    DatasetTest.assertMessage("one unit per recording",
        () -> RecordingWindows.windowUnits(List.of(traced(0, 100)), NAMES, 10, 10, new int[2]));
  }

  @Test
  void badArgumentsAreRejectedWithTheirNames() {
    var recs = List.of(traced(0, 1000));
    DatasetTest.assertMessage("window of 900", () -> RecordingWindows.splitByTime(recs, NAMES, 0.8, 900, 10));
    DatasetTest.assertMessage("stride must be > 0, got 0", () -> RecordingWindows.splitByTime(recs, NAMES, 0.8, 10, 0));
    DatasetTest.assertMessage("stride must be > 0, got -3", () -> RecordingWindows.windowCount(100, 10, -3));
    DatasetTest.assertMessage("window length must be > 0", () -> RecordingWindows.windowCount(100, 0, 1));
    DatasetTest.assertMessage("train fraction must be strictly between 0 and 1, got 1.5",
        () -> RecordingWindows.splitByTime(recs, NAMES, 1.5, 10, 10));
    DatasetTest.assertMessage("got NaN", () -> RecordingWindows.splitByTime(recs, NAMES, Double.NaN, 10, 10));
    DatasetTest.assertMessage("exceeds every recording", () -> RecordingWindows.windowAll(recs, NAMES, 2000, 1));
    DatasetTest.assertMessage("non-finite value NaN at sample 7",
        () -> Recording.mono("bad", 0, 100, new float[] {0, 0, 0, 0, 0, 0, 0, Float.NaN}));
    DatasetTest.assertMessage("sampled at 2000.0 Hz", () -> RecordingWindows.splitByTime(
        List.of(traced(0, 1000), new Recording("x", 0, 2000, new float[2][1000])), NAMES, 0.5, 10, 10));
    DatasetTest.assertMessage("1 channels", () -> RecordingWindows.splitByTime(
        List.of(traced(0, 1000), Recording.mono("x", 0, 1000, new float[1000])), NAMES, 0.5, 10, 10));
    DatasetTest.assertMessage("only 3 class names", () -> RecordingWindows.splitByTime(
        List.of(Recording.mono("x", 5, 1000, new float[1000])), NAMES, 0.5, 10, 10));
  }
}
