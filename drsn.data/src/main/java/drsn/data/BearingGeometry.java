package drsn.data;

/**
 * Rolling-element bearing geometry and its characteristic defect frequencies, as multiples of the
 * shaft rotation frequency fr (outer race fixed, inner race turning with the shaft):
 * <pre>
 *   FTF  = fr/2 · (1 − d/D·cos α)                      cage (fundamental train)
 *   BPFO = n/2 · fr · (1 − d/D·cos α)                  ball pass, outer race
 *   BPFI = n/2 · fr · (1 + d/D·cos α)                  ball pass, inner race
 *   BSF  = D/(2d) · fr · (1 − (d/D·cos α)²)            ball spin
 * </pre>
 * with n balls of diameter d on pitch diameter D and contact angle α.
 */
public record BearingGeometry(int balls, double ballDiameter, double pitchDiameter, double contactAngleRad) {

  /** SKF 6205-2RS JEM, the CWRU drive-end bearing: 9 balls, d = 7.94 mm, D = 39.04 mm, α = 0. */
  public static final BearingGeometry SKF_6205 = new BearingGeometry(9, 7.94, 39.04, 0);

  public BearingGeometry {
    Args.positive("number of balls", balls);
    Args.positiveFinite("ball diameter", ballDiameter);
    Args.positiveFinite("pitch diameter", pitchDiameter);
    Args.finite("contact angle", contactAngleRad);
    if (ballDiameter >= pitchDiameter) {
      throw new IllegalArgumentException("ball diameter must be smaller than the pitch diameter, got "
          + ballDiameter + " and " + pitchDiameter);
    }
  }

  private double ratio() {
    return ballDiameter / pitchDiameter * Math.cos(contactAngleRad);
  }

  public double ftf(double shaftHz) {
    return 0.5 * shaftHz * (1 - ratio());
  }

  public double bpfo(double shaftHz) {
    return 0.5 * balls * shaftHz * (1 - ratio());
  }

  public double bpfi(double shaftHz) {
    return 0.5 * balls * shaftHz * (1 + ratio());
  }

  public double bsf(double shaftHz) {
    double r = ratio();
    return pitchDiameter / (2 * ballDiameter) * shaftHz * (1 - r * r);
  }

  /**
   * Rate of the impacts a defect at {@code location} produces: BPFO, BPFI, or 2·BSF for a ball
   * (a spinning ball's defect strikes the inner and the outer race once per spin each); 0 for none.
   */
  public double impactRate(FaultLocation location, double shaftHz) {
    return switch (location) {
      case NONE -> 0;
      case OUTER_RACE -> bpfo(shaftHz);
      case INNER_RACE -> bpfi(shaftHz);
      case BALL -> 2 * bsf(shaftHz);
    };
  }
}
