package drsn.data;

/**
 * Two disjoint parts of a dataset, for example training and test, and the unit that was kept whole
 * when they were cut (what a validation split carved from {@code train} must keep whole too).
 */
public record DatasetSplit(Dataset train, Dataset test, SplitUnit unit) {

  public DatasetSplit {
    Args.notNull("train", train);
    Args.notNull("test", test);
    Args.notNull("split unit", unit);
  }

  /** A split by time (or of examples not cut from recordings). */
  public DatasetSplit(Dataset train, Dataset test) {
    this(train, test, SplitUnit.TIME);
  }

  /** A validation part carved from {@code train} by this split's unit ({@link Dataset#validationSplit}). */
  public DatasetSplit carveValidation(double fraction, long seed) {
    return train.validationSplit(fraction, seed, unit);
  }
}
