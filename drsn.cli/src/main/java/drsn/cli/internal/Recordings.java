package drsn.cli.internal;

import drsn.cli.internal.DataSources.Loaded;
import drsn.cli.internal.DataSources.Options;
import drsn.cli.internal.DataSources.Source;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.Recording;
import drsn.data.RecordingWindows;
import drsn.data.SplitUnit;
import drsn.nn.InputUnits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Recording files as the unit of data: every file is read as one recording, cut into windows,
 * and the recordings (not the windows) are divided between training and test, so that no window
 * of a test recording, or of a test group, is ever seen in training. See {@link DataSources}.
 */
final class Recordings {

  /** One recording (or one segment of a pre-cut NPY file) with its class, unit and manifest split. */
  private record Part(NamedSignal signal, Source source, int label, int unit) {
  }

  private Recordings() {
  }

  static Loaded load(List<Source> sources, List<Source> testSources, Options o) {
    checkDistinctFiles(sources, testSources);
    List<String> classNames = new ArrayList<>(new TreeSet<>(sources.stream().map(Source::label).toList()));
    if (classNames.size() < 2) {
      throw new CliException("the data needs at least 2 classes, found " + classNames);
    }
    Map<String, Integer> units = new LinkedHashMap<>();
    List<Part> parts = read(sources, classNames, units, o);
    List<Part> test = testSources == null ? null : read(testSources, classNames, units, o);
    Part first = parts.getFirst();
    for (Part p : test == null ? parts : concat(parts, test)) {
      checkAgrees(first, p);
    }
    boolean grouped = sources.stream().anyMatch(s -> s.group() != null);
    boolean manifestSplit = sources.stream().anyMatch(s -> s.split() != null);
    if (grouped && o.splitBy() == SplitUnit.TIME) {
      throw new CliException("the manifest's group column asks that no group is on both sides of the split; "
          + "--split-by time splits every recording, so every group, in two (use --split-by recording)");
    }
    if (manifestSplit && test != null) {
      throw new CliException("the manifest has a split column and --test-data gives a test set: use one of them");
    }
    int window = windowLength(test == null ? parts : concat(parts, test), o);
    int stride = o.stride() > 0 ? o.stride() : Math.max(1, window / 2);
    List<Part> train;
    String how;
    if (test != null) {
      train = parts;
      how = "test set " + o.testData();
    } else if (manifestSplit) {
      train = parts.stream().filter(p -> p.source().split().equals("train")).toList();
      test = parts.stream().filter(p -> p.source().split().equals("test")).toList();
      checkNoGroupOnBothSides(train, test);
      how = "split column of the manifest";
    } else if (o.splitBy() == SplitUnit.TIME) {
      return byTime(parts, classNames, window, stride, first.signal().units());
    } else {
      List<List<Part>> sides = byUnit(parts, classNames, o.seed(), grouped);
      train = sides.get(0);
      test = sides.get(1);
      how = "split by " + (grouped ? "group" : "recording");
    }
    if (train.isEmpty() || test.isEmpty()) {
      throw new CliException("the " + (train.isEmpty() ? "training" : "test") + " side of the split holds no "
          + "recordings (" + how + ")");
    }
    Dataset trainSet = windows(train, classNames, window, stride);
    Dataset testSet = windows(test, classNames, window, stride);
    String description = String.format(Locale.ROOT, "%d recordings, %s, windows of %d every %d, %s: "
            + "%d train / %d test recordings, %d train / %d test windows %s",
        parts.size() + (testSources == null ? 0 : test.size()), first.signal().units(), window, stride, how,
        distinctUnits(train), distinctUnits(test), trainSet.size(), testSet.size(),
        Arrays.toString(trainSet.exampleShape()));
    // With a test set given, validation still keeps recordings whole unless asked to split by time.
    List<String> unitNames = units.keySet().stream().map(k -> k.startsWith("file ") ? k.substring(5) : k).toList();
    return new Loaded(new DatasetSplit(trainSet, testSet, o.splitBy()), first.signal().units(), description,
        unitNames);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static long distinctUnits(List<Part> parts) {
    return parts.stream().mapToInt(Part::unit).distinct().count();
  }

  /** The same file on both sides (or twice on one) would leak: refused, naming the file. */
  private static void checkDistinctFiles(List<Source> sources, List<Source> testSources) {
    Set<Path> seen = new HashSet<>();
    for (Source s : testSources == null ? sources : concat(sources, testSources)) {
      Path key;
      try {
        key = s.file().toRealPath();
      } catch (IOException e) {
        key = s.file().toAbsolutePath().normalize();
      }
      if (!seen.add(key)) {
        throw new CliException(s.file() + " is listed twice" + (testSources == null ? ""
            : " (in --data and --test-data?)") + "; a recording must be on one side of the split only");
      }
    }
  }

  private static List<Part> read(List<Source> sources, List<String> classNames, Map<String, Integer> units,
                                 Options o) {
    List<Part> out = new ArrayList<>();
    for (Source s : sources) {
      int label = classNames.indexOf(s.label());
      if (label < 0) {
        throw new CliException(s.file() + ": class '" + s.label() + "' is not among the training classes "
            + classNames);
      }
      // The unit a split keeps whole: the group, or else the file.
      String key = s.group() != null ? "group " + s.group() : "file " + s.file();
      int unit = units.computeIfAbsent(key, k -> units.size());
      for (NamedSignal sig : SignalFiles.recording(s.file(), o.reading())) {
        out.add(new Part(sig, s, label, unit));
      }
    }
    if (out.isEmpty()) {
      throw new CliException("no signal files (.csv, .wav, .npy) found");
    }
    return out;
  }

  /** Channels, sample rate and scale must agree across files: one-line errors naming the file. */
  private static void checkAgrees(Part first, Part p) {
    int c0 = first.signal().channels().length;
    int c = p.signal().channels().length;
    if (c != c0) {
      throw new CliException(p.signal().name() + " has " + c + " channel" + (c == 1 ? "" : "s") + ", "
          + first.signal().name() + " has " + c0 + " (choose CSV columns with --columns)");
    }
    InputUnits u0 = first.signal().units();
    InputUnits u = p.signal().units();
    if (!u.scale().equals(u0.scale())) {
      throw new CliException(p.signal().name() + " holds " + scaleWords(u.scale()) + ", " + first.signal().name()
          + " " + scaleWords(u0.scale()) + ": the same amplitude would mean different things; use one kind of file");
    }
    if (u.sampleRate() != u0.sampleRate()) {
      throw new CliException(p.signal().name() + " is sampled at " + rateWords(u) + ", " + first.signal().name()
          + " at " + rateWords(u0) + "; resample the recordings to one rate");
    }
  }

  static String scaleWords(String scale) {
    return switch (scale) {
      case SignalFiles.FULL_SCALE -> "WAV samples scaled to [-1, 1)";
      case SignalFiles.RAW -> "raw values (CSV/NPY numbers as written)";
      default -> "values of unknown scale";
    };
  }

  static String rateWords(InputUnits u) {
    if (!u.rateKnown()) {
      return "an unknown rate (give --rate)";
    }
    double r = u.sampleRate();
    return (r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r)) + " Hz";
  }

