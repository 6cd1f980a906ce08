package drsn.cli.internal;

import drsn.data.BearingCondition;
import drsn.data.CwruFile;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.FixedLength;
import drsn.data.Recording;
import drsn.data.RecordingWindows;
import drsn.data.SyntheticBearing;
import drsn.data.io.LabelledSeries;
import drsn.data.io.MatArray;
import drsn.data.io.MatFile;
import drsn.data.io.UcrTsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns a {@code --data} value into a train/test split:
 * <ul>
 *   <li>{@code builtin} or {@code builtin:<examples per class>}: the synthetic bearing dataset
 *       (10 classes), split 80/20 stratified;</li>
 *   <li>{@code cwru:<folder>}: the CWRU MAT files, drive-end signal, 48 kHz recordings decimated
 *       to 12 kHz, each recording split by time (first 80 % train) before cutting windows;</li>
 *   <li>{@code ucr:<folder>}: a UCR data set with its official {@code *_TRAIN.tsv} and
 *       {@code *_TEST.tsv};</li>
 *   <li>a folder with one subfolder per class of CSV, WAV or NPY files (one example each), or a
 *       CSV manifest of {@code file,label} lines: brought to one length (centre crop or zero
 *       padding to {@code length}, or the longest file when length is 0), split 80/20 stratified.</li>
 * </ul>
 */
public final class DataSources {

  /** Options that shape the data: window/target length, examples per class, seed. */
  public record Options(int length, int examplesPerClass, long seed) {
  }

  static final double TRAIN_FRACTION = 0.8;

  private DataSources() {
  }

