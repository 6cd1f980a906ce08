package drsn.spark;

import drsn.data.FixedLength;
import drsn.data.RecordingWindows;
import drsn.data.io.ModelInputFiles;
import drsn.data.io.ModelInputSignal;
import drsn.nn.Architecture;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Signal files or a table of signals cut into the windows a model classifies, with the rules of
 * {@code drsn predict}: a file's signals as {@link ModelInputFiles} lays them out for the model's
 * channels, a signal longer than the model's window cut at {@link RecordingWindows#coveringStarts}
 * ({@code hop} apart, the last window ending at the last sample), a signal of exactly one window
 * taken whole, a shorter one zero-padded only with {@code fit}. Files are read with Spark's
 * {@code binaryFile} source, so any file system Spark reads works.
 *
 * <p>One row per window: {@code path} (the signal's name: the file, with {@code [i]} or
 * {@code :column} when a file holds several signals), {@code window} (its index within the
 * signal), {@code offset} (its first sample), {@code signal} (little-endian float32 bytes, channels
 * one after another: the form {@link DrsnModel} reads fastest, see {@link SignalValues}) and
 * {@code error}. A file or signal that cannot be classified (corrupt, wrong
 * shape, other units than the model's) is one row with the reason in {@code error} and nulls
 * elsewhere: it does not fail the job.
 */
public final class SignalWindows implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The columns of a window row. */
  public static final StructType SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("window", DataTypes.IntegerType, true)
      .add("offset", DataTypes.LongType, true)
      .add("signal", DataTypes.BinaryType, true)
      .add("error", DataTypes.StringType, true);

  private final int channels;
  private final int window;
  private final int hop;
  private final boolean fit;
  private final double modelRate;
  private final String modelScale;
  private final String declaredScale;

  /**
   * @param arch          the model's architecture (channels, window length, input units)
   * @param hop           samples between windows of a long signal (0: the window length)
   * @param fit           zero-pad signals shorter than one window (as {@code drsn predict --fit})
   * @param declaredScale the scale of NPY and CSV numbers ({@code raw}, as written, or
   *                      {@code full-scale}), as {@code drsn predict --input-scale}
   */
  public SignalWindows(Architecture arch, int hop, boolean fit, String declaredScale) {
    if (hop < 0) {
      throw new IllegalArgumentException("--hop must be at least 1 sample, got " + hop);
    }
    if (!declaredScale.equals("raw") && !declaredScale.equals("full-scale")) {
      throw new IllegalArgumentException("--input-scale must be raw or full-scale, got '" + declaredScale + "'");
    }
    this.channels = arch.inputChannels();
    this.window = arch.inputSize() / arch.inputChannels();
    this.hop = hop > 0 ? hop : window;
    this.fit = fit;
    this.modelRate = arch.inputUnits().sampleRate();
    this.modelScale = arch.inputUnits().scale();
    this.declaredScale = declaredScale;
  }

  /** The windows of every file under {@code path} (a file, folder or glob), read with {@code binaryFile}. */
  public Dataset<Row> files(SparkSession spark, String path) {
    Dataset<Row> files = spark.read().format("binaryFile").load(path).select("path", "content");
    FlatMapFunction<Row, Row> cut = row -> ofFile(row.getString(0), (byte[]) row.get(1)).iterator();
    return files.flatMap(cut, Encoders.row(SCHEMA));
  }

  /**
   * The windows of a table's signals: {@code idColumn} names each signal (it becomes
   * {@code path}), {@code signalColumn} holds it as {@code array<float|double>} (one channel) or
   * one such array per channel.
   */
  public Dataset<Row> table(Dataset<Row> table, String idColumn, String signalColumn) {
    for (String c : List.of(idColumn, signalColumn)) {
      if (!Arrays.asList(table.columns()).contains(c)) {
        throw new IllegalArgumentException("the table has no column '" + c + "' (columns: "
            + String.join(", ", table.columns()) + ")");
      }
    }
    var type = table.schema().apply(signalColumn).dataType();
    if (!SignalValues.accepts(type) || type.equals(DataTypes.BinaryType)) {
      throw new IllegalArgumentException("column '" + signalColumn + "' is "
          + table.schema().apply(signalColumn).dataType().simpleString()
          + "; a table's signal is array<float>, array<double> or an array of them (one per channel)");
    }
    FlatMapFunction<Row, Row> cut = row -> ofRow(row).iterator();
    return table.select(table.col(idColumn).cast("string"), table.col(signalColumn)).flatMap(cut, Encoders.row(SCHEMA));
  }

  /** The window rows of one file's bytes. */
  List<Row> ofFile(String path, byte[] bytes) {
    FileDecoding.Decoded decoded = FileDecoding.decode(path, bytes, b -> ModelInputFiles.read(b, path, channels));
    if (decoded.problem() != null) {
      return List.of(error(path, decoded.problem()));
    }
    List<Row> out = new ArrayList<>();
    for (ModelInputSignal s : decoded.signals()) {
      out.addAll(windows(s));
    }
    return out;
  }

  private List<Row> ofRow(Row row) {
    String name = row.isNullAt(0) ? "null" : row.getString(0);
    if (row.isNullAt(1)) {
      return List.of(error(name, name + ": the signal is null"));
    }
    List<Object> v = row.getList(1);
    float[][] ch;
    if (!v.isEmpty() && SignalValues.asList(v.get(0)) != null) {
      ch = new float[v.size()][];
      for (int c = 0; c < ch.length; c++) {
        List<?> l = SignalValues.asList(v.get(c));
        if (l == null || (ch[c] = floats(l)) == null) {
          return List.of(error(name, name + ": channel " + c + " is null or holds a null sample"));
        }
      }
    } else {
      float[] one = floats(v);
      if (one == null) {
        return List.of(error(name, name + ": the signal holds a null sample"));
      }
      ch = new float[][] {one};
    }
    return windows(new ModelInputSignal(name, ch, 0, false));
  }

  private static float[] floats(List<?> l) {
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      if (!(l.get(i) instanceof Number n)) {
        return null;
      }
      f[i] = n.floatValue();
    }
    return f;
  }

  /** The windows of one signal, or one error row saying why it has none. */
  List<Row> windows(ModelInputSignal s) {
    String unitsProblem = unitsProblem(s);
    if (unitsProblem != null) {
      return List.of(error(s.name(), unitsProblem));
    }
    if (s.channels().length != channels) {
      return List.of(error(s.name(), s.name() + ": the model expects " + channels + " channel"
          + (channels == 1 ? "" : "s") + ", the signal has " + s.channels().length));
    }
    int length = s.length();
    if (length > window) {
      int[] starts = RecordingWindows.coveringStarts(length, window, hop);
      List<Row> out = new ArrayList<>(starts.length);
      for (int w = 0; w < starts.length; w++) {
        float[] x = new float[channels * window];
        for (int c = 0; c < channels; c++) {
          System.arraycopy(s.channels()[c], starts[w], x, c * window, window);
        }
        out.add(RowFactory.create(s.name(), w, (long) starts[w], SignalValues.toBytes(x), null));
      }
      return out;
    }
    if (length < window && !fit) {
      return List.of(error(s.name(), s.name() + ": the model expects " + window
          + " samples per channel, the signal has " + length + " (use --fit to zero-pad)"));
    }
    float[] x = new float[channels * window];
    for (int c = 0; c < channels; c++) {
      float[] v = length == window ? s.channels()[c] : FixedLength.fit(s.channels()[c], window, FixedLength.Mode.CENTRE);
      System.arraycopy(v, 0, x, c * window, window);
    }
    return List.of(RowFactory.create(s.name(), 0, 0L, SignalValues.toBytes(x), null));
  }

  /**
   * Why a signal is not in the model's units (null when it is): a known scale other than the
   * model's, or a stated rate other than the model's. A file that states no rate is taken to be at
   * the model's, as {@code drsn predict} does. ({@code drsn predict} also decimates inputs at an
   * integer multiple of the model's rate; here they are refused: resample them first.)
   */
  private String unitsProblem(ModelInputSignal s) {
    String scale = s.fullScale() ? "full-scale" : declaredScale;
    if (!modelScale.isEmpty() && !modelScale.equals(scale)) {
      return s.name() + " holds " + scale + " values, the model was trained on " + modelScale
          + " values (declare the scale of NPY/CSV numbers with --input-scale)";
    }
    if (s.sampleRate() > 0 && modelRate > 0 && s.sampleRate() != modelRate) {
      return s.name() + " is sampled at " + s.sampleRate() + " Hz, the model at " + modelRate
          + " Hz; resample it to the model's rate";
    }
    return null;
  }

  private static Row error(String path, String message) {
    return RowFactory.create(path, null, null, null, message);
  }
}
