package drsn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Not yet implemented.")
final class ServeCommand extends BaseCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new drsn.cli.internal.CliException("serve is not implemented yet");
  }
}