  public static DatasetSplit load(String spec, Options o) {
    if (spec == null || spec.isBlank()) {
      throw new CliException("--data is empty; expected builtin, cwru:<folder>, ucr:<folder>, a folder or a manifest");
    }
    try {
      if (spec.equals("builtin") || spec.startsWith("builtin:")) {
        int perClass = o.examplesPerClass();
        if (spec.startsWith("builtin:")) {
          perClass = parsePositive(spec.substring(8), "examples per class in --data builtin:<n>");
        }
        return builtin(perClass, o.length() > 0 ? o.length() : 2048, o.seed());
      }
      if (spec.startsWith("cwru:")) {
        return cwru(Path.of(spec.substring(5)), o.length() > 0 ? o.length() : 2048);
      }
      if (spec.startsWith("ucr:")) {
        return ucr(Path.of(spec.substring(4)));
      }
      Path p = Path.of(spec);
      if (Files.isDirectory(p)) {
        return classFolders(p, o);
      }
      if (Files.isRegularFile(p)) {
        return manifest(p, o);
      }
      throw new CliException("--data " + spec + ": no such file or folder (expected builtin, cwru:<folder>, "
          + "ucr:<folder>, a folder of class subfolders or a file,label manifest)");
    } catch (IOException e) {
      throw new CliException("cannot read data " + spec + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException("bad data " + spec + ": " + e.getMessage(), e);
    }
  }

  private static int parsePositive(String s, String what) {
    try {
      int v = Integer.parseInt(s);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // fall through
    }
    throw new CliException(what + " must be a positive integer, got '" + s + "'");
  }

  public static DatasetSplit builtin(int perClass, int length, long seed) {
    Dataset all = SyntheticBearing.builder().examplesPerClass(perClass).windowLength(length)
        .classes(BearingCondition.standard(3)).seed(seed).build().generate();
    return all.stratifiedSplit(TRAIN_FRACTION, seed);
  }

  static DatasetSplit cwru(Path folder, int window) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new CliException("cwru:" + folder + " is not a folder");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(f -> CwruFile.parse(f.getFileName().toString()).isPresent()).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new CliException("cwru:" + folder + " holds no CWRU MAT files (names like normal_0_97.mat, "
          + "12k_Drive_End_IR007_0_105.mat)");
    }
    TreeMap<String, Integer> classIndex = new TreeMap<>();
    List<CwruFile> infos = new ArrayList<>();
    for (Path f : files) {
      CwruFile info = CwruFile.parse(f.getFileName().toString()).orElseThrow();
      infos.add(info);
      classIndex.put(info.className(), 0);
    }
    List<String> names = new ArrayList<>(classIndex.keySet());
    for (int i = 0; i < names.size(); i++) {
      classIndex.put(names.get(i), i);
    }
    List<Recording> recordings = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      CwruFile info = infos.get(i);
      MatArray a = MatFile.open(files.get(i)).readBySuffix("_DE_time");
      float[] x = new float[a.data().length];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) a.data()[j];
      }
      Recording r = Recording.mono(info.fileName(), classIndex.get(info.className()), info.sampleRate(), x);
      if (info.sampleRate() == 48_000) {
        r = r.decimate(4);
      }
      recordings.add(r);
    }
    return RecordingWindows.splitByTime(recordings, names, TRAIN_FRACTION, window, window / 2, window);
  }

  static DatasetSplit ucr(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new CliException("ucr:" + folder + " is not a folder");
    }
    Path train = null;
    Path test = null;
    try (Stream<Path> s = Files.list(folder)) {
      for (Path f : s.toList()) {
        String n = f.getFileName().toString();
        if (n.endsWith("_TRAIN.tsv")) {
          train = f;
        } else if (n.endsWith("_TEST.tsv")) {
          test = f;
        }
      }
    }
    if (train == null || test == null) {
      throw new CliException("ucr:" + folder + " needs a <Name>_TRAIN.tsv and a <Name>_TEST.tsv file");
    }
    List<LabelledSeries> pair = UcrTsv.readPair(train, test, false);
    return new DatasetSplit(toDataset(pair.get(0), 0), toDataset(pair.get(1), 0));
  }

  private static Dataset toDataset(LabelledSeries s, int length) {
    float[][] rows = s.toFloats();
    int len = length > 0 ? length : s.length();
    if (len <= 0) {
      len = 0;
      for (float[] r : rows) {
        len = Math.max(len, r.length);
      }
    }
    float[] data = new float[rows.length * len];
    for (int i = 0; i < rows.length; i++) {
      float[] r = rows[i].length == len ? rows[i] : FixedLength.fit(rows[i], len, FixedLength.Mode.CENTRE);
      System.arraycopy(r, 0, data, i * len, len);
    }
    return Dataset.of(data, s.labels(), new int[] {1, len}, s.classNames());
  }

  static DatasetSplit classFolders(Path folder, Options o) throws IOException {
    List<Path> classes;
    try (Stream<Path> s = Files.list(folder)) {
      classes = s.filter(Files::isDirectory).sorted().toList();
    }
    if (classes.size() < 2) {
      throw new CliException(folder + " must hold one subfolder per class (at least 2), found " + classes.size());
    }
    List<NamedSignal> signals = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      names.add(classes.get(c).getFileName().toString());
      List<Path> files;
      try (Stream<Path> s = Files.list(classes.get(c))) {
        files = s.filter(Files::isRegularFile).filter(DataSources::isSignalFile).sorted().toList();
      }
      for (Path f : files) {
        for (NamedSignal sig : SignalFiles.read(f, 0)) {
          signals.add(sig);
          labels.add(c);
        }
      }
    }
    return split(signals, labels, names, o);
  }

  static boolean isSignalFile(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".csv") || n.endsWith(".wav") || n.endsWith(".npy");
  }

  static DatasetSplit manifest(Path file, Options o) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, Integer> classIndex = new TreeMap<>();
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",");
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new CliException(file + " line " + (i + 1) + ": expected 'file,label', got '" + line + "'");
      }
      if (i == 0 && parts[0].strip().equalsIgnoreCase("file") && parts[1].strip().equalsIgnoreCase("label")) {
        continue; // header
      }
      rows.add(new String[] {parts[0].strip(), parts[1].strip()});
      classIndex.put(parts[1].strip(), 0);
    }
    List<String> names = new ArrayList<>(classIndex.keySet());
    if (names.size() < 2) {
      throw new CliException(file + ": a manifest needs at least 2 labels, found " + names.size());
    }
    for (int i = 0; i < names.size(); i++) {
      classIndex.put(names.get(i), i);
    }
    Path base = file.toAbsolutePath().getParent();
    List<NamedSignal> signals = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (String[] r : rows) {
      for (NamedSignal s : SignalFiles.read(base.resolve(r[0]), 0)) {
        signals.add(s);
        labels.add(classIndex.get(r[1]));
      }
    }
    return split(signals, labels, names, o);
  }

  private static DatasetSplit split(List<NamedSignal> signals, List<Integer> labels, List<String> names, Options o) {
    if (signals.isEmpty()) {
      throw new CliException("no signal files (.csv, .wav, .npy) found");
    }
    int channels = signals.getFirst().channels().length;
    int len = o.length();
    if (len <= 0) {
      for (NamedSignal s : signals) {
        len = Math.max(len, s.length());
      }
    }
    float[] data = new float[Math.multiplyExact(signals.size(), channels * len)];
    int[] lab = new int[signals.size()];
    for (int i = 0; i < signals.size(); i++) {
      NamedSignal s = signals.get(i);
      if (s.channels().length != channels) {
        throw new CliException(s.name() + " has " + s.channels().length + " channels, the first file has " + channels);
      }
      for (int c = 0; c < channels; c++) {
        float[] v = s.channels()[c];
        float[] f = v.length == len ? v : FixedLength.fit(v, len, FixedLength.Mode.CENTRE);
        System.arraycopy(f, 0, data, (i * channels + c) * len, len);
      }
      lab[i] = labels.get(i);
    }
    Dataset all = Dataset.of(data, lab, new int[] {channels, len}, names);
    return all.stratifiedSplit(TRAIN_FRACTION, o.seed());
  }
}
