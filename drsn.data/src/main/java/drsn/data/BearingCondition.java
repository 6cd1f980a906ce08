package drsn.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One class of the synthetic bearing dataset: a fault location and a severity level (0 for a
 * healthy bearing, 1, 2, 3… for increasing defect size; the impulse amplitude grows in proportion).
 */
public record BearingCondition(FaultLocation location, int severity) {

  public BearingCondition {
    Args.notNull("fault location", location);
    if (location == FaultLocation.NONE ? severity != 0 : severity < 1) {
      throw new IllegalArgumentException(location == FaultLocation.NONE
          ? "a healthy bearing has severity 0, got " + severity
          : "a " + location.label() + " fault needs severity >= 1, got " + severity);
    }
  }

  public static BearingCondition normal() {
    return new BearingCondition(FaultLocation.NONE, 0);
  }

  public static BearingCondition fault(FaultLocation location, int severity) {
    return new BearingCondition(location, severity);
  }

  /** Class name, e.g. {@code normal}, {@code inner_race_2}. */
  public String name() {
    return location == FaultLocation.NONE ? "normal" : location.label() + "_" + severity;
  }

  /**
   * Normal plus inner race, ball and outer race faults at severities 1..{@code severities}, in
   * that order (the CWRU 10-class layout for 3 severities).
   */
  public static List<BearingCondition> standard(int severities) {
    Args.positive("number of severities", severities);
    var out = new ArrayList<BearingCondition>();
    out.add(normal());
    for (FaultLocation loc : new FaultLocation[] {FaultLocation.INNER_RACE, FaultLocation.BALL, FaultLocation.OUTER_RACE}) {
      for (int s = 1; s <= severities; s++) {
        out.add(fault(loc, s));
      }
    }
    return List.copyOf(out);
  }
}
