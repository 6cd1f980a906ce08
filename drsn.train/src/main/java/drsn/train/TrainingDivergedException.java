package drsn.train;

/**
 * Training produced a NaN or infinite loss, gradient or parameter. The run stops at once; the last
 * checkpoint written before this step stays as it was.
 */
public final class TrainingDivergedException extends RuntimeException {

  private final long step;
  private final String parameter;

  public TrainingDivergedException(String message, long step, String parameter) {
    super(message);
    this.step = step;
    this.parameter = parameter;
  }

  /** The 0-based optimisation step at which the problem appeared. */
  public long step() {
    return step;
  }

  /** The first offending parameter tensor (such as {@code units.3.conv1.weight}), or null if only the loss was. */
  public String parameter() {
    return parameter;
  }
}
