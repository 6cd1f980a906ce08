package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.Printable;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The {@code drsn} command. Exit codes: 0 ok, 1 failure, 2 usage error. Failures print one line
 * on stderr ({@code drsn: error: …}); {@code --verbose} adds the stack trace.
 */
@Command(name = "drsn", mixinStandardHelpOptions = true, version = "drsn 0.1.0-SNAPSHOT",
    description = "Deep Residual Shrinkage Networks on the JVM: train, evaluate, inspect and serve "
        + "noise-robust signal classifiers.")
public final class Main implements Runnable {

  /** Held so the level set below is not lost to garbage collection of the logger. */
  private static final Logger TRAIN_LOG = Logger.getLogger("drsn.train");
  private static final Logger TENSOR_LOG = Logger.getLogger("drsn.tensor");

  @CommandLine.Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** The subcommands, in the order --help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("demo", DemoCommand::new);
    COMMANDS.put("train", TrainCommand::new);
    COMMANDS.put("eval", EvalCommand::new);
    COMMANDS.put("predict", PredictCommand::new);
    COMMANDS.put("inspect", InspectCommand::new);
    COMMANDS.put("compare", CompareCommand::new);
    COMMANDS.put("serve", ServeCommand::new);
    COMMANDS.put("export", ExportCommand::new);
    COMMANDS.put("bench", BenchCommand::new);
    COMMANDS.put("help", CommandLine.HelpCommand::new);
  }

  /** A command line with every subcommand, writing to the given streams. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, new String[0]);
  }

  /**
   * A command line writing to the given streams, with drsn's error handling and exit codes. When
   * the first argument names a subcommand only that one is built: picocli inspects every
   * registered command by reflection, which is a good share of a short command's start-up.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
    CommandLine cl = new CommandLine(new Main());
    String first = args.length > 0 ? args[0] : "";
    if (COMMANDS.containsKey(first) && !first.equals("help")) {
      cl.addSubcommand(first, COMMANDS.get(first).get());
    } else {
      for (Map.Entry<String, Supplier<Object>> e : COMMANDS.entrySet()) {
        cl.addSubcommand(e.getKey(), e.getValue().get());
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(Main::onFailure);
    cl.setParameterExceptionHandler(Main::onUsageError);
    return cl;
  }

  /** Runs the command and returns its exit code (for tests and main). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    // The trainer logs every epoch at INFO (the commands print their own progress), the kernel
    // selection its choice; warnings still show.
    boolean verbose = Arrays.asList(args).contains("--verbose");
    TRAIN_LOG.setLevel(verbose ? Level.INFO : Level.WARNING);
    TENSOR_LOG.setLevel(verbose ? Level.INFO : Level.WARNING);
    int code;
    try {
      code = commandLine(out, err, args).execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // A last resort: every input is checked against drsn.data.io.Limits before allocation, so
      // this means the limits in force are above what this JVM's heap can hold.
      err.println("drsn: error: " + (e instanceof OutOfMemoryError
          ? "out of memory (" + oneLine(e.getMessage()) + "); lower the limits (-Ddrsn.limit.*) or give the JVM "
              + "more heap (-Xmx in DRSN_JAVA_OPTS)"
          : "input nested too deeply (stack overflow)"));
      if (verbose) {
        e.printStackTrace(err);
      }
      code = 1;
    }
    out.flush();
    err.flush();
    return code;
  }

  private static int onFailure(Exception e, CommandLine cl, ParseResult pr) {
    PrintWriter err = cl.getErr();
    String msg = e instanceof CliException || e instanceof IllegalArgumentException
        ? e.getMessage()
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    boolean usage = e instanceof CliException c && c.isUsage();
    err.println("drsn: " + (usage ? "usage error: " : "error: ") + oneLine(msg));
    if (verbose(pr)) {
      e.printStackTrace(err);
    }
    err.flush();
    return usage ? 2 : 1;
  }

  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("drsn: usage error: " + oneLine(e.getMessage()) + " (see '"
        + cl.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return 2;
  }

  /** The longest error message printed: messages quote short excerpts, paths are rarely longer. */
  static final int MAX_MESSAGE = 2000;

  /** The message as one printable line (line breaks become spaces; see {@link Printable}), cut when overlong. */
  static String oneLine(String s) {
    return s == null ? "unknown error"
        : Printable.line(s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ').strip(), MAX_MESSAGE);
  }

  private static boolean verbose(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }
}
