package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences against analytic gradients, for float32 code.
 *
 * <p>The numeric derivative is (f(v + ε) − f(v − ε)) / 2ε with ε = 1e-3 (a float32 forward pass
 * rounds at about 1e-7 relative, so much smaller steps drown in rounding; the loss is summed in
 * double). Near a kink (ReLU, |x|, soft thresholding, where one side of the step crosses it)
 * central differences are meaningless; such coordinates are detected because the one-sided
 * quotients (f(v) − f(v − ε))/ε and (f(v + ε) − f(v))/ε disagree, and skipped — at most a quarter
 * of them. Tolerance: |numeric − analytic| ≤ ATOL + RTOL·max(|numeric|, |analytic|).
 */
final class GradCheck {

  static final double EPS = 1e-3;
  static final double ATOL = 2e-3;
  static final double RTOL = 3e-2;

  private GradCheck() {
  }

  /** One coordinate to check: the array and index to perturb, and its analytic derivative. */
  record Coordinate(String label, float[] array, int index, double analytic) {
  }

  /** Returns {left, right, central} difference quotients at a[i]. */
  static double[] quotients(float[] a, int i, double eps, DoubleSupplier f) {
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

  static void check(String what, List<Coordinate> coords, DoubleSupplier loss) {
    int skipped = 0;
    List<String> failures = new ArrayList<>();
    for (Coordinate c : coords) {
      double[] q = quotients(c.array(), c.index(), EPS, loss);
      double num = q[2];
      // One-sided quotients that disagree (beyond the second-order term) mean a kink in the step.
      if (Math.abs(q[0] - q[1]) > ATOL + RTOL * Math.max(Math.abs(q[0]), Math.abs(q[1]))) {
        skipped++;
        continue;
      }
      double scale = Math.max(Math.abs(num), Math.abs(c.analytic()));
      if (Math.abs(num - c.analytic()) > ATOL + RTOL * scale) {
        failures.add(c.label() + "[" + c.index() + "]: numeric " + num + " analytic " + c.analytic());
      }
    }
    assertTrue(failures.isEmpty(), what + ": " + failures.size() + " of " + coords.size() + " gradients off: "
        + failures);
    assertTrue(skipped <= coords.size() / 4, what + ": " + skipped + " of " + coords.size()
        + " coordinates sat on kinks");
  }
}