  /**
   * --length, or 2048 when every recording holds that many samples, or else the shortest
   * recording (a fifth of it when splitting by time, so that both parts hold a window). A
   * recording shorter than an explicit --length is an error naming it.
   */
  private static int windowLength(List<Part> parts, Options o) {
    Part shortest = parts.getFirst();
    for (Part p : parts) {
      if (p.signal().length() < shortest.signal().length()) {
        shortest = p;
      }
    }
    int min = shortest.signal().length();
    if (o.length() > 0) {
      if (min < o.length()) {
        throw new CliException(shortest.signal().name() + " has " + min + " samples, fewer than one window of "
            + "--length " + o.length() + "; nothing is cropped or padded: lower --length or leave the file out");
      }
      return o.length();
    }
    int usable = o.splitBy() == SplitUnit.TIME ? min / 5 : min;
    if (usable < 1) {
      throw new CliException(shortest.signal().name() + " has only " + min + " samples");
    }
    return Math.min(DataSources.DEFAULT_WINDOW, usable);
  }

  /** Every recording split at 80 % of its length before windowing (RecordingWindows.splitByTime). */
  private static Loaded byTime(List<Part> parts, List<String> classNames, int window, int stride, InputUnits units) {
    List<Recording> recs = new ArrayList<>();
    for (Part p : parts) {
      recs.add(recording(p));
    }
    DatasetSplit s;
    try {
      s = RecordingWindows.splitByTime(recs, classNames, DataSources.TRAIN_FRACTION, window, stride);
    } catch (IllegalArgumentException e) {
      throw new CliException("--split-by time: " + e.getMessage() + " (lower --length, or split by recording)", e);
    }
    String description = String.format(Locale.ROOT, "%d recordings, %s, windows of %d every %d, each recording "
            + "split by time (first 80 %% train): %d train / %d test windows %s", parts.size(), units, window, stride,
        s.train().size(), s.test().size(), Arrays.toString(s.train().exampleShape()));
    return new Loaded(s, units, description, parts.stream().map(p -> p.signal().name()).toList());
  }

