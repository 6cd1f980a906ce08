package drsn.spark;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-drsn}: drsn as a Spark application. Runs in local mode ({@code --master local[2]})
 * out of the box, with Spark's jars from Maven; under {@code spark-submit} it takes the cluster's
 * master and leaves {@code --master} to spark-submit.
 */
@Command(name = "spark-drsn", mixinStandardHelpOptions = true,
    description = "drsn on Apache Spark: score signal files, train, or run the compare grid as Spark tasks.",
    subcommands = {ScoreCommand.class, BenchCommand.class},
    footer = {"", "spark-drsn train|compare OPTIONS: drsn's own train and compare commands with the same options "
        + "(see `drsn train --help`), their work on Spark.",
        "spark-drsn train-assets --assets DIR --out ROOT OPTIONS: one drsn train per asset folder of DIR, as Spark tasks."})
public final class SparkDrsn implements Callable<Integer> {

  /** The master when neither --master nor spark-submit gives one. */
  static final String DEFAULT_MASTER = "local[2]";

  @Option(names = "--master", paramLabel = "URL", scope = CommandLine.ScopeType.INHERIT,
      description = "Spark master (default: spark-submit's, else " + DEFAULT_MASTER + ").")
  String master;

  /** The session commands run in: given (tests, embedding) or made on first use. */
  private SparkSession session;
  private boolean ownSession;
  private PrintWriter out = new PrintWriter(System.out, true);

  /** Where commands print their results. */
  PrintWriter out() {
    return out;
  }

  private SparkDrsn(SparkSession session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a command: score, train or compare");
  }

  /** The Spark session: the one given, or one built for --master (or spark-submit's). */
  synchronized SparkSession spark() {
    if (session == null) {
      SparkConf conf = new SparkConf();
      String m = master != null ? master : conf.get("spark.master", DEFAULT_MASTER);
      session = SparkSession.builder().appName("spark-drsn").master(m).getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      ownSession = true;
    }
    return session;
  }

  /**
   * Runs a spark-drsn command line in {@code spark} (null: a session of its own, stopped at the
   * end) and returns the exit code: 0 done, 1 failed (one line on {@code err}), 2 usage error.
   */
  public static int run(SparkSession spark, PrintWriter out, PrintWriter err, String... args) {
    java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
    String master = takeMaster(rest);
    if (!rest.isEmpty() && List.of("train", "compare", "train-assets").contains(rest.getFirst())) {
      // drsn's own train and compare commands parse the rest: spark-drsn takes only --master from it.
      SparkDrsn top = new SparkDrsn(spark);
      top.master = master;
      try {
        List<String> own = rest.subList(1, rest.size());
        return switch (rest.getFirst()) {
          case "train" -> DrsnCommands.train(top.spark(), out, err, own);
          case "compare" -> DrsnCommands.compare(top.spark(), out, err, own);
          default -> DrsnCommands.trainAssets(top.spark(), out, err, own);
        };
      } catch (Exception e) {
        err.println("spark-drsn: " + oneLine(e));
        return 1;
      } finally {
        out.flush();
        err.flush();
        if (top.ownSession && top.session != null) {
          top.session.stop();
        }
      }
    }
    SparkDrsn top = new SparkDrsn(spark);
    top.out = out;
    CommandLine cl = new CommandLine(top);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("spark-drsn: " + oneLine(e));
      err.flush();
      return 1;
    });
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
      if (top.ownSession && top.session != null) {
        top.session.stop();
      }
    }
  }

  /** Removes --master URL (or --master=URL) from args and returns URL (null when absent). */
  static String takeMaster(java.util.List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--master=")) {
        args.remove(i);
        return a.substring("--master=".length());
      }
      if (a.equals("--master") && i + 1 < args.size()) {
        args.remove(i);
        return args.remove(i);
      }
    }
    return null;
  }

  /** A failure as one line: the message of the exception (or of its first cause that has one). */
  static String oneLine(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(null, out, err, args));
  }
}
