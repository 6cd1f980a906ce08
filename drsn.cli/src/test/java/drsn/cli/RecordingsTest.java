package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.cli.internal.CliException;
import drsn.cli.internal.DataSources;
import drsn.cli.internal.SignalFiles;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.SplitUnit;
import drsn.data.WindowOrigin;
import drsn.nn.Checkpoint;
import drsn.nn.InputUnits;
import drsn.nn.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings as the unit of data: every file is cut into windows, splits never put a recording
 * (or a group) on both sides, and a model cannot score on recordings whose labels have nothing to
 * do with the signal (the label-shuffle leak test).
 */
class RecordingsTest {

  static final int CLASSES = 3;
  static final int PER_CLASS = 8;
  static final int SAMPLES = 2048;
  static final int WINDOW = 128;

  @TempDir
  static Path dir;
  /** Recordings whose label is unrelated to the signal: each is its own tone, labels dealt at random. */
  static Path shuffled;

  @BeforeAll
  static void writeRecordings() throws IOException {
    shuffled = dir.resolve("shuffled");
    int n = CLASSES * PER_CLASS;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES;
    }
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    for (int r = 0; r < n; r++) {
      Path cls = Files.createDirectories(shuffled.resolve("state" + labels[r]));
      String name = "rec" + r + ".npy";
      Cli.writeNpy(cls.resolve(name), tone(r, n, SAMPLES, 100 + r), SAMPLES);
    }
  }

  /** Tone r of n: its own frequency between 0.02 and 0.4 cycles per sample, plus a little noise. */
  static float[] tone(int r, int n, int samples, long seed) {
    double f = 0.02 + 0.38 * r / (n - 1);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[samples];
    double phase = rnd.nextDouble() * 2 * Math.PI;
    for (int t = 0; t < samples; t++) {
      x[t] = (float) (Math.sin(2 * Math.PI * f * t + phase) + 0.05 * rnd.nextGaussian());
    }
    return x;
  }

  static DataSources.Options options(SplitUnit by) {
    return new DataSources.Options(WINDOW, WINDOW / 2, 0, 42, by, null, SignalFiles.RecordingOptions.DEFAULT);
  }

  /** The recordings (units) that a dataset's windows come from. */
  static Set<Integer> units(Dataset d) {
    Set<Integer> u = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      u.add(d.windowOrigin(i).recording());
    }
    return u;
  }

  static void assertDisjoint(Set<Integer> a, Set<Integer> b, String what) {
    Set<Integer> both = new HashSet<>(a);
    both.retainAll(b);
    assertTrue(both.isEmpty(), what + ": recordings on both sides: " + both);
  }

  @Test
  void everyWindowIsUsedAndNoRecordingIsOnBothSidesOfAnySplit() {
    DatasetSplit s = DataSources.load(shuffled.toString(), options(SplitUnit.RECORDING));
    assertEquals(SplitUnit.RECORDING, s.unit());
    int perRecording = (SAMPLES - WINDOW) / (WINDOW / 2) + 1;
    assertEquals(CLASSES * PER_CLASS * perRecording, s.train().size() + s.test().size(), "every window is used");
    assertEquals(CLASSES * PER_CLASS, units(s.train()).size() + units(s.test()).size());
    assertDisjoint(units(s.train()), units(s.test()), "train/test");
    // Every class is tested, on round(20 %) of its recordings.
    for (int c = 0; c < CLASSES; c++) {
      assertEquals(2 * perRecording, s.test().classCounts()[c]);
    }
    DatasetSplit v = s.carveValidation(0.2, 42);
    assertDisjoint(units(v.train()), units(v.test()), "train/validation");
    assertDisjoint(units(v.test()), units(s.test()), "validation/test");

    DatasetSplit t = DataSources.load(shuffled.toString(), options(SplitUnit.TIME));
    assertEquals(SplitUnit.TIME, t.unit());
    // By time: every recording on both sides, but every training window ends before its test windows start.
    for (int i = 0; i < t.test().size(); i++) {
      WindowOrigin o = t.test().windowOrigin(i);
      for (int j = 0; j < t.train().size(); j++) {
        WindowOrigin p = t.train().windowOrigin(j);
        if (p.recording() == o.recording()) {
          assertTrue(p.end() <= o.start(), p + " overlaps or follows test window " + o);
        }
      }
    }
  }

  @Test
  void labelShuffledRecordingsScoreChanceWhenSplitByRecordingButNotByTime() throws IOException {
    String[] opts = {"--length", Integer.toString(WINDOW), "--widths", "8,16", "--units", "1,1", "--epochs", "10",
        "--batch", "32", "--threads", "2", "--quiet"};
    double byRecording = testAccuracy("recording", opts);
    double byTime = testAccuracy("time", opts);
    System.out.printf("label-shuffled recordings: test accuracy %.3f split by recording, %.3f split by time%n",
        byRecording, byTime);
    // Split by time, each tone is in training and test: the model memorises tone -> label. The
    // check below must be able to fail, so the memorisation itself is asserted.
    assertTrue(byTime > 0.8, "split by time, a recording's later windows are recognised: " + byTime);
    // Split by recording, the test tones were never seen: their labels cannot be learned.
    assertTrue(byRecording < 0.6, "label-shuffled recordings must score near chance (1/3), got " + byRecording);

    // eval with the same options finds the same test recordings, and reports each of them.
    Cli.Result eval = Cli.run("eval", "--model", dir.resolve("run-recording").toString(), "--data",
        shuffled.toString(), "--json");
    assertEquals(0, eval.code(), eval.err());
    Map<?, ?> j = (Map<?, ?>) Json.parse(eval.out(), 8, 1_000_000);
    assertEquals(byRecording, Json.asDouble(j.get("accuracy")), 1e-12);
    List<?> recordings = (List<?>) j.get("recordings");
    assertEquals(CLASSES * 2, recordings.size(), "two test recordings per class");
    double windows = 0;
    for (Object o : recordings) {
      Map<?, ?> rec = (Map<?, ?>) o;
      assertTrue(rec.get("recording").toString().endsWith(".npy"), rec.toString());
      windows += Json.asDouble(rec.get("windows"));
    }
    assertEquals(Json.asDouble(j.get("samples")), windows);
    Cli.Result text = Cli.run("eval", "--model", dir.resolve("run-recording").toString(), "--data",
        shuffled.toString());
    assertTrue(text.out().contains("per recording"), text.out());
  }

  private static double testAccuracy(String splitBy, String[] opts) throws IOException {
    Path out = dir.resolve("run-" + splitBy);
    Cli.Result r = Cli.run(CommandsTest.concat(new String[] {"train", "--data", shuffled.toString(), "--split-by",
        splitBy, "--out", out.toString()}, opts));
    assertEquals(0, r.code(), r.err());
    Map<?, ?> metrics = (Map<?, ?>) Json.parse(Files.readString(out.resolve("metrics.json")), 16, 1_000_000);
    return Json.asDouble(((Map<?, ?>) metrics.get("test")).get("accuracy"));
  }

  @Test
  void manifestGroupsStayTogetherAndSplitColumnsAreObeyed() throws IOException {
    Path root = Files.createDirectories(dir.resolve("manifest"));
    StringBuilder grouped = new StringBuilder("file,label,group\n");
    StringBuilder fixed = new StringBuilder("file,label,split\n");
    for (int r = 0; r < 12; r++) {
      Cli.writeNpy(root.resolve(r + ".npy"), tone(r, 12, 600, r), 600);
      grouped.append(r).append(".npy,").append(r % 2 == 0 ? "a" : "b").append(",machine").append(r / 2).append('\n');
      fixed.append(r).append(".npy,").append(r % 2 == 0 ? "a" : "b").append(',').append(r < 8 ? "train" : "test")
          .append('\n');
    }
    Files.writeString(root.resolve("grouped.csv"), grouped);
    Files.writeString(root.resolve("fixed.csv"), fixed);
    DatasetSplit g = DataSources.load(root.resolve("grouped.csv").toString(), options(SplitUnit.RECORDING));
    // Units are the six machines: each holds one recording of each class and is on one side only.
    assertEquals(6, units(g.train()).size() + units(g.test()).size());
    assertDisjoint(units(g.train()), units(g.test()), "groups");
    DatasetSplit v = g.carveValidation(0.25, 1);
    assertDisjoint(units(v.train()), units(v.test()), "groups in validation");
    assertMessage("--split-by time splits every recording, so every group",
        () -> DataSources.load(root.resolve("grouped.csv").toString(), options(SplitUnit.TIME)));

    DatasetSplit f = DataSources.load(root.resolve("fixed.csv").toString(), options(SplitUnit.RECORDING));
    int perFile = (600 - WINDOW) / (WINDOW / 2) + 1;
    assertEquals(8 * perFile, f.train().size());
    assertEquals(4 * perFile, f.test().size());

    // --test-data: a second manifest is the test set; the same file in both, or an unknown class, is refused.
    StringBuilder first = new StringBuilder("file,label\n");
    StringBuilder second = new StringBuilder("file,label\n");
    for (int r = 0; r < 12; r++) {
      (r < 8 ? first : second).append(r).append(".npy,").append(r % 2 == 0 ? "a" : "b").append('\n');
    }
    Files.writeString(root.resolve("first.csv"), first);
    Files.writeString(root.resolve("second.csv"), second);
    DatasetSplit withTest = DataSources.load(root.resolve("first.csv").toString(), withTestData(root.resolve("second.csv")));
    assertEquals(8 * perFile, withTest.train().size());
    assertEquals(4 * perFile, withTest.test().size());
    assertMessage("listed twice", () -> DataSources.load(root.resolve("first.csv").toString(),
        withTestData(root.resolve("fixed.csv"))));
    assertMessage("brings its own test split", () -> DataSources.load("builtin:4", withTestData(shuffled)));
    assertMessage("class 'state0' is not among the training classes [a, b]",
        () -> DataSources.load(root.resolve("first.csv").toString(), withTestData(shuffled)));
  }

  static DataSources.Options withTestData(Path test) {
    return new DataSources.Options(WINDOW, 0, 0, 1, SplitUnit.RECORDING, test.toString(),
        SignalFiles.RecordingOptions.DEFAULT);
  }

  @Test
  void csvColumnsAreTheChannelsOfOneRecording() throws IOException {
    Path root = dir.resolve("xyz");
    for (String cls : List.of("idle", "busy")) {
      Path d = Files.createDirectories(root.resolve(cls));
      for (int r = 0; r < 2; r++) {
        StringBuilder csv = new StringBuilder("time,x,y,z\n");
        for (int t = 0; t < 400; t++) {
          csv.append(t).append(',').append(t % 7).append(',').append(-t).append(',').append(cls.length() + r)
              .append('\n');
        }
        Files.writeString(d.resolve(r + ".csv"), csv);
      }
    }
    DatasetSplit all = DataSources.load(root.toString(), options(SplitUnit.RECORDING));
    assertEquals(List.of(4, WINDOW), List.of(all.train().exampleShape()[0], all.train().exampleShape()[1]));
    DatasetSplit xyz = DataSources.load(root.toString(), new DataSources.Options(WINDOW, 0, 0, 1,
        SplitUnit.RECORDING, null, new SignalFiles.RecordingOptions(List.of("x", "y", "4"), 100)));
    assertEquals(3, xyz.train().exampleShape()[0]);
    float[] w = xyz.train().example(0);
    assertEquals(0f, w[0]); // x at t=0
    assertEquals(-1f, w[WINDOW + 1]); // y at t=1
    assertMessage("has no column 'w'", () -> DataSources.load(root.toString(), new DataSources.Options(WINDOW, 0, 0,
        1, SplitUnit.RECORDING, null, new SignalFiles.RecordingOptions(List.of("w"), 0))));
  }

  @Test
  void badRecordingsAreOneLineErrorsNamingTheFile() throws IOException {
    Path root = dir.resolve("bad");
    Path a = Files.createDirectories(root.resolve("a"));
    Path b = Files.createDirectories(root.resolve("b"));
    for (int r = 0; r < 2; r++) {
      Cli.writeNpy(a.resolve(r + ".npy"), tone(r, 4, 500, r), 500);
      Cli.writeNpy(b.resolve(r + ".npy"), tone(r + 2, 4, 500, r), 500);
    }
    Path extra = b.resolve("odd.npy");
    Cli.writeNpy(extra, new float[1000], 2, 500);
    assertMessage("odd.npy has 2 channels", () -> DataSources.load(root.toString(), options(SplitUnit.RECORDING)));
    Cli.writeWav16(extra.resolveSibling("odd.wav"), tone(0, 4, 500, 1), 8000);
    Files.delete(extra);
    assertMessage("odd.wav holds WAV samples scaled to [-1, 1)",
        () -> DataSources.load(root.toString(), options(SplitUnit.RECORDING)));
    Files.delete(extra.resolveSibling("odd.wav"));
    Cli.writeNpy(extra, new float[50], 50);
    assertMessage("odd.npy has 50 samples, fewer than one window",
        () -> DataSources.load(root.toString(), options(SplitUnit.RECORDING)));
    Files.write(extra, new byte[0]);
    assertMessage("odd.npy is empty", () -> DataSources.load(root.toString(), options(SplitUnit.RECORDING)));
    Files.write(extra, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    assertMessage("cannot read " + extra, () -> DataSources.load(root.toString(), options(SplitUnit.RECORDING)));
    Files.delete(extra);
    Files.delete(b.resolve("1.npy"));
    assertMessage("class 'b' is in a single recording", () -> DataSources.load(root.toString(),
        options(SplitUnit.RECORDING)));
    // Through the command line: exit code 1 and one line.
    Cli.Result r = Cli.run("train", "--data", root.toString(), "--length", "128", "--quiet", "--out",
        dir.resolve("bad-run").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains("1.npy") || r.err().contains("0.npy"), r.err());
  }

  @Test
  void theModelRecordsTheUnitsOfItsRecordings() throws IOException {
    Path root = dir.resolve("wavs");
    for (int c = 0; c < 2; c++) {
      Path d = Files.createDirectories(root.resolve("s" + c));
      for (int r = 0; r < 2; r++) {
        Cli.writeWav16(d.resolve(r + ".wav"), tone(2 * c + r, 4, 1024, r), 8000);
      }
    }
    Path out = dir.resolve("wav-run");
    Cli.Result r = Cli.run("train", "--data", root.toString(), "--length", "128", "--widths", "4", "--units", "1",
        "--epochs", "1", "--validation", "0", "--batch", "8", "--quiet", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(new InputUnits(8000, SignalFiles.FULL_SCALE),
        Checkpoint.load(out.resolve("model.safetensors")).architecture().inputUnits());
  }

  static void assertMessage(String expected, Executable e) {
    try {
      e.execute();
    } catch (CliException ex) {
      assertTrue(ex.getMessage().contains(expected), "expected '" + expected + "' in: " + ex.getMessage());
      assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
      return;
    } catch (Throwable t) {
      throw new AssertionError("expected a CliException with '" + expected + "', got " + t, t);
    }
    throw new AssertionError("expected a CliException with '" + expected + "'");
  }
}