  private static Recording recording(Part p) {
    double rate = p.signal().units().rateKnown() ? p.signal().units().sampleRate() : 1;
    return new Recording(p.signal().name(), p.label(), rate, p.signal().channels());
  }

  /**
   * Whole units (recordings or groups) to one side, stratified: units are grouped by the set of
   * classes they hold (one class for a recording, possibly several for a group), and of every such
   * stratum round(20 %), at least one, go to test, chosen with the seed; a stratum of a single unit
   * stays in training. A class that then lacks a test or a training unit is an error.
   */
  private static List<List<Part>> byUnit(List<Part> parts, List<String> classNames, long seed, boolean grouped) {
    Map<Integer, Set<Integer>> classesOfUnit = new LinkedHashMap<>();
    Map<Integer, String> nameOfUnit = new HashMap<>();
    for (Part p : parts) {
      classesOfUnit.computeIfAbsent(p.unit(), u -> new TreeSet<>()).add(p.label());
      nameOfUnit.putIfAbsent(p.unit(), grouped ? "group " + p.source().group() : p.source().file().toString());
    }
    Map<Set<Integer>, List<Integer>> strata = new LinkedHashMap<>();
    classesOfUnit.forEach((u, cs) -> strata.computeIfAbsent(cs, k -> new ArrayList<>()).add(u));
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5B17_0FF5L);
    Set<Integer> testUnits = new HashSet<>();
    for (List<Integer> members : strata.values()) {
      if (members.size() < 2) {
        continue;
      }
      for (int i = members.size() - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        Integer t = members.get(i);
        members.set(i, members.get(j));
        members.set(j, t);
      }
      int n = (int) Math.max(1, Math.round((1 - DataSources.TRAIN_FRACTION) * members.size()));
      testUnits.addAll(members.subList(0, Math.min(n, members.size() - 1)));
    }
    String unit = grouped ? "group" : "recording";
    for (int c = 0; c < classNames.size(); c++) {
      final int cls = c;
      List<Integer> holding = classesOfUnit.keySet().stream().filter(u -> classesOfUnit.get(u).contains(cls)).toList();
      boolean tested = holding.stream().anyMatch(testUnits::contains);
      boolean trained = holding.stream().anyMatch(u -> !testUnits.contains(u));
      if (!tested || !trained) {
        throw new CliException("class '" + classNames.get(c) + "' is in " + (holding.size() == 1 ? "a single " + unit
            + " (" + nameOfUnit.get(holding.getFirst()) + ")" : holding.size() + " " + unit + "s that cannot be "
            + "divided by their classes") + ": splitting by " + unit + " needs at least 2 per class; add recordings, "
            + "give --test-data, or use --split-by time");
      }
    }
    List<Part> train = parts.stream().filter(p -> !testUnits.contains(p.unit())).toList();
    List<Part> test = parts.stream().filter(p -> testUnits.contains(p.unit())).toList();
    return List.of(train, test);
  }

  private static void checkNoGroupOnBothSides(List<Part> train, List<Part> test) {
    Set<Integer> trainUnits = new HashSet<>();
    train.forEach(p -> trainUnits.add(p.unit()));
    for (Part p : test) {
      if (p.source().group() != null && trainUnits.contains(p.unit())) {
        throw new CliException("group '" + p.source().group() + "' has recordings marked train and test ("
            + p.source().file() + " is test); a group must be on one side only");
      }
    }
  }

  private static Dataset windows(List<Part> parts, List<String> classNames, int window, int stride) {
    List<Recording> recs = new ArrayList<>();
    int[] unitOf = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      recs.add(recording(parts.get(i)));
      unitOf[i] = parts.get(i).unit();
    }
    return RecordingWindows.windowUnits(recs, classNames, window, stride, unitOf);
  }
}
