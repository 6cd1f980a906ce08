package drsn.spark;

import drsn.data.DatasetSplit;
import drsn.data.Recording;
import drsn.data.RecordingWindows;
import drsn.data.io.ModelInputFiles;
import drsn.data.io.ModelInputSignal;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Recordings for training at scale: a folder of class subfolders of NPY, CSV and WAV recordings
 * (the layout of {@code drsn train --data FOLDER}), read with Spark's {@code binaryFile} source,
 * each file one recording ({@link ModelInputFiles#recording}), split by time and cut into windows
 * by drsn.data's own {@link RecordingWindows#splitByTime}: the first {@code trainFraction} of every
 * recording gives the training windows, the rest the test windows, none crossing the boundary. The
 * split of each recording depends on that recording alone, so a folder gives, file by file, the
 * windows {@code drsn train --data FOLDER --split-by time} cuts on one machine.
 *
 * <p>One row per window: {@code path} (the recording: the file, or the file and {@code [i]} for
 * segment i of an [N, C, L] NPY file), {@code class} (the name of the file's folder), {@code part}
 * ({@code train} or {@code test}), {@code window} (its index within its part of the recording),
 * {@code offset} (its first sample in the recording), {@code signal} ({@code array<float>}, channels
 * one after another) and {@code error}: a file that cannot be read or split is one row with the
 * reason there, not a failed job.
 */
public final class RecordingSplits implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final StructType SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("class", DataTypes.StringType, true)
      .add("part", DataTypes.StringType, true)
      .add("window", DataTypes.IntegerType, true)
      .add("offset", DataTypes.LongType, true)
      .add("signal", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("error", DataTypes.StringType, true);

  private final int window;
  private final int stride;
  private final double trainFraction;
  private final ArrayList<String> columns;

  /**
   * @param window        samples per window
   * @param stride        samples between windows (drsn train's default: half the window)
   * @param trainFraction the share of every recording, from its start, that trains (drsn train: 0.8)
   * @param columns       CSV columns to use as channels, by header name or 1-based number (empty: all)
   */
  public RecordingSplits(int window, int stride, double trainFraction, List<String> columns) {
    if (window < 1 || stride < 1) {
      throw new IllegalArgumentException("window and stride must be at least 1 sample, got " + window + " and "
          + stride);
    }
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new IllegalArgumentException("train fraction must be in (0, 1), got " + trainFraction);
    }
    this.window = window;
    this.stride = stride;
    this.trainFraction = trainFraction;
    this.columns = new ArrayList<>(columns);
  }

  /** The windows of every recording under {@code path} (a folder of class subfolders, or a glob). */
  public Dataset<Row> read(SparkSession spark, String path) {
    Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(path)
        .select("path", "content");
    FlatMapFunction<Row, Row> cut = row -> ofFile(row.getString(0), (byte[]) row.get(1)).iterator();
    return files.flatMap(cut, Encoders.row(SCHEMA));
  }

  /** The window rows of one file's bytes. */
  List<Row> ofFile(String path, byte[] bytes) {
    String cls = folderName(path);
    FileDecoding.Decoded decoded = FileDecoding.decode(path, bytes,
        b -> ModelInputFiles.recording(b, path, columns));
    if (decoded.problem() != null) {
      return List.of(error(path, decoded.problem()));
    }
    List<Row> out = new ArrayList<>();
    for (ModelInputSignal s : decoded.signals()) {
      DatasetSplit split;
      try {
        Recording r = new Recording(s.name(), 0, s.sampleRate() > 0 ? s.sampleRate() : 1, s.channels());
        split = RecordingWindows.splitByTime(List.of(r), List.of(cls), trainFraction, window, stride);
      } catch (IllegalArgumentException e) {
        out.add(error(s.name(), s.name() + ": " + e.getMessage()));
        continue;
      }
      rows(s.name(), cls, "train", split.train(), out);
      rows(s.name(), cls, "test", split.test(), out);
    }
    return out;
  }

  private static void rows(String name, String cls, String part, drsn.data.Dataset d, List<Row> out) {
    for (int i = 0; i < d.size(); i++) {
      out.add(RowFactory.create(name, cls, part, i, (long) d.windowOrigin(i).start(),
          scala.collection.immutable.ArraySeq.unsafeWrapArray(d.example(i)), null));
    }
  }

  /** The name of the folder a file is in: its class in drsn train's folder layout. */
  static String folderName(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    if (slash <= 0) {
      return "";
    }
    String dir = p.substring(0, slash);
    return dir.substring(dir.lastIndexOf('/') + 1);
  }

  private static Row error(String path, String message) {
    return RowFactory.create(path, folderName(path), null, null, null, null, message);
  }
}
