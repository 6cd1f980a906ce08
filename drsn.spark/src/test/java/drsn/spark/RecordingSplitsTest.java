package drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.cli.internal.DataSources;
import drsn.cli.internal.SignalFiles;
import drsn.data.DatasetSplit;
import drsn.data.SplitUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of class subfolders of recordings gives on Spark the windows {@code drsn train --data
 * FOLDER --split-by time} cuts on one machine: the same windows, each on the same side of the split.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class RecordingSplitsTest {

  @TempDir
  Path dir;

  @Test
  void aFolderGivesTheWindowsAndTimeSplitOfTheCli() throws Exception {
    Path healthy = Files.createDirectories(dir.resolve("data/healthy"));
    Path fault = Files.createDirectories(dir.resolve("data/fault"));
    TestFiles.npy(healthy.resolve("a.npy"), TestFiles.signal(1000, 9, 1), 1000);
    StringBuilder csv = new StringBuilder("x\n");
    for (float v : TestFiles.signal(1050, 13, 2)) {
      csv.append(v).append('\n');
    }
    Files.writeString(healthy.resolve("b.csv"), csv);
    TestFiles.npy(fault.resolve("c.npy"), TestFiles.signal(1210, 4, 3), 1210);
    TestFiles.npy(fault.resolve("d.npy"), TestFiles.signal(2 * 1100, 6, 4), 2, 1, 1100); // two segments

    DatasetSplit cli = DataSources.load(dir.resolve("data").toString(), new DataSources.Options(200, 100, 0, 1,
        SplitUnit.TIME, null, SignalFiles.RecordingOptions.DEFAULT));
    List<String> expected = new ArrayList<>();
    for (var part : List.of(cli.train(), cli.test())) {
      for (int i = 0; i < part.size(); i++) {
        expected.add((part == cli.train() ? "train " : "test ") + part.classNames().get(part.label(i)) + " "
            + Arrays.toString(part.example(i)));
      }
    }

    Files.write(fault.resolve("broken.npy"), new byte[] {1, 2, 3});
    List<Row> rows = new RecordingSplits(200, 100, 0.8, List.of()).read(SharedSpark.get(), dir.resolve("data").toString())
        .collectAsList();
    List<String> actual = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Row r : rows) {
      if (!r.isNullAt(6)) {
        errors.add(r.getString(6));
        continue;
      }
      List<Float> s = r.getList(5);
      float[] x = new float[s.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = s.get(i);
      }
      actual.add(r.getString(2) + " " + r.getString(1) + " " + Arrays.toString(x));
      if (r.getString(2).equals("train")) {
        assertEquals(100L * r.getInt(3), r.getLong(4), "train windows start every stride from sample 0");
      }
    }
    expected.sort(null);
    actual.sort(null);
    assertTrue(expected.size() > 20, "windows: " + expected.size());
    assertEquals(expected, actual);
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.getFirst().contains("broken.npy"), errors.toString());
  }
}
