package drsn.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The real files in {@code ../shared/data} (skipped where absent): the numbers below are the
 * README's tables, not values taken from the readers.
 */
class RealDataTest {

  private static final Map<String, Integer> CWRU_DE_SAMPLES = Map.of(
      "normal_0_97.mat", 243_938,
      "12k_Drive_End_IR007_0_105.mat", 121_265,
      "12k_Drive_End_IR014_0_169.mat", 121_846,
      "12k_Drive_End_IR021_0_209.mat", 122_136,
      "12k_Drive_End_B007_0_118.mat", 122_571,
      "12k_Drive_End_B014_0_185.mat", 121_846,
      "12k_Drive_End_B021_0_222.mat", 121_991,
      "12k_Drive_End_OR007@6_0_130.mat", 121_991,
      "12k_Drive_End_OR014@6_0_197.mat", 121_846,
      "12k_Drive_End_OR021@6_0_234.mat", 122_426);

  @Test
  void everyCwruFileHasItsDriveEndSignalAndSpeed() throws Exception {
    Path dir = SharedData.require("cwru");
    for (Map.Entry<String, Integer> f : CWRU_DE_SAMPLES.entrySet()) {
      Path file = dir.resolve(f.getKey());
      assertTrue(Files.isRegularFile(file), "missing " + file);
      MatFile mat = MatFile.open(file);
      String number = f.getKey().substring(f.getKey().lastIndexOf('_') + 1, f.getKey().length() - 4);
      String prefix = "X" + "0".repeat(3 - number.length()) + number;
      MatArray de = mat.readBySuffix("_DE_time");
      assertEquals(prefix + "_DE_time", de.name(), f.getKey());
      assertEquals(f.getValue(), de.data().length, f.getKey());
      assertEquals(f.getValue(), de.rows(), f.getKey() + " is an n x 1 column");
      assertEquals(1, de.columns(), f.getKey());
      double sumSq = 0;
      double maxAbs = 0;
      for (double v : de.data()) {
        sumSq += v * v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      double rms = Math.sqrt(sumSq / de.data().length);
      // Accelerations in g: a running bearing vibrates (rms well above 0) but not by tens of g.
      assertTrue(rms > 0.01 && rms < 5, f.getKey() + " rms " + rms);
      assertTrue(maxAbs < 50, f.getKey() + " max |x| " + maxAbs);
      MatVariable rpmVar = mat.find(prefix + "RPM").orElseThrow(() -> new AssertionError(f.getKey() + " has no RPM"));
      assertEquals(1, rpmVar.elementCount());
      double rpm = mat.read(rpmVar.name()).data()[0];
      assertTrue(rpm > 1700 && rpm < 1850, f.getKey() + " rpm " + rpm + " (motor load 0 hp, about 1797 rpm)");
      MatArray fe = mat.readBySuffix("_FE_time");
      assertEquals(f.getValue(), fe.data().length, f.getKey() + " fan end has as many samples as drive end");
    }
  }

  private record Ucr(String name, int length, int train, int test, int classes) {
  }

  @Test
  void theSixUcrSetsMatchTheirPublishedSizes() throws Exception {
    Path dir = SharedData.require("ucr");
    List<Ucr> sets = List.of(
        new Ucr("Earthquakes", 512, 322, 139, 2),
        new Ucr("Lightning2", 637, 60, 61, 2),
        new Ucr("ECG200", 96, 100, 100, 2),
        new Ucr("ECGFiveDays", 136, 23, 861, 2),
        new Ucr("TwoLeadECG", 82, 23, 1139, 2),
        new Ucr("Trace", 275, 100, 100, 4));
    for (Ucr u : sets) {
      List<LabelledSeries> pair = UcrTsv.readPair(dir.resolve(u.name).resolve(u.name + "_TRAIN.tsv"),
          dir.resolve(u.name).resolve(u.name + "_TEST.tsv"), false);
      LabelledSeries train = pair.get(0);
      LabelledSeries test = pair.get(1);
      assertEquals(u.train, train.size(), u.name);
      assertEquals(u.test, test.size(), u.name);
      assertEquals(u.length, train.length(), u.name);
      assertEquals(u.length, test.length(), u.name);
      assertEquals(u.classes, train.classCount(), u.name);
      int[] seen = new int[u.classes];
      for (int label : train.labels()) {
        seen[label]++;
      }
      for (int c = 0; c < u.classes; c++) {
        assertTrue(seen[c] > 0, u.name + ": class " + train.classNames().get(c) + " has training examples");
      }
      // The archive's series are z-normalised: mean near 0, standard deviation near 1.
      double[] s = train.series()[0];
      double mean = java.util.Arrays.stream(s).average().orElseThrow();
      double var = java.util.Arrays.stream(s).map(x -> (x - mean) * (x - mean)).sum() / s.length;
      assertTrue(Math.abs(mean) < 0.05 && Math.abs(Math.sqrt(var) - 1) < 0.05, u.name + " mean " + mean
          + " var " + var);
    }
  }
}
