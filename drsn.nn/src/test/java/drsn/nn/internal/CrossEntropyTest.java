package drsn.nn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {

  private static float[] gaussian(SplittableRandom r, int n, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (sd * r.nextGaussian());
    }
    return a;
  }

  /** Loss and gradient against the definition, evaluated without the max shift in extended steps. */
  @Test
  void lossAndGradientMatchTheDefinitionWithTheGradientScaledForTheWholeBatch() {
    SplittableRandom r = new SplittableRandom(34);
    for (int[] shape : new int[][] {{1, 1}, {1, 10}, {5, 3}, {7, 10}}) {
      int n = shape[0];
      int k = shape[1];
      int batch = 3 * n; // a micro-batch of a batch three times its size
      float[] z = gaussian(r, n * k, 4.0);
      int[] labels = new int[n + 2];
      for (int i = 0; i < n; i++) {
        labels[2 + i] = r.nextInt(k);
      }
      float[] dz = new float[n * k];
      int[] correct = new int[1];
      double sum = CrossEntropy.lossAndGradient(z, n, k, labels, 2, batch, dz, correct);
      double want = 0;
      int right = 0;
      for (int s = 0; s < n; s++) {
        double se = 0;
        int arg = 0;
        for (int j = 0; j < k; j++) {
          se += Math.exp(z[s * k + j]);
          arg = z[s * k + j] > z[s * k + arg] ? j : arg;
        }
        int y = labels[2 + s];
        want += Math.log(se) - z[s * k + y];
        right += arg == y ? 1 : 0;
        for (int j = 0; j < k; j++) {
          double g = (Math.exp(z[s * k + j]) / se - (j == y ? 1 : 0)) / batch;
          assertEquals(g, dz[s * k + j], 1e-7, "dz " + n + "x" + k);
        }
      }
      assertEquals(want, sum, 1e-9 * Math.max(1, Math.abs(want)), "loss " + n + "x" + k);
      assertEquals(right, correct[0]);
      double[] loss = new double[n + 1];
      int[] prediction = new int[n + 1];
      CrossEntropy.lossAndPrediction(z, n, k, labels, 2, loss, prediction, 1);
      double evalSum = 0;
      int evalRight = 0;
      for (int s = 0; s < n; s++) {
        evalSum += loss[1 + s];
        evalRight += prediction[1 + s] == labels[2 + s] ? 1 : 0;
      }
      assertEquals(sum, evalSum, 0.0, "evaluation computes training's loss, bit for bit");
      assertEquals(right, evalRight);
    }
  }

  /** The gradient of the mean loss against central finite differences of it. */
  @Test
  void gradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(35);
    int n = 3;
    int k = 5;
    float[] z = gaussian(r, n * k, 1.0);
    int[] labels = {1, 4, 0};
    float[] grad = new float[n * k];
    float[] scratch = new float[n * k];
    CrossEntropy.lossAndGradient(z, n, k, labels, 0, n, grad, null);
    float h = 1e-2f;
    for (int i = 0; i < n * k; i++) {
      float[] plus = z.clone();
      float[] minus = z.clone();
      plus[i] += h;
      minus[i] -= h;
      double fd = (CrossEntropy.lossAndGradient(plus, n, k, labels, 0, n, scratch, null)
          - CrossEntropy.lossAndGradient(minus, n, k, labels, 0, n, scratch, null)) / n / (plus[i] - (double) minus[i]);
      assertEquals(fd, grad[i], 1e-5, "dz[" + i + "]");
    }
  }

  @Test
  void lossIsNonNegativeAndZeroForASingleClass() {
    qt().forAll(integers().between(1, 6), integers().between(1, 12), integers().between(0, 1 << 20))
        .check((n, k, seed) -> {
          SplittableRandom r = new SplittableRandom(seed);
          float[] z = gaussian(r, n * k, 10.0);
          int[] labels = new int[n];
          for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
          }
          double sum = CrossEntropy.lossAndGradient(z, n, k, labels, 0, n, new float[n * k], null);
          return sum >= 0 && (k > 1 || sum == 0);
        });
  }

  @Test
  void aNaNLogitMakesItsSampleNaNAndNoOther() {
    float nan = Float.NaN;
    float[] z = {nan, 1f, -2f, 0f};
    double[] loss = new double[2];
    int[] prediction = new int[2];
    CrossEntropy.lossAndPrediction(z, 2, 2, new int[] {1, 0}, 0, loss, prediction, 0);
    assertTrue(Double.isNaN(loss[0]) && !Double.isNaN(loss[1]));
    assertArrayEquals(new int[] {1, 1}, prediction, "NaN never wins the argmax");
    float[] dz = new float[4];
    assertTrue(Double.isNaN(CrossEntropy.lossAndGradient(z, 2, 2, new int[] {1, 0}, 0, 2, dz, null)));
    assertTrue(Float.isNaN(dz[0]) && Float.isNaN(dz[1]) && !Float.isNaN(dz[2]) && !Float.isNaN(dz[3]));
  }

  @Test
  void aLabelOutOfRangeIsRefusedNamingTheSample() {
    float[] z = {1, 2, 3, 4, 5, 6};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.lossAndGradient(z, 2, 3, new int[] {0, 0, 3}, 1, 2, new float[6], null));
    assertEquals("label of sample 2 must be in [0, 3), got 3", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.lossAndGradient(z, 2, 3, new int[] {-1, 0}, 0, 2, new float[6], null));
  }
}
