package drsn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Labelled examples of one fixed shape (C×L for signals, C×H×W for images), stored as one
 * contiguous row-major {@code float[]} (example after example) plus an {@code int[]} of labels in
 * {@code 0..numClasses-1}, with class names. Immutable: every operation returns a new dataset.
 *
 * <p>Datasets cut into windows from long recordings remember each window's origin
 * ({@link #windowOrigin}); such datasets refuse random splits, because overlapping or neighbouring
 * windows on both sides of a random split leak test data into training. Split recordings by time
 * with {@link RecordingWindows#splitByTime} instead.
 */
public final class Dataset {

  private final float[] data;
  private final int[] labels;
  private final int[] shape;
  private final int exampleSize;
  private final List<String> classNames;
  /** Per example: recording, start, length; null for datasets not cut from recordings. */
  private final int[] origins;

  private Dataset(float[] data, int[] labels, int[] shape, List<String> classNames, int[] origins) {
    this.data = data;
    this.labels = labels;
    this.shape = shape;
    this.exampleSize = Args.elementCount("example shape", shape);
    this.classNames = classNames;
    this.origins = origins;
  }

  /**
   * A dataset over copies of {@code data} (examples back to back, each of {@code exampleShape})
   * and {@code labels}. Every value must be finite; labels must index {@code classNames}.
   */
  public static Dataset of(float[] data, int[] labels, int[] exampleShape, List<String> classNames) {
    Args.notNull("data", data);
    Args.notNull("labels", labels);
    return create(data.clone(), labels.clone(), exampleShape, classNames, null);
  }

  /** Takes ownership of the arrays (no copy); checks everything {@link #of} checks. */
  static Dataset create(float[] data, int[] labels, int[] exampleShape, List<String> classNames, int[] origins) {
    Args.notNull("data", data);
    Args.notNull("labels", labels);
    int[] shape = Args.notNull("exampleShape", exampleShape).clone();
    if (shape.length < 2 || shape.length > 3) {
      throw new IllegalArgumentException("example shape must be C×L or C×H×W (2 or 3 dimensions), got "
          + Arrays.toString(shape));
    }
    int size = Args.elementCount("example shape", shape);
    List<String> names = checkedNames(classNames);
    if ((long) labels.length * size != data.length) {
      throw new IllegalArgumentException(labels.length + " labels of examples shaped " + Arrays.toString(shape)
          + " need " + (long) labels.length * size + " values, but data has " + data.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= names.size()) {
        throw new IllegalArgumentException("label of example " + i + " must be in 0.." + (names.size() - 1)
            + " (" + names.size() + " classes), got " + labels[i]);
      }
    }
    if (origins != null && origins.length != 3 * labels.length) {
      throw new IllegalArgumentException("window origins: expected " + 3 * labels.length + " values, got " + origins.length);
    }
    Args.allFinite("data", data, size);
    return new Dataset(data, labels, shape, names, origins);
  }

  private static List<String> checkedNames(List<String> classNames) {
    Args.notNull("classNames", classNames);
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("classNames must name at least one class, got none");
    }
    var seen = new HashSet<String>();
    for (String n : classNames) {
      if (n == null || n.isBlank()) {
        throw new IllegalArgumentException("class names must be non-blank, got " + classNames);
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException("class names must be distinct, got '" + n + "' twice in " + classNames);
      }
    }
    return List.copyOf(classNames);
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** Shape of one example, C×L or C×H×W (a copy). */
  public int[] exampleShape() {
    return shape.clone();
  }

  /** Number of values in one example. */
  public int exampleSize() {
    return exampleSize;
  }

  public int numClasses() {
    return classNames.size();
  }

  public List<String> classNames() {
    return classNames;
  }

  public int label(int i) {
    checkIndex(i);
    return labels[i];
  }

  /** A copy of all labels. */
  public int[] labels() {
    return labels.clone();
  }

  /** Examples per class, indexed by label. */
  public int[] classCounts() {
    int[] counts = new int[classNames.size()];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /** A copy of example {@code i}. */
  public float[] example(int i) {
    checkIndex(i);
    return Arrays.copyOfRange(data, i * exampleSize, (i + 1) * exampleSize);
  }

  /** Copies example {@code i} into {@code dst} from {@code offset}. */
  public void copyExample(int i, float[] dst, int offset) {
    checkIndex(i);
    Args.notNull("dst", dst);
    if (offset < 0 || (long) offset + exampleSize > dst.length) {
      throw new IllegalArgumentException("dst: need " + exampleSize + " values from offset " + offset
          + ", but its length is " + dst.length);
    }
    System.arraycopy(data, i * exampleSize, dst, offset, exampleSize);
  }

  /** True if the examples were cut as windows from recordings. */
  public boolean hasWindowOrigins() {
    return origins != null;
  }

  /** Where example {@code i} was cut from; only for datasets built by {@link RecordingWindows}. */
  public WindowOrigin windowOrigin(int i) {
    checkIndex(i);
    if (origins == null) {
      throw new IllegalArgumentException("this dataset was not cut from recordings, so it has no window origins");
    }
    return new WindowOrigin(origins[3 * i], origins[3 * i + 1], origins[3 * i + 2]);
  }

  /** The examples at {@code indices}, in that order (repeats allowed). */
  public Dataset subset(int[] indices) {
    Args.notNull("indices", indices);
    float[] d = new float[Args.arraySize("subset", indices.length, exampleSize)];
    int[] l = new int[indices.length];
    int[] o = origins == null ? null : new int[3 * indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      if (i < 0 || i >= labels.length) {
        throw new IllegalArgumentException("indices[" + k + "] must be in 0.." + (labels.length - 1) + ", got " + i);
      }
      System.arraycopy(data, i * exampleSize, d, k * exampleSize, exampleSize);
      l[k] = labels[i];
      if (o != null) {
        System.arraycopy(origins, 3 * i, o, 3 * k, 3);
      }
    }
    return new Dataset(d, l, shape, classNames, o);
  }

  /** The same examples in a random order determined by {@code seed}. */
  public Dataset shuffled(long seed) {
    int[] perm = identity(labels.length);
    shuffle(perm, perm.length, new SeededRandom(SeededRandom.mix(seed, 0x5EED)));
    return subset(perm);
  }

  /**
   * A seeded stratified split: of every class, {@code round(fraction * count)} examples (chosen at
   * random) go to the first part and the rest to the second, so both keep the class proportions.
   * Refused for datasets cut from recordings (see the class comment).
   */
  public DatasetSplit stratifiedSplit(double fraction, long seed) {
    Args.openFraction("fraction", fraction);
    if (origins != null) {
      throw new IllegalArgumentException("this dataset was cut into windows from recordings; a random split would put "
          + "overlapping or neighbouring windows on both sides. Split the recordings by time with "
          + "RecordingWindows.splitByTime instead");
    }
    var rnd = new SeededRandom(SeededRandom.mix(seed, 0x57A7));
    var first = new ArrayList<int[]>();
    var second = new ArrayList<int[]>();
    int nFirst = 0;
    int nSecond = 0;
    for (int c = 0; c < classNames.size(); c++) {
      int[] members = indicesOf(c);
      shuffle(members, members.length, rnd);
      int k = (int) Math.round(fraction * members.length);
      int[] a = Arrays.copyOf(members, k);
      int[] b = Arrays.copyOfRange(members, k, members.length);
      // Keep original order inside each part: stable, and the shuffle is left to the batcher.
      Arrays.sort(a);
      Arrays.sort(b);
      first.add(a);
      second.add(b);
      nFirst += a.length;
      nSecond += b.length;
    }
    return new DatasetSplit(subset(merge(first, nFirst)), subset(merge(second, nSecond)));
  }

  /**
   * A validation part carved from this (training) set, by the rule that keeps the test split
   * honest: windows cut from recordings are split by time within each recording or by whole
   * recordings ({@code unit}); other examples by a seeded stratified split. {@code fraction} of the
   * examples (or of each recording's time, or of each class's recordings) go to the second part.
   * Every class must end up on both sides; otherwise an IllegalArgumentException gives the class
   * counts and what to do.
   */
  public DatasetSplit validationSplit(double fraction, long seed, SplitUnit unit) {
    return ValidationSplit.carve(this, fraction, seed, unit);
  }

  private static int[] merge(List<int[]> parts, int n) {
    int[] out = new int[n];
    int p = 0;
    for (int[] a : parts) {
      System.arraycopy(a, 0, out, p, a.length);
      p += a.length;
    }
    Arrays.sort(out);
    return out;
  }

  private int[] indicesOf(int c) {
    int n = 0;
    for (int l : labels) {
      if (l == c) {
        n++;
      }
    }
    int[] out = new int[n];
    int p = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == c) {
        out[p++] = i;
      }
    }
    return out;
  }

  /** The backing array itself; for this package only (noise, batching, normalisation). */
  float[] rawData() {
    return data;
  }

  int[] rawLabels() {
    return labels;
  }

  int[] rawOrigins() {
    return origins;
  }

  /** A dataset like this one with new values of the same size (owned, not copied). */
  Dataset withData(float[] newData) {
    return create(newData, labels.clone(), shape, classNames, origins == null ? null : origins.clone());
  }

  /** A dataset like this one with examples of another shape (owned, not copied). */
  Dataset withData(float[] newData, int[] newShape) {
    return create(newData, labels.clone(), newShape, classNames, origins == null ? null : origins.clone());
  }

  static int[] identity(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }

  /** Fisher–Yates on the first {@code n} entries. */
  static void shuffle(int[] a, int n, SeededRandom rnd) {
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= labels.length) {
      throw new IllegalArgumentException("example index must be in 0.." + (labels.length - 1) + ", got " + i);
    }
  }

  @Override
  public String toString() {
    return "Dataset[" + labels.length + " examples of " + Arrays.toString(shape) + ", classes " + classNames + "]";
  }
}
