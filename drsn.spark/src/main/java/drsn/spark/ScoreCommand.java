package drsn.spark;

import drsn.nn.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code spark-drsn score}: classifies every window of every signal file under a folder or glob
 * (NPY, CSV, WAV, with the rules of {@code drsn predict}) or of a Parquet table of signals, and
 * writes one row per window: {@code path, window, offset, class}, one column per class name with
 * its probability, and {@code error} (why a file or signal could not be scored; null when it was).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Classifies the windows of signal files or of a Parquet table of signals, as drsn predict does.",
        "INPUT: a folder, file or glob of .npy, .csv, .wav files, or a Parquet table (--input-format parquet).",
        "Writes Parquet or CSV: path, window, offset, class, one column per class with its probability, error."})
final class ScoreCommand implements Callable<Integer> {

  @ParentCommand
  SparkDrsn top;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
      description = "Model file or training output folder (any file system Spark reads).")
  String model;

  @Parameters(paramLabel = "INPUT", description = "A folder, file or glob of signal files, or a Parquet table "
      + "(with --input-format parquet).")
  String input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output folder (must not exist).")
  String output;

  @Option(names = "--output-format", defaultValue = "parquet", paramLabel = "FORMAT",
      description = "parquet or csv (default: ${DEFAULT-VALUE}).")
  String outputFormat;

  @Option(names = "--input-format", defaultValue = "files", paramLabel = "FORMAT",
      description = "files (signal files) or parquet (a table of signals) (default: ${DEFAULT-VALUE}).")
  String inputFormat;

  @Option(names = "--id-column", defaultValue = "path", paramLabel = "NAME",
      description = "Parquet input: the column naming each signal (default: ${DEFAULT-VALUE}).")
  String idColumn;

  @Option(names = "--signal-column", defaultValue = "signal", paramLabel = "NAME",
      description = "Parquet input: the signal, array<float|double> or one per channel (default: ${DEFAULT-VALUE}).")
  String signalColumn;

  @Option(names = "--hop", defaultValue = "0", paramLabel = "SAMPLES",
      description = "Samples between windows of a long signal (default: the model's window length).")
  int hop;

  @Option(names = "--fit", description = "Zero-pad signals shorter than the model's window.")
  boolean fit;

  @Option(names = "--input-scale", defaultValue = "raw", paramLabel = "SCALE",
      description = "Scale of NPY, CSV and Parquet numbers: raw (as written) or full-scale (default: ${DEFAULT-VALUE}).")
  String inputScale;

  @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
      description = "Repartition the windows into N partitions before scoring (default: as read).")
  int partitions;

  @Override
  public Integer call() {
    String fmt = outputFormat.toLowerCase(Locale.ROOT);
    if (!fmt.equals("parquet") && !fmt.equals("csv")) {
      throw new IllegalArgumentException("--output-format must be parquet or csv, got '" + outputFormat + "'");
    }
    String in = inputFormat.toLowerCase(Locale.ROOT);
    if (!in.equals("files") && !in.equals("parquet")) {
      throw new IllegalArgumentException("--input-format must be files or parquet, got '" + inputFormat + "'");
    }
    SparkSession spark = top.spark();
    // Read and validate the model on the driver first: an unreadable model fails here, with the reason.
    ModelBytes bytes = ModelBytes.read(model, spark.sparkContext().hadoopConfiguration());
    Dataset<Row> scored = score(spark, bytes, input, in.equals("parquet"));
    var w = scored.write().format(fmt);
    if (fmt.equals("csv")) {
      w = w.option("header", "true");
    }
    w.save(output);
    // A summary from what was written (a cheap second read, not a second scoring).
    Dataset<Row> written = spark.read().format(fmt).option("header", "true").load(output);
    long windows = written.count();
    long errors = written.filter(functions.col("error").isNotNull()).count();
    top.out().println("spark-drsn: wrote " + output + " (" + fmt + "): " + (windows - errors) + " windows scored, "
        + errors + " file" + (errors == 1 ? "" : "s") + " or signal" + (errors == 1 ? "" : "s")
        + " not scored (see the error column)");
    return 0;
  }

  /** The scored windows with the output columns. */
  Dataset<Row> score(SparkSession spark, ModelBytes bytes, String path, boolean parquet) {
    DrsnModel m = new DrsnModel(bytes).setErrorCol("score_error");
    Architecture a = m.architecture();
    SignalWindows cut = new SignalWindows(a, hop, fit, inputScale);
    Dataset<Row> windows = parquet ? cut.table(spark.read().parquet(path), idColumn, signalColumn)
        : cut.files(spark, path);
    if (partitions > 0) {
      windows = windows.repartition(partitions);
    }
    return columns(m.transform(windows), a.classNames());
  }

  /** path, window, offset, class, one column per class name, error. */
  static Dataset<Row> columns(Dataset<Row> scored, List<String> classNames) {
    for (String fixed : List.of("path", "window", "offset", "class", "error")) {
      if (classNames.stream().anyMatch(n -> n.equalsIgnoreCase(fixed))) {
        // Spark's column names are case-insensitive: a class named like a fixed column would clash.
        throw new IllegalArgumentException("the model has a class named '" + fixed + "', the name of an output "
            + "column; score writes one column per class name next to path, window, offset, class and error");
      }
    }
    List<Column> cols = new ArrayList<>(List.of(functions.col("path"), functions.col("window"),
        functions.col("offset"), functions.col("label").as("class")));
    // vector_to_array refuses nulls: rows that could not be scored keep null probabilities.
    Column probs = functions.when(functions.col("probability").isNotNull(),
        org.apache.spark.ml.functions.vector_to_array(functions.col("probability"), "float64"));
    for (int c = 0; c < classNames.size(); c++) {
      cols.add(probs.getItem(c).as(classNames.get(c)));
    }
    cols.add(functions.coalesce(functions.col("error"), functions.col("score_error")).as("error"));
    return scored.select(cols.toArray(new Column[0]));
  }
}
