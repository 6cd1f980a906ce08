package drsn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class BenchCommand extends BaseCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new drsn.cli.internal.CliException("bench is not implemented yet");
  }
}
