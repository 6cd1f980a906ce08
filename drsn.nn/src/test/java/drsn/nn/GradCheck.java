package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences against analytic gradients, for float32 code.
 *
 * <p>The numeric derivative is (f(v + ε) − f(v − ε)) / 2ε, tried with ε = 3e-4, 1e-3, 3e-3 and
 * 1e-2 in turn (a float32 forward pass rounds at about 1e-7 relative, so small steps drown in
 * rounding noise, while large steps cross more kinks; the loss is summed in double); a coordinate
 * passes when a kink-free step agrees with the analytic value. Near a kink (ReLU, |x|, soft
 * thresholding, where one side of the step crosses it)
 * central differences are meaningless; such coordinates are detected because the one-sided
 * quotients (f(v) − f(v − ε))/ε and (f(v + ε) − f(v))/ε disagree, and skipped — at most a quarter
 * of them. Tolerance: |numeric − analytic| ≤ ATOL + RTOL·max(|numeric|, |analytic|).
 */
public final class GradCheck {

  /** Steps tried in turn; float rounding noise dominates near 1e-4, kinks above 1e-2. */
  public static final double[] STEPS = {3e-4, 1e-3, 3e-3, 1e-2};
  public static final double ATOL = 2e-3;
  public static final double RTOL = 3e-2;

  private GradCheck() {
  }

  /** One coordinate to check: the array and index to perturb, and its analytic derivative. */
  public record Coordinate(String label, float[] array, int index, double analytic) {
  }

  /** Returns {left, right, central} difference quotients at a[i]. */
  public static double[] quotients(float[] a, int i, double eps, DoubleSupplier f) {
    float saved = a[i];
    double mid = f.getAsDouble();
    float hi = (float) (saved + eps);
    float lo = (float) (saved - eps);
    a[i] = hi;
    double up = f.getAsDouble();
    a[i] = lo;
    double down = f.getAsDouble();
    a[i] = saved;
    // The steps actually taken in float may differ slightly from eps.
    double hUp = (double) hi - saved;
    double hDown = (double) saved - lo;
    return new double[] {(mid - down) / hDown, (up - mid) / hUp, (up - down) / (hUp + hDown)};
  }

  public static void check(String what, List<Coordinate> coords, DoubleSupplier loss) {
    int skipped = 0;
    List<String> failures = new ArrayList<>();
    for (Coordinate c : coords) {
      boolean smoothSomewhere = false;
      boolean matched = false;
      String detail = "";
      for (double eps : STEPS) {
        double[] q = quotients(c.array(), c.index(), eps, loss);
        // One-sided quotients that disagree (beyond the second-order term) mean a kink in the step.
        if (Math.abs(q[0] - q[1]) > ATOL + RTOL * Math.max(Math.abs(q[0]), Math.abs(q[1]))) {
          continue;
        }
        smoothSomewhere = true;
        double num = q[2];
        if (Math.abs(num - c.analytic()) <= ATOL + RTOL * Math.max(Math.abs(num), Math.abs(c.analytic()))) {
          matched = true;
          break;
        }
        detail += " numeric(" + eps + ")=" + num;
      }
      if (!smoothSomewhere) {
        skipped++;
      } else if (!matched) {
        failures.add(c.label() + "[" + c.index() + "]: analytic " + c.analytic() + detail);
      }
    }
    assertTrue(failures.isEmpty(), what + ": " + failures.size() + " of " + coords.size() + " gradients off: "
        + failures);
    assertTrue(skipped <= coords.size() / 4, what + ": " + skipped + " of " + coords.size()
        + " coordinates sat on kinks");
  }
}
