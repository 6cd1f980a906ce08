package drsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Builders on the real files of shared/data; skipped where the folder is absent. */
class RealDataTest {

  @Test
  void cwruBuildsTheTenClassTimeSplitAtTwelveKilohertz() throws Exception {
    var dir = SharedData.require("cwru");
    var prepared = CwruDataset.prepare(dir);
    assertEquals(List.of("normal", "inner_race_007", "inner_race_014", "inner_race_021", "ball_007", "ball_014",
        "ball_021", "outer_race_007", "outer_race_014", "outer_race_021"), prepared.classNames());
    for (Recording r : prepared.recordings()) {
      assertEquals(12_000, r.sampleRate(), r.name());
    }
    // README: the normal file has 243,938 samples at 48 kHz -> ceil(243938 / 4) after decimation by 4;
    // IR007 has 121,265 samples at 12 kHz, kept as is.
    Recording normal = prepared.recordings().get(0);
    assertEquals("normal_0_97.mat", normal.name());
    assertEquals((243_938 + 3) / 4, normal.length());
    assertEquals(121_265, prepared.recordings().get(1).length());

    var split = CwruDataset.load(dir);
    assertArrayEquals(new int[] {1, 2048}, split.train().exampleShape());
    int[] trainCounts = split.train().classCounts();
    int[] testCounts = split.test().classCounts();
    assertEquals(RecordingWindows.windowCount((int) Math.floor(0.8 * normal.length()), 2048, 512), trainCounts[0]);
    assertEquals(RecordingWindows.windowCount(normal.length() - (int) Math.floor(0.8 * normal.length()), 2048, 1024),
        testCounts[0]);
    for (int c = 0; c < 10; c++) {
      assertTrue(trainCounts[c] >= 90 && testCounts[c] >= 10, "class " + c + ": " + trainCounts[c] + "/" + testCounts[c]);
    }
    RecordingWindowsTest.assertNoTestSampleInTraining(split, prepared.recordings());
  }

  @Test
  void cwruOuterRaceFaultShowsItsBallPassFrequency() throws Exception {
    // Physical check of the real data path: outer race at 6 o'clock, 0.007 in, 1797 rpm -> BPFO = 3.5848·fr.
    var prepared = CwruDataset.prepare(SharedData.require("cwru"));
    Recording or = prepared.recordings().get(prepared.classNames().indexOf("outer_race_007"));
    float[] x = Spectra.bandPass(or.channels()[0], 2000 / 12_000.0, 5000 / 12_000.0);
    double[] mag = Spectra.squaredEnvelopeSpectrum(x, 8192);
    int n = 8192;
    int best = 0;
    for (int k = (int) (60.0 * n / 12_000); k <= (int) (300.0 * n / 12_000); k++) {
      if (mag[k] > mag[best]) {
        best = k;
      }
    }
    double bpfo = 3.5848 * 1797 / 60;
    double hz = best * 12_000.0 / n;
    double harmonic = Math.rint(hz / bpfo);
    assertTrue(harmonic >= 1 && harmonic <= 3 && Math.abs(hz - harmonic * bpfo) < 0.03 * harmonic * bpfo,
        "envelope peak of OR007 at " + hz + " Hz should be a low harmonic of BPFO " + bpfo + " Hz");
    double[] band = java.util.Arrays.copyOfRange(mag, (int) (60.0 * n / 12_000), (int) (300.0 * n / 12_000));
    java.util.Arrays.sort(band);
    double atBpfo = 0;
    for (int k = (int) (0.97 * bpfo * n / 12_000); k <= (int) Math.ceil(1.03 * bpfo * n / 12_000); k++) {
      atBpfo = Math.max(atBpfo, mag[k]);
    }
    System.out.printf("CWRU OR007 envelope: peak at %.1f Hz, BPFO line %.1f x band median%n", hz,
        atBpfo / band[band.length / 2]);
    assertTrue(atBpfo > 5 * band[band.length / 2], "BPFO line stands out of the band");
  }

  @ParameterizedTest
  @CsvSource({"Earthquakes,512,322,139,2", "Lightning2,637,60,61,2", "ECG200,96,100,100,2",
      "ECGFiveDays,136,23,861,2", "TwoLeadECG,82,23,1139,2", "Trace,275,100,100,4"})
  void ucrSetsKeepTheirOfficialSplit(String name, int length, int train, int test, int classes) throws Exception {
    var dir = SharedData.require("ucr").resolve(name);
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir), "no " + dir + ": skipping");
    var split = UcrDataset.load(dir);
    assertEquals(train, split.train().size());
    assertEquals(test, split.test().size());
    assertArrayEquals(new int[] {1, length}, split.train().exampleShape());
    assertArrayEquals(new int[] {1, length}, split.test().exampleShape());
    assertEquals(classes, split.train().numClasses());
    assertEquals(split.train().classNames(), split.test().classNames());
    for (int c : split.train().classCounts()) {
      assertTrue(c > 0, "every class appears in the training set");
    }
  }

  @Test
  void buildersRejectFoldersThatAreNotDataSets() throws Exception {
    var tmp = Files.createTempDirectory("drsn-real");
    try {
      DatasetTest.assertMessage("no CWRU MAT files", () -> CwruDataset.load(tmp));
      DatasetTest.assertMessage("_TRAIN.tsv", () -> UcrDataset.load(tmp));
      DatasetTest.assertMessage("not a directory", () -> CwruDataset.load(tmp.resolve("missing")));
    } finally {
      Files.delete(tmp);
    }
  }
}
