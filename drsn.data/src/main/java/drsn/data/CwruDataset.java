package drsn.data;

import drsn.data.io.InflateBudget;
import drsn.data.io.MatFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CWRU bearing benchmark from a folder of the original MATLAB files (named as on the CWRU
 * site, see shared/data/README.md) in one call: the drive-end accelerometer channel of every file,
 * labelled from the file name; recordings at 48 kHz (the normal baseline) decimated to 12 kHz with
 * the anti-aliasing {@link Decimator}, so that no class can be told apart by its time scale; every
 * recording split by time before windowing ({@link RecordingWindows#splitByTime}).
 *
 * <p>Classes are those found in the folder, ordered normal, inner race, ball, outer race, and by
 * fault size within each (the 10-class set for the standard ten files). Several files of one class
 * (other motor loads, say) all contribute to it.
 */
public final class CwruDataset {

  /** Common sample rate of the prepared recordings. */
  public static final double SAMPLE_RATE = 12_000;
  public static final double DEFAULT_TRAIN_FRACTION = 0.8;
  public static final int DEFAULT_WINDOW = 2048;
  public static final int DEFAULT_TRAIN_STRIDE = 512;
  public static final int DEFAULT_TEST_STRIDE = 1024;

  private CwruDataset() {
  }

  /**
   * The train/test split with the defaults: the first 80 % of each recording for training, windows
   * of 2,048 samples, 512 apart in the training part and 1,024 apart in the test part.
   */
  public static DatasetSplit load(Path folder) throws IOException {
    return load(folder, DEFAULT_TRAIN_FRACTION, DEFAULT_WINDOW, DEFAULT_TRAIN_STRIDE, DEFAULT_TEST_STRIDE);
  }

  /** As {@link #load(Path)} with explicit split fraction, window length and strides. */
  public static DatasetSplit load(Path folder, double trainFraction, int window, int trainStride, int testStride)
      throws IOException {
    Args.openFraction("train fraction", trainFraction);
    Args.positive("window length", window);
    Args.positive("train stride", trainStride);
    Args.positive("test stride", testStride);
    Prepared p = prepare(folder);
    return RecordingWindows.splitByTime(p.recordings, p.classNames, trainFraction, window, trainStride, testStride);
  }

  /** The prepared recordings (drive-end channel at 12 kHz) with their class names, before windowing. */
  public static Prepared prepare(Path folder) throws IOException {
    Args.notNull("folder", folder);
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("CWRU folder " + folder + " is not a directory");
    }
    List<Path> paths;
    try (var s = Files.list(folder)) {
      paths = s.filter(Files::isRegularFile).sorted().toList();
    }
    var files = new ArrayList<CwruFile>();
    var byName = new LinkedHashMap<CwruFile, Path>();
    for (Path p : paths) {
      CwruFile.parse(p.getFileName().toString()).ifPresent(f -> {
        files.add(f);
        byName.put(f, p);
      });
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CWRU MAT files (e.g. normal_0_97.mat, 12k_Drive_End_IR007_0_105.mat) in "
          + folder);
    }
    files.sort(Comparator.comparingInt((CwruFile f) -> classOrder(f.location()))
        .thenComparingInt(CwruFile::faultMils).thenComparing(CwruFile::fileName));
    Map<String, Integer> classIndex = new LinkedHashMap<>();
    for (CwruFile f : files) {
      classIndex.putIfAbsent(f.className(), classIndex.size());
    }
    if (classIndex.size() < 2) {
      throw new IllegalArgumentException("CWRU folder " + folder + " holds recordings of one class only ("
          + classIndex.keySet().iterator().next() + "); at least 2 classes are needed");
    }
    var recordings = new ArrayList<Recording>();
    // One inflation budget for the whole folder: many files each just under the per-file limit
    // must not add up to more than a load may inflate.
    InflateBudget budget = InflateBudget.forLoad();
    for (CwruFile f : files) {
      Path path = byName.get(f);
      MatFile mat = MatFile.open(path, budget);
      float[] de = mat.readBySuffix("_DE_time").toFloats();
      var rec = Recording.mono(f.fileName(), classIndex.get(f.className()), f.sampleRate(), de);
      recordings.add(toCommonRate(rec));
    }
    return new Prepared(List.copyOf(recordings), List.copyOf(classIndex.keySet()));
  }

  private static int classOrder(FaultLocation loc) {
    return switch (loc) {
      case NONE -> 0;
      case INNER_RACE -> 1;
      case BALL -> 2;
      case OUTER_RACE -> 3;
    };
  }

  private static Recording toCommonRate(Recording rec) {
    if (rec.sampleRate() == SAMPLE_RATE) {
      return rec;
    }
    double ratio = rec.sampleRate() / SAMPLE_RATE;
    int factor = (int) Math.round(ratio);
    if (factor < 2 || Math.abs(ratio - factor) > 1e-9) {
      throw new IllegalArgumentException("recording " + rec.name() + " is sampled at " + rec.sampleRate()
          + " Hz, which is not an integer multiple of " + SAMPLE_RATE + " Hz");
    }
    return rec.decimate(factor);
  }

  /** Recordings at {@link #SAMPLE_RATE}, labelled by index into {@code classNames}. */
  public record Prepared(List<Recording> recordings, List<String> classNames) {
  }
}
