package drsn.data;

import drsn.data.io.LabelledSeries;
import drsn.data.io.Limits;
import drsn.data.io.UcrTsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A data set of the UCR time-series archive from its folder ({@code <folder>/<Name>_TRAIN.tsv}
 * and {@code <Name>_TEST.tsv}, Name being the folder's name) with its official train/test split,
 * as 1×L examples. Labels are mapped to 0..K−1 by one mapping for both files; the original labels
 * are kept as class names. The series are used as given (the archive has z-normalised them).
 */
public final class UcrDataset {

  private UcrDataset() {
  }

  public static DatasetSplit load(Path folder) throws IOException {
    Args.notNull("folder", folder);
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("UCR folder " + folder + " is not a directory");
    }
    String name = folder.toAbsolutePath().normalize().getFileName().toString();
    Path train = folder.resolve(name + "_TRAIN.tsv");
    Path test = folder.resolve(name + "_TEST.tsv");
    for (Path p : List.of(train, test)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("UCR folder " + folder + " has no file " + p.getFileName());
      }
    }
    List<LabelledSeries> pair = UcrTsv.readPair(train, test, false);
    checkClasses(name, pair.get(0), pair.get(1));
    int length = pair.get(0).length();
    if (length <= 0 || pair.get(1).length() != length) {
      throw new IllegalArgumentException("UCR set " + name + ": series must all have one length, got train "
          + pair.get(0).length() + " and test " + pair.get(1).length() + " (-1: varying); bring them to one length "
          + "with FixedLength");
    }
    return new DatasetSplit(toDataset(pair.get(0), length), toDataset(pair.get(1), length));
  }

  /**
   * A training set of one class teaches nothing, and a test label never seen in training can only
   * be misclassified: both are refused, naming the labels, rather than reported as an accuracy.
   */
  private static void checkClasses(String name, LabelledSeries train, LabelledSeries test) {
    boolean[] inTrain = new boolean[train.classCount()];
    int present = 0;
    for (int label : train.labels()) {
      if (!inTrain[label]) {
        inTrain[label] = true;
        present++;
      }
    }
    if (present < 2) {
      throw new IllegalArgumentException("UCR set " + name + ": the training file holds " + present
          + " class; at least 2 are needed to train a classifier");
    }
    TreeSet<String> unseen = new TreeSet<>();
    for (int label : test.labels()) {
      if (!inTrain[label]) {
        unseen.add(test.classNames().get(label));
      }
    }
    if (!unseen.isEmpty()) {
      throw new IllegalArgumentException("UCR set " + name + ": test labels " + excerpt(unseen)
          + " never occur in the training file, so no model trained on it can predict them");
    }
  }

  private static String excerpt(SortedSet<String> labels) {
    List<String> shown = labels.stream().limit(5).map(Limits::excerpt).toList();
    return shown + (labels.size() > 5 ? " and " + (labels.size() - 5) + " more" : "");
  }

  private static Dataset toDataset(LabelledSeries s, int length) {
    float[] data = new float[Args.arraySize("UCR set", s.size(), length)];
    for (int i = 0; i < s.size(); i++) {
      double[] x = s.series()[i];
      for (int t = 0; t < length; t++) {
        data[i * length + t] = (float) x[t];
      }
    }
    return Dataset.create(data, s.labels().clone(), new int[] {1, length}, s.classNames(), null);
  }
}
