package drsn.cli;

import java.io.Serializable;
import java.util.List;
import picocli.CommandLine;

/**
 * The trainings of {@code drsn compare} run elsewhere (drsn on Spark: one task per training). A
 * bound {@link Runner} gets the command's own arguments and the number of trials; each trial is
 * then {@link #trial}(arguments, i) wherever it runs: the same options, data, noise and seed as
 * trial i of {@code drsn compare} with those arguments on one machine, so the same result. The
 * table is made from the outcomes as usual.
 */
public final class CompareGrid {

  /** A trial's test accuracy and training time in seconds. */
  public record Outcome(double accuracy, double seconds) implements Serializable {
  }

  /** Runs trials 0 … count − 1 of the comparison with these arguments; outcome i is trial i's. */
  public interface Runner {
    List<Outcome> run(List<String> arguments, int count) throws Exception;
  }

  /** The runner {@code drsn compare} hands its trainings to, when bound; otherwise it trains them itself. */
  public static final ScopedValue<Runner> RUNNER = ScopedValue.newInstance();

  private CompareGrid() {
  }

  /** Trial {@code index} of {@code drsn compare ARGUMENTS} (the arguments after "compare"). */
  public static Outcome trial(List<String> arguments, int index) {
    CompareCommand c = new CompareCommand();
    new CommandLine(c).parseArgs(arguments.toArray(new String[0]));
    List<CompareCommand.Trial> trials = c.trials(c.families());
    if (index < 0 || index >= trials.size()) {
      throw new IllegalArgumentException("trial " + index + " of " + trials.size());
    }
    CompareCommand.Trial t = trials.get(index);
    return c.train(t, c.data(t));
  }
}
