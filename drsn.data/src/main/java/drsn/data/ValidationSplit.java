package drsn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Carves a validation part out of a training set, by the same rule that keeps the test split
 * honest, so that model selection and early stopping never look at test data and never at a near
 * copy of a training example:
 * <ul>
 *   <li>examples not cut from recordings: a seeded stratified split (every class on both
 *       sides);</li>
 *   <li>windows, {@link SplitUnit#TIME}: in every recording the latest windows go to validation,
 *       the earlier ones stay for training, and training windows that overlap a validation window
 *       are dropped;</li>
 *   <li>windows, {@link SplitUnit#RECORDING}: whole recordings go to validation, chosen at random
 *       per class.</li>
 * </ul>
 * A split that would leave a class without training or validation examples is refused with the
 * class counts and what to do.
 */
final class ValidationSplit {

  private ValidationSplit() {
  }

  static DatasetSplit carve(Dataset d, double fraction, long seed, SplitUnit unit) {
    Args.openFraction("validation fraction", fraction);
    Args.notNull("split unit", unit);
    int[] origins = d.rawOrigins();
    int[] train;
    int[] validation;
    if (origins == null) {
      int[][] parts = stratified(d, fraction, seed);
      train = parts[0];
      validation = parts[1];
    } else if (unit == SplitUnit.TIME) {
      int[][] parts = byTime(d, origins, fraction);
      train = parts[0];
      validation = parts[1];
    } else {
      int[][] parts = byRecording(d, origins, fraction, seed);
      train = parts[0];
      validation = parts[1];
    }
    Dataset t = d.subset(train);
    Dataset v = d.subset(validation);
    requireEveryClass(d, t.classCounts(), v.classCounts(), fraction,
        origins == null ? "examples" : unit == SplitUnit.TIME ? "windows" : "recordings' windows");
    return new DatasetSplit(t, v);
  }

  /** Of every class of n ≥ 2 examples, round(fraction × n) at random, at least 1 and at most n − 1. */
  private static int[][] stratified(Dataset d, double fraction, long seed) {
    var rnd = new SeededRandom(SeededRandom.mix(seed, 0x57A7));
    boolean[] toValidation = new boolean[d.size()];
    for (int c = 0; c < d.numClasses(); c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < d.size(); i++) {
        if (d.label(i) == c) {
          members.add(i);
        }
      }
      int[] m = toArray(members);
      Dataset.shuffle(m, m.length, rnd);
      int k = m.length < 2 ? 0 : (int) Math.max(1, Math.min(m.length - 1, Math.round(fraction * m.length)));
      for (int j = 0; j < k; j++) {
        toValidation[m[j]] = true;
      }
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      (toValidation[i] ? validation : train).add(i);
    }
    return new int[][] {toArray(train), toArray(validation)};
  }

  /** Per recording: windows starting at or after the cut go to validation, those ending by it stay. */
  private static int[][] byTime(Dataset d, int[] origins, double fraction) {
    Map<Integer, long[]> span = new TreeMap<>(); // recording -> {first start, last end}
    for (int i = 0; i < d.size(); i++) {
      int r = origins[3 * i];
      long start = origins[3 * i + 1];
      long end = start + origins[3 * i + 2];
      span.merge(r, new long[] {start, end}, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      long[] s = span.get(origins[3 * i]);
      long cut = s[0] + (long) Math.floor((1 - fraction) * (s[1] - s[0]));
      long start = origins[3 * i + 1];
      long end = start + origins[3 * i + 2];
      if (start >= cut) {
        validation.add(i);
      } else if (end <= cut) {
        train.add(i);
      }
    }
    return new int[][] {toArray(train), toArray(validation)};
  }

  /**
   * Whole recordings to validation. Recordings (window origins' units: a recording, or a group of
   * recordings such as one machine's, which may hold several classes) are stratified by the set of
   * classes they hold; of every stratum round(fraction × its size), at least one and never all, go
   * to validation; a stratum of one stays in training.
   */
  private static int[][] byRecording(Dataset d, int[] origins, double fraction, long seed) {
    int classes = d.numClasses();
    Map<Integer, TreeSet<Integer>> classesOfRecording = new TreeMap<>();
    for (int i = 0; i < d.size(); i++) {
      classesOfRecording.computeIfAbsent(origins[3 * i], r -> new TreeSet<>()).add(d.label(i));
    }
    StringBuilder tooFew = new StringBuilder();
    for (int c = 0; c < classes; c++) {
      final int cls = c;
      long n = classesOfRecording.values().stream().filter(cs -> cs.contains(cls)).count();
      if (n < 2) {
        tooFew.append(tooFew.isEmpty() ? "" : ", ").append('\'').append(d.classNames().get(c)).append("' ")
            .append(n);
      }
    }
    if (!tooFew.isEmpty()) {
      throw new IllegalArgumentException("a validation split by recording needs at least 2 training recordings of "
          + "every class; recordings per class: " + tooFew + ". Add recordings, or split by time");
    }
    Map<String, List<Integer>> strata = new TreeMap<>();
    classesOfRecording.forEach((r, cs) -> strata.computeIfAbsent(cs.toString(), k -> new ArrayList<>()).add(r));
    var rnd = new SeededRandom(SeededRandom.mix(seed, 0x7A11D));
    Set<Integer> toValidation = new HashSet<>();
    for (List<Integer> recs : strata.values()) {
      if (recs.size() < 2) {
        continue;
      }
      int[] order = recs.stream().mapToInt(Integer::intValue).sorted().toArray();
      Dataset.shuffle(order, order.length, rnd);
      int k = (int) Math.max(1, Math.min(order.length - 1, Math.round(fraction * order.length)));
      for (int j = 0; j < k; j++) {
        toValidation.add(order[j]);
      }
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      (toValidation.contains(origins[3 * i]) ? validation : train).add(i);
    }
    return new int[][] {toArray(train), toArray(validation)};
  }

  private static void requireEveryClass(Dataset d, int[] train, int[] validation, double fraction, String what) {
    StringBuilder empty = new StringBuilder();
    for (int c = 0; c < d.numClasses(); c++) {
      if (train[c] == 0 || validation[c] == 0) {
        empty.append(empty.isEmpty() ? "" : ", ").append('\'').append(d.classNames().get(c)).append('\'');
      }
    }
    if (!empty.isEmpty()) {
      int[] all = d.classCounts();
      StringBuilder counts = new StringBuilder();
      for (int c = 0; c < all.length; c++) {
        counts.append(c == 0 ? "" : ", ").append(d.classNames().get(c)).append(' ').append(all[c]);
      }
      throw new IllegalArgumentException("a validation split of " + Math.round(fraction * 100) + " % would leave "
          + "class " + empty + " with no training or no validation " + what + " (training " + what + " per class: "
          + counts + "); give every class at least 2 examples (2 recordings long enough for 2 windows each, for "
          + "windows; more is better), or train without a validation split (a fixed number of epochs)");
    }
  }

  private static int[] toArray(List<Integer> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    Arrays.sort(a);
    return a;
  }
}
