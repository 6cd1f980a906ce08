package drsn.cli.internal;

import drsn.data.BearingCondition;
import drsn.data.CwruDataset;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.FixedLength;
import drsn.data.SyntheticBearing;
import drsn.data.UcrDataset;
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
 *   <li>{@code cwru:<folder>}: the CWRU MAT files via {@link CwruDataset} (drive-end signal, 48 kHz
 *       recordings decimated to 12 kHz, each recording split by time, first 80 % train, before
 *       cutting windows of {@code length}, strides length/4 and length/2);</li>
 *   <li>{@code ucr:<folder>}: a UCR data set with its official train/test split via
 *       {@link UcrDataset};</li>
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
    throw new CliException(what + " must be a positive integer, got '" + drsn.data.io.Limits.excerpt(s) + "'");
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
    return CwruDataset.load(folder, TRAIN_FRACTION, window, Math.max(1, window / 4), Math.max(1, window / 2));
  }

  static DatasetSplit ucr(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new CliException("ucr:" + folder + " is not a folder");
    }
    return UcrDataset.load(folder);
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
        throw new CliException(file + " line " + (i + 1) + ": expected 'file,label', got '" + drsn.data.io.Limits.excerpt(line) + "'");
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
    float[] data = new float[InputChecks.values("--data", signals.size(), (long) channels * len)];
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
