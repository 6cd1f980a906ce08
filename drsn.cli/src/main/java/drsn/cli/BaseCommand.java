package drsn.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every subcommand shares: its output streams and --verbose. */
abstract class BaseCommand {

  @Spec
  CommandSpec spec;

  @Option(names = "--verbose", description = "Show stack traces of errors.")
  boolean verbose;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
