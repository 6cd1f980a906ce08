package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationTest {

  /** Two channels: channel 0 around 5 with spread 2, channel 1 around -1 with spread 0.5; test data shifted. */
  private static Dataset twoChannels(long seed, double shift) {
    var rng = new SeededRandom(seed);
    int n = 200;
    int len = 64;
    float[] d = new float[n * 2 * len];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < len; t++) {
        d[i * 2 * len + t] = (float) (5 + shift + 2 * rng.nextGaussian());
        d[i * 2 * len + len + t] = (float) (-1 + 0.5 * rng.nextGaussian());
      }
    }
    return Dataset.of(d, new int[n], new int[] {2, len}, List.of("only"));
  }

  @Test
  void statisticsFittedOnTrainOnlyAreAppliedUnchangedToTest() {
    var train = twoChannels(1, 0);
    var test = twoChannels(2, 3);
    var stats = ChannelStats.fit(train);
    assertEquals(5, stats.mean()[0], 0.05);
    assertEquals(2, stats.std()[0], 0.05);
    assertEquals(-1, stats.mean()[1], 0.02);
    assertEquals(0.5, stats.std()[1], 0.02);
    var normTrain = ChannelStats.fit(stats.apply(train));
    assertEquals(0, normTrain.mean()[0], 1e-4);
    assertEquals(1, normTrain.std()[0], 1e-4);
    // Test data is shifted by 3 on channel 0: with train statistics it stays shifted by 3/2.
    var normTest = ChannelStats.fit(stats.apply(test));
    assertEquals(1.5, normTest.mean()[0], 0.05);
    assertEquals(0, normTest.mean()[1], 0.05);
  }

  @Test
  void statisticsRoundTripThroughBothSerialForms() throws Exception {
    var stats = ChannelStats.fit(twoChannels(3, 0));
    var bytes = new ByteArrayOutputStream();
    stats.writeTo(new DataOutputStream(bytes));
    assertEquals(stats, ChannelStats.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    var obj = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(obj)) {
      out.writeObject(stats);
    }
    try (var in = new ObjectInputStream(new ByteArrayInputStream(obj.toByteArray()))) {
      assertEquals(stats, in.readObject());
    }
    byte[] bad = bytes.toByteArray();
    bad[0] ^= 1;
    assertThrows(IOException.class, () -> ChannelStats.readFrom(new DataInputStream(new ByteArrayInputStream(bad))));
    byte[] huge = bytes.toByteArray();
    huge[4] = 0x7f;
    var e = assertThrows(IOException.class, () -> ChannelStats.readFrom(new DataInputStream(new ByteArrayInputStream(huge))));
    assertEquals(true, e.getMessage().contains("channel count"), e.getMessage());
    DatasetTest.assertMessage("std finite and > 0", () -> new ChannelStats(new float[] {0}, new float[] {0}));
    DatasetTest.assertMessage("3 channels", () -> stats.applyInPlace(new float[30], 0, new int[] {3, 10}));
  }

  @Test
  void perWindowZScoreGivesEveryChannelOfEveryExampleMeanZeroAndUnitStd() {
    var z = Normalization.zScorePerWindow(twoChannels(4, 7));
    for (int i = 0; i < z.size(); i += 17) {
      float[] x = z.example(i);
      for (int c = 0; c < 2; c++) {
        double m = 0;
        double v = 0;
        for (int t = 0; t < 64; t++) {
          m += x[c * 64 + t];
        }
        m /= 64;
        for (int t = 0; t < 64; t++) {
          v += (x[c * 64 + t] - m) * (x[c * 64 + t] - m);
        }
        assertEquals(0, m, 1e-5);
        assertEquals(1, Math.sqrt(v / 64), 1e-4);
      }
    }
    float[] constant = {3, 3, 3, 3};
    Normalization.zScoreInPlace(constant, 0, 4);
    assertArrayEquals(new float[4], constant);
  }

  @Test
  void fixedLengthCropsTheCentreOrPadsWithZeros() {
    float[] x = {1, 2, 3, 4, 5, 6};
    assertArrayEquals(new float[] {2, 3, 4, 5}, FixedLength.fit(x, 4, FixedLength.Mode.CENTRE));
    assertArrayEquals(new float[] {1, 2, 3, 4}, FixedLength.fit(x, 4, FixedLength.Mode.START));
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 0, 0}, FixedLength.fit(x, 9, FixedLength.Mode.CENTRE));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0}, FixedLength.fit(x, 8, FixedLength.Mode.START));
    var recs = List.of(Recording.mono("short", 0, 8000, new float[] {1, 1}),
        Recording.mono("long", 1, 8000, new float[] {1, 2, 3, 4, 5, 6, 7}));
    var ds = FixedLength.toDataset(recs, List.of("a", "b"), 4, FixedLength.Mode.CENTRE);
    assertArrayEquals(new float[] {0, 1, 1, 0}, ds.example(0));
    assertArrayEquals(new float[] {2, 3, 4, 5}, ds.example(1));
    assertArrayEquals(new int[] {0, 1}, ds.labels());
    var cropped = FixedLength.apply(ds, 2, FixedLength.Mode.CENTRE);
    assertArrayEquals(new int[] {1, 2}, cropped.exampleShape());
    assertArrayEquals(new float[] {3, 4}, cropped.example(1));
    DatasetTest.assertMessage("target length must be > 0, got 0", () -> FixedLength.fit(x, 0, FixedLength.Mode.START));
  }
}
