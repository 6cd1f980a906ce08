package drsn.cli;

import drsn.tensor.KernelProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code drsn} command. Subcommands arrive with the CLI issue; for now it reports its kernels. */
@Command(name = "drsn", mixinStandardHelpOptions = true, version = "drsn 0.1.0-SNAPSHOT",
    description = "Deep Residual Shrinkage Networks on the JVM.")
public final class Main implements Callable<Integer> {

  @Override
  public Integer call() {
    KernelProvider p = KernelProvider.get();
    System.out.println("drsn: kernels " + p.name());
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
