package drsn.cli.internal;

import static drsn.cli.internal.SignalFiles.RAW;

import drsn.data.BearingCondition;
import drsn.data.CwruDataset;
import drsn.data.Dataset;
import drsn.data.DatasetSplit;
import drsn.data.SplitUnit;
import drsn.data.SyntheticBearing;
import drsn.data.UcrDataset;
import drsn.data.io.Limits;
import drsn.nn.InputUnits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 *   <li>recordings: a folder with one subfolder per class of CSV, WAV or NPY files, or a CSV
 *       manifest {@code file,label[,split][,group]}. Every file is one recording (its channels,
 *       or the CSV columns chosen, are the recording's channels) and is cut into windows of
 *       {@code length} samples, {@code stride} apart; nothing is cropped or padded. The split
 *       is leak-free by construction: whole recordings (or whole groups) go to one side,
 *       stratified by class ({@link SplitUnit#RECORDING}, the default), or every recording is
 *       split by time, the first 80 % for training ({@link SplitUnit#TIME}, as {@code cwru:});
 *       a manifest's split column or a second data set ({@code testData}) fixes the test set
 *       instead. Recordings must agree in channels, sample rate and scale.</li>
 * </ul>
 * Window origins name the unit a later split (the validation split) must keep together: the
 * recording, or the group when the manifest has one.
 */
public final class DataSources {

  /**
   * Options that shape the data.
   *
   * @param length           window length (0: 2048 for builtin/cwru; for recordings 2048 or less
   *                         when the shortest recording is shorter)
   * @param stride           samples between windows of a recording (0: length / 2)
   * @param examplesPerClass builtin data: examples per class
   * @param seed             seed of the split
   * @param splitBy          how recordings are split
   * @param testData         a second folder or manifest that is the test set, or null
   * @param reading          CSV columns and sample rate of the files
   */
  public record Options(int length, int stride, int examplesPerClass, long seed, SplitUnit splitBy, String testData,
                        SignalFiles.RecordingOptions reading) {

    public Options(int length, int examplesPerClass, long seed) {
      this(length, 0, examplesPerClass, seed, SplitUnit.RECORDING, null, SignalFiles.RecordingOptions.DEFAULT);
    }

    public Options {
      if (length < 0 || stride < 0) {
        throw new CliException("--length and --stride must be >= 0, got " + length + " and " + stride);
      }
    }
  }

  /**
   * Data as loaded: the split (its {@link SplitUnit} is what a validation split carved from the
   * training side must keep whole), the units its signals were recorded in, a one-line
   * description, and the names of the recordings (or groups) that window origins index.
   */
  public record Loaded(DatasetSplit split, InputUnits units, String description, List<String> unitNames) {

    Loaded(DatasetSplit split, InputUnits units, String description) {
      this(split, units, description, List.of());
    }
  }

  static final int DEFAULT_WINDOW = 2048;

  static final double TRAIN_FRACTION = 0.8;

  private DataSources() {
  }

  public static DatasetSplit load(String spec, Options o) {
    return loadAll(spec, o).split();
  }

  /** The data of a --data value with its units and description (see the class comment). */
  public static Loaded loadAll(String spec, Options o) {
    if (spec == null || spec.isBlank()) {
      throw new CliException("--data is empty; expected builtin, cwru:<folder>, ucr:<folder>, a folder or a manifest");
    }
    try {
      boolean benchmark = spec.equals("builtin") || spec.startsWith("builtin:") || spec.startsWith("cwru:")
          || spec.startsWith("ucr:");
      if (benchmark && o.testData() != null) {
        throw new CliException("--test-data goes with recordings (a class folder or a manifest); " + spec
            + " brings its own test split");
      }
      if (spec.equals("builtin") || spec.startsWith("builtin:")) {
        int perClass = o.examplesPerClass();
        if (spec.startsWith("builtin:")) {
          perClass = parsePositive(spec.substring(8), "examples per class in --data builtin:<n>");
        }
        DatasetSplit s = builtin(perClass, o.length() > 0 ? o.length() : DEFAULT_WINDOW, o.seed());
        return new Loaded(s, InputUnits.UNKNOWN, describe(spec, s));
      }
      if (spec.startsWith("cwru:")) {
        DatasetSplit s = cwru(Path.of(spec.substring(5)), o.length() > 0 ? o.length() : DEFAULT_WINDOW);
        return new Loaded(s, new InputUnits(CwruDataset.SAMPLE_RATE, RAW), describe(spec, s));
      }
      if (spec.startsWith("ucr:")) {
        DatasetSplit s = ucr(Path.of(spec.substring(4)));
        return new Loaded(s, InputUnits.UNKNOWN, describe(spec, s));
      }
      List<Source> sources = sources("--data", spec);
      List<Source> test = null;
      if (o.testData() != null) {
        test = sources("--test-data", o.testData());
      }
      return Recordings.load(sources, test, o);
    } catch (IOException e) {
      throw new CliException("cannot read data " + spec + ": " + e.getMessage(), e);
    }
  }

  private static String describe(String spec, DatasetSplit s) {
    return String.format(Locale.ROOT, "%s (%d train / %d test examples, %s)", spec, s.train().size(),
        s.test().size(), Arrays.toString(s.train().exampleShape()));
  }

  /** One recording file named by a class folder or a manifest row (split and group: null when not given). */
  record Source(Path file, String label, String split, String group) {
  }

  /** The recording files of a folder of class subfolders or of a manifest, given by option {@code option}. */
  static List<Source> sources(String option, String spec) {
    Path p = Path.of(spec);
    try {
      if (Files.isDirectory(p)) {
        return classFolders(p);
      }
      if (Files.isRegularFile(p)) {
        return manifest(p);
      }
      throw new CliException(option + " " + spec + ": no such file or folder (expected " + (option.equals("--data")
          ? "builtin, cwru:<folder>, ucr:<folder>, " : "") + "a folder of class subfolders or a file,label manifest)");
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
    throw new CliException(what + " must be a positive integer, got '" + Limits.excerpt(s) + "'");
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

  static List<Source> classFolders(Path folder) throws IOException {
    List<Path> classes;
    try (Stream<Path> s = Files.list(folder)) {
      classes = s.filter(Files::isDirectory).sorted().toList();
    }
    if (classes.size() < 2) {
      throw new CliException(folder + " must hold one subfolder per class (at least 2), found " + classes.size());
    }
    List<Source> out = new ArrayList<>();
    for (Path c : classes) {
      List<Path> files;
      try (Stream<Path> s = Files.list(c)) {
        files = s.filter(Files::isRegularFile).filter(DataSources::isSignalFile).sorted().toList();
      }
      for (Path f : files) {
        out.add(new Source(f, c.getFileName().toString(), null, null));
      }
    }
    return out;
  }

  static boolean isSignalFile(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".csv") || n.endsWith(".wav") || n.endsWith(".npy");
  }

  /**
   * A manifest: lines {@code file,label}, or, after a header line naming the columns, {@code file},
   * {@code label} and optionally {@code split} (train or test) and {@code group} (recordings of one
   * group, one machine say, never on both sides of a split). Files are relative to the manifest's
   * folder; blank lines and lines starting with # are skipped.
   */
  static List<Source> manifest(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int fileCol = 0;
    int labelCol = 1;
    int splitCol = -1;
    int groupCol = -1;
    int width = 2;
    boolean first = true;
    Path base = file.toAbsolutePath().getParent();
    List<Source> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",", -1);
      for (int k = 0; k < parts.length; k++) {
        parts[k] = parts[k].strip();
      }
      if (first && parts[0].equalsIgnoreCase("file")) {
        first = false;
        List<String> header = Arrays.stream(parts).map(h -> h.toLowerCase(Locale.ROOT)).toList();
        for (String h : header) {
          if (!List.of("file", "label", "split", "group").contains(h) || header.indexOf(h) != header.lastIndexOf(h)) {
            throw new CliException(file + " line " + (i + 1) + ": header columns are file, label and optionally "
                + "split and group (each once), got '" + Limits.excerpt(line) + "'");
          }
        }
        if (!header.contains("label")) {
          throw new CliException(file + " line " + (i + 1) + ": the header lacks a label column");
        }
        labelCol = header.indexOf("label");
        splitCol = header.indexOf("split");
        groupCol = header.indexOf("group");
        width = header.size();
        continue;
      }
      first = false;
      if (parts.length != width || parts[fileCol].isEmpty() || parts[labelCol].isEmpty()
          || (groupCol >= 0 && parts[groupCol].isEmpty())) {
        throw new CliException(file + " line " + (i + 1) + ": expected '" + (width == 2 ? "file,label"
            : "the " + width + " header columns") + "', got '" + Limits.excerpt(line) + "'");
      }
      String split = null;
      if (splitCol >= 0) {
        split = parts[splitCol].toLowerCase(Locale.ROOT);
        if (!split.equals("train") && !split.equals("test")) {
          throw new CliException(file + " line " + (i + 1) + ": split must be train or test, got '"
              + Limits.excerpt(parts[splitCol]) + "'");
        }
      }
      out.add(new Source(base.resolve(parts[fileCol]), parts[labelCol], split, groupCol >= 0 ? parts[groupCol] : null));
    }
    if (out.isEmpty()) {
      throw new CliException(file + " lists no files");
    }
    return out;
  }
}
