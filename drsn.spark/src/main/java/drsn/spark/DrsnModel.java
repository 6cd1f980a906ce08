package drsn.spark;

import drsn.nn.Architecture;
import drsn.nn.Predictor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A saved drsn model as a Spark ML {@link Model}: classifies the signal in {@code inputCol}
 * ({@code array<float|double>} of C·L values, or one array per channel, see {@link SignalValues})
 * into {@code predictionCol} (the class index, a double as in Spark ML), {@code labelCol} (the
 * class name) and {@code probabilityCol} (an ML vector of class probabilities). A row that cannot
 * be scored (wrong length, a null or non-finite sample) gets nulls there and the reason in
 * {@code errorCol}; the job goes on.
 *
 * <p>The model file's bytes are broadcast once per model and Spark context; every executor JVM
 * decodes them once ({@link ExecutorModels}) and scores each partition's rows in batches of
 * {@code batchSize} through the one shared {@link Predictor}. Saves and loads like Spark ML's own
 * models ({@link MLWritable}, {@link #read()}): metadata with the parameters, and the model file.
 */
public final class DrsnModel extends Model<DrsnModel> implements MLWritable {

  private static final long serialVersionUID = 1L;

  /** The model file inside a saved DrsnModel folder. */
  static final String DATA_FILE = "data/model.safetensors";

  private final String uid;
  private final ModelBytes model;
  private transient Broadcast<ModelBytes> broadcast;

  // Made in the constructor, after the uid: a Param records its parent's uid when it is made.
  private final Param<String> inputCol;
  private final Param<String> predictionCol;
  private final Param<String> labelCol;
  private final Param<String> probabilityCol;
  private final Param<String> errorCol;
  private final IntParam batchSize;

  /** A transformer for the model in {@code bytes} (validated: see {@link ModelBytes}). */
  public DrsnModel(ModelBytes bytes) {
    this(Identifiable$.MODULE$.randomUID("drsn"), bytes);
  }

  DrsnModel(String uid, ModelBytes bytes) {
    this.uid = uid;
    this.model = bytes;
    inputCol = new Param<>(this, "inputCol",
        "the signal: array<float|double> of channels × length values, or one array per channel");
    predictionCol = new Param<>(this, "predictionCol", "the class index");
    labelCol = new Param<>(this, "labelCol", "the class name");
    probabilityCol = new Param<>(this, "probabilityCol", "the class probabilities (ML vector)");
    errorCol = new Param<>(this, "errorCol", "why a row could not be scored (null when it was)");
    batchSize = new IntParam(this, "batchSize", "rows classified per call of the predictor",
        ParamValidators.inRange(1, 4096, true, true));
    setDefault(inputCol, "signal");
    setDefault(predictionCol, "prediction");
    setDefault(labelCol, "label");
    setDefault(probabilityCol, "probability");
    setDefault(errorCol, "error");
    setDefault(batchSize, 64);
  }

  @Override
  public String uid() {
    return uid;
  }

  public ModelBytes modelBytes() {
    return model;
  }

  /** The model's architecture (class names, input channels and length). */
  public Architecture architecture() {
    return model.model().architecture();
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public Param<String> errorCol() {
    return errorCol;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public DrsnModel setInputCol(String v) {
    set(inputCol, v);
    return this;
  }

  public DrsnModel setPredictionCol(String v) {
    set(predictionCol, v);
    return this;
  }

  public DrsnModel setLabelCol(String v) {
    set(labelCol, v);
    return this;
  }

  public DrsnModel setProbabilityCol(String v) {
    set(probabilityCol, v);
    return this;
  }

  public DrsnModel setErrorCol(String v) {
    set(errorCol, v);
    return this;
  }

  public DrsnModel setBatchSize(int v) {
    set(batchSize, v);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String in = $(inputCol);
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException("input column '" + in + "' is not among the columns "
          + Arrays.toString(schema.fieldNames()));
    }
    StructField f = schema.apply(in);
    if (!SignalValues.accepts(f.dataType())) {
      throw new IllegalArgumentException("input column '" + in + "' is " + f.dataType().simpleString()
          + "; a signal is array<float>, array<double>, an array of them (one per channel) or binary (float32)");
    }
    StructType out = schema;
    for (String c : List.of($(predictionCol), $(labelCol), $(probabilityCol), $(errorCol))) {
      if (Arrays.asList(schema.fieldNames()).contains(c)) {
        throw new IllegalArgumentException("output column '" + c + "' already exists");
      }
    }
    out = out.add($(predictionCol), DataTypes.DoubleType, true)
        .add($(labelCol), DataTypes.StringType, true)
        .add($(probabilityCol), SQLDataTypes.VectorType(), true)
        .add($(errorCol), DataTypes.StringType, true);
    return out;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    Broadcast<ModelBytes> b = broadcast(dataset.sparkSession().sparkContext());
    int field = dataset.schema().fieldIndex($(inputCol));
    int batch = (Integer) $(batchSize);
    MapPartitionsFunction<Row, Row> score = rows -> new Scoring(b.value(), rows, field, batch);
    return dataset.toDF().mapPartitions(score, Encoders.row(out));
  }

  private synchronized Broadcast<ModelBytes> broadcast(org.apache.spark.SparkContext sc) {
    if (broadcast == null || JavaSparkContext.fromSparkContext(sc).sc().isStopped()) {
      broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(model);
    }
    return broadcast;
  }

  /** Scores a partition's rows in batches, in order: each output row is its input row and four values. */
  private static final class Scoring implements Iterator<Row> {

    private final Iterator<Row> rows;
    private final Predictor predictor;
    private final List<String> names;
    private final int field;
    private final int channels;
    private final int length;
    private final int classes;
    private final int batch;
    private final List<Row> pending = new ArrayList<>();
    private int next;

    Scoring(ModelBytes b, Iterator<Row> rows, int field, int batch) {
      this.rows = rows;
      this.predictor = ExecutorModels.predictor(b);
      Architecture a = predictor.model().architecture();
      this.names = a.classNames();
      this.field = field;
      this.channels = a.inputChannels();
      this.length = a.inputSize() / a.inputChannels();
      this.classes = a.classes();
      this.batch = batch;
    }

    @Override
    public boolean hasNext() {
      if (next < pending.size()) {
        return true;
      }
      pending.clear();
      next = 0;
      if (!rows.hasNext()) {
        return false;
      }
      fill();
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.get(next++);
    }

    /** Reads up to one batch of rows and scores the good ones with one predictor call. */
    private void fill() {
      List<Row> in = new ArrayList<>(batch);
      String[] error = new String[batch];
      float[] x = new float[batch * channels * length];
      int[] slot = new int[batch];
      int good = 0;
      while (in.size() < batch && rows.hasNext()) {
        Row r = rows.next();
        int i = in.size();
        in.add(r);
        try {
          float[] s = SignalValues.read(r, field, channels, length);
          System.arraycopy(s, 0, x, good * s.length, s.length);
          slot[i] = good++;
        } catch (SignalValues.BadSignal e) {
          error[i] = e.getMessage();
          slot[i] = -1;
        }
      }
      float[] probs = new float[Math.max(1, good) * classes];
      if (good > 0) {
        predictor.predictBatch(good * channels * length == x.length ? x : Arrays.copyOf(x, good * channels * length),
            good, probs);
      }
      for (int i = 0; i < in.size(); i++) {
        Row r = in.get(i);
        Object[] v = new Object[r.length() + 4];
        for (int k = 0; k < r.length(); k++) {
          v[k] = r.get(k);
        }
        if (slot[i] >= 0) {
          double[] p = new double[classes];
          int best = 0;
          for (int c = 0; c < classes; c++) {
            p[c] = probs[slot[i] * classes + c];
            if (p[c] > p[best]) {
              best = c;
            }
          }
          v[r.length()] = (double) best;
          v[r.length() + 1] = names.get(best);
          v[r.length() + 2] = Vectors.dense(p);
        } else {
          v[r.length() + 3] = error[i];
        }
        pending.add(RowFactory.create(v));
      }
    }
  }

  @Override
  public DrsnModel copy(ParamMap extra) {
    DrsnModel m = new DrsnModel(uid, model);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Reads a DrsnModel saved with {@link #write()}. */
  public static MLReader<DrsnModel> read() {
    return new Reader();
  }

  /** {@code read().load(path)}. */
  public static DrsnModel load(String path) {
    return read().load(path);
  }

  private static final class Writer extends MLWriter {
    private final DrsnModel instance;

    Writer(DrsnModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
      Path file = new Path(path, DATA_FILE);
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        try (OutputStream o = fs.create(file, true)) {
          o.write(instance.model.bytes());
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private static final class Reader extends MLReader<DrsnModel> {
    @Override
    public DrsnModel load(String path) {
      DefaultParamsReader.Metadata meta = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
          DrsnModel.class.getName());
      ModelBytes bytes = ModelBytes.read(new Path(path, DATA_FILE).toString(), sc().hadoopConfiguration());
      DrsnModel m = new DrsnModel(meta.uid(), bytes);
      meta.getAndSetParams(m, Option.empty());
      return m;
    }
  }
}
