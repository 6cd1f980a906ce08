package drsn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "compare", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class CompareCommand extends BaseCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new drsn.cli.internal.CliException("compare is not implemented yet");
  }
}
