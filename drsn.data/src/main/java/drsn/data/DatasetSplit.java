package drsn.data;

/** Two disjoint parts of a dataset, for example training and test. */
public record DatasetSplit(Dataset train, Dataset test) {

  public DatasetSplit {
    Args.notNull("train", train);
    Args.notNull("test", test);
  }
}
