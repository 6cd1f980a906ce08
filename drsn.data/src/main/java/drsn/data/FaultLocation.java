package drsn.data;

/** Where a bearing defect sits. */
public enum FaultLocation {
  NONE("normal"),
  INNER_RACE("inner_race"),
  OUTER_RACE("outer_race"),
  BALL("ball");

  private final String label;

  FaultLocation(String label) {
    this.label = label;
  }

  /** Lower-case name used in class names. */
  public String label() {
    return label;
  }
}
