package drsn.tensor;

import static drsn.tensor.ConvFixtures.U;
import static drsn.tensor.ConvFixtures.abs;
import static drsn.tensor.ConvFixtures.dot;
import static drsn.tensor.ConvFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.ConvFixtures.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backward passes checked without the reference backward code: against the adjoint
 * identities of the (linear) forward map, and against central finite differences.
 */
class ConvolutionAdjointTest {

  static List<Path> paths() {
    return ConvFixtures.paths();
  }

  /**
   * ⟨conv(x, w), dy⟩ = ⟨x, backwardInput(dy, w)⟩ = ⟨w, backwardWeights(x, dy)⟩ (no bias), and
   * ⟨dbias, 1⟩ = Σ dy. Both sides are float results summed in double; each side's float error is at
   * most γ·Σ|w||x||dy| over all (output, tap) triples, S = ⟨conv(|x|, |w|), |dy|⟩, so the sides
   * may differ by 2·2·(n + 2)·u·S with n the longest float sum involved.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void backwardPassesAreTheAdjointsOfForward(Path path) {
    SplittableRandom r = new SplittableRandom(21);
    for (int t = 0; t < 40; t++) {
      ConvShape s = ConvFixtures.randomShape(r, t % 3 == 2);
      int batch = 1 + r.nextInt(3);
      Convolution conv = path.conv();
      int inN = batch * s.inputSize(), outN = batch * s.outputSize();
      float[] x = ConvFixtures.gaussian(r, inN);
      float[] w = ConvFixtures.gaussian(r, s.weightSize());
      float[] dy = ConvFixtures.gaussian(r, outN);
      float[] ws = new float[conv.workspaceSize(s, batch)];
      float[] y = new float[outN];
      float[] dx = new float[inN];
      float[] dw = new float[s.weightSize()];
      float[] db = new float[s.outChannels()];
      conv.forward(s, batch, x, 0, w, 0, null, 0, y, 0, ws);
      conv.backwardInput(s, batch, dy, 0, w, 0, dx, 0, ws);
      conv.backwardWeights(s, batch, x, 0, dy, 0, dw, 0, db, 0, ws);

      double[] xd = toDouble(x, 0, inN), wd = toDouble(w, 0, s.weightSize()), dyd = toDouble(dy, 0, outN);
      double lhs = dot(toDouble(y, 0, outN), dyd);
      double viaInput = dot(xd, toDouble(dx, 0, inN));
      double viaWeights = dot(wd, toDouble(dw, 0, s.weightSize()));
      double scale = dot(ConvFixtures.forward(s, batch, abs(xd), abs(wd), null, null), abs(dyd));
      long n = Math.max(ConvFixtures.forwardTerms(s),
          Math.max(ConvFixtures.backwardInputTerms(s), ConvFixtures.backwardWeightsTerms(s, batch)));
      double tol = 4.0 * (n + 2) * U * scale + 1e-30;
      String what = path + " " + s + " batch " + batch;
      assertTrue(Math.abs(lhs - viaInput) <= tol,
          what + ": <conv(x), dy> = " + lhs + " but <x, backwardInput(dy)> = " + viaInput + ", tolerance " + tol);
      assertTrue(Math.abs(lhs - viaWeights) <= tol,
          what + ": <conv(x), dy> = " + lhs + " but <w, backwardWeights(x, dy)> = " + viaWeights + ", tolerance " + tol);
      double sumDy = 0, sumDb = 0, absDy = 0;
      for (float v : dy) {
        sumDy += v;
        absDy += Math.abs(v);
      }
      for (float v : db) {
        sumDb += v;
      }
      double tolB = 2.0 * (outN + 2) * U * absDy + 1e-30;
      assertTrue(Math.abs(sumDy - sumDb) <= tolB, what + ": sum of dbias " + sumDb + " != sum of dy " + sumDy);
    }
  }

  /**
   * Central differences of L(x, w, b) = Σ_k (g_k·y_k + ½·y_k²), y = conv(x, w) + b, against the
   * analytic gradients backwardInput(g + y), backwardWeights(x, g + y).
   *
   * <p>Tolerance logic for float: y is linear in each parameter, so L is quadratic in it and the
   * central difference has no truncation error; only rounding remains. Outputs that the perturbed
   * parameter does not reach are computed bit-identically in both evaluations and cancel exactly
   * (they are skipped below). Each reached output carries a float error of at most
   * ε_k = 2·(n + 2)·u·A_k (A_k = |b| + Σ|w·x|, taken at the larger perturbation), which moves L by
   * |g_k + y_k|·ε_k at most, twice, divided by the step actually taken (x ± h rounded to float).
   * The analytic gradient carries its own float error, bounded the same way. Together:
   * tol = Σ_k 2·|g_k + y_k|·ε_k / step + 2·(m + 2)·u·Σ|terms of the gradient|, plus a 1e-9 slack
   * for the double sums. A wrong or missing gradient term is of the order of one product, far above.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void gradientsMatchCentralDifferences(Path path) {
    SplittableRandom r = new SplittableRandom(22);
    ConvShape[] shapes = {
        ConvShape.of1d(2, 3, 7, 3, 1, 1, 1),
        ConvShape.of1d(3, 2, 9, 3, 2, 1, 1),
        ConvShape.of1d(2, 2, 11, 3, 1, 2, 2),
        new ConvShape(2, 3, 5, 6, 3, 2, 2, 1, 1, 0, 1, 2),
    };
    for (ConvShape s : shapes) {
      finiteDifferences(path, s, 2, r);
    }
  }

  private static void finiteDifferences(Path path, ConvShape s, int batch, SplittableRandom r) {
    Convolution conv = path.conv();
    int inN = batch * s.inputSize(), outN = batch * s.outputSize();
    float[] x = ConvFixtures.gaussian(r, inN);
    float[] w = ConvFixtures.gaussian(r, s.weightSize());
    float[] b = ConvFixtures.gaussian(r, s.outChannels());
    float[] g = ConvFixtures.gaussian(r, outN);
    float[] ws = new float[conv.workspaceSize(s, batch)];
    float[] y = new float[outN];
    conv.forward(s, batch, x, 0, w, 0, b, 0, y, 0, ws);
    float[] dLdy = new float[outN];
    for (int k = 0; k < outN; k++) {
      dLdy[k] = g[k] + y[k];
    }
    float[] dx = new float[inN];
    float[] dw = new float[s.weightSize()];
    float[] db = new float[s.outChannels()];
    conv.backwardInput(s, batch, dLdy, 0, w, 0, dx, 0, ws);
    conv.backwardWeights(s, batch, x, 0, dLdy, 0, dw, 0, db, 0, ws);

    double[] absDx = new double[inN];
    ConvFixtures.backwardInput(s, batch, abs(toDouble(dLdy, 0, outN)), abs(toDouble(w, 0, w.length)), absDx);
    double[] absDw = new double[w.length];
    ConvFixtures.backwardWeights(s, batch, abs(toDouble(x, 0, inN)), abs(toDouble(dLdy, 0, outN)), absDw);
    double[] absDb = new double[b.length];
    ConvFixtures.backwardBias(s, batch, toDouble(dLdy, 0, outN), absDb);

    Probe probe = new Probe(conv, s, batch, x, w, b, g, ws);
    for (int e = 0; e < inN; e++) {
      probe.check(path + " " + s + " dL/dx[" + e + "]", x, e, dx[e],
          2.0 * (ConvFixtures.backwardInputTerms(s) + 2) * U * absDx[e]);
    }
    for (int e = 0; e < w.length; e++) {
      probe.check(path + " " + s + " dL/dw[" + e + "]", w, e, dw[e],
          2.0 * (ConvFixtures.backwardWeightsTerms(s, batch) + 2) * U * absDw[e]);
    }
    for (int e = 0; e < b.length; e++) {
      probe.check(path + " " + s + " dL/db[" + e + "]", b, e, db[e], 2.0 * (outN + 2) * U * absDb[e]);
    }
  }

  /** Evaluates the loss at perturbed parameters and compares the central difference. */
  private record Probe(Convolution conv, ConvShape s, int batch, float[] x, float[] w, float[] b, float[] g,
                       float[] ws) {

    void check(String what, float[] param, int e, float analytic, double analyticTol) {
      float h = 0.5f; // no truncation error for a quadratic, so a large step: roundoff/step stays small
      float saved = param[e];
      float plus = saved + h;
      float minus = saved - h;
      double step = (double) plus - (double) minus;
      param[e] = plus;
      float[] yp = eval();
      double[] ap = absBound();
      param[e] = minus;
      float[] ym = eval();
      double[] am = absBound();
      param[e] = saved;
      double diff = 0;
      double roundoff = 0;
      double eps = 2.0 * (ConvFixtures.forwardTerms(s) + 2) * U;
      for (int k = 0; k < yp.length; k++) {
        if (Float.floatToRawIntBits(yp[k]) == Float.floatToRawIntBits(ym[k])) {
          continue; // not reached by the perturbation: identical, contributes exactly 0
        }
        diff += g[k] * ((double) yp[k] - ym[k]) + 0.5 * ((double) yp[k] * yp[k] - (double) ym[k] * ym[k]);
        double slope = Math.abs(g[k]) + Math.max(Math.abs(yp[k]), Math.abs(ym[k]));
        roundoff += 2 * slope * eps * Math.max(ap[k], am[k]);
      }
      double fd = diff / step;
      double tol = roundoff / step + analyticTol + 1e-9;
      assertTrue(Math.abs(fd - analytic) <= tol,
          what + ": analytic " + analytic + ", central difference " + fd + " (tolerance " + tol + ")");
    }

    float[] eval() {
      float[] y = new float[batch * s.outputSize()];
      conv.forward(s, batch, x, 0, w, 0, b, 0, y, 0, ws);
      return y;
    }

    double[] absBound() {
      double[] a = new double[batch * s.outputSize()];
      ConvFixtures.forward(s, batch, abs(toDouble(x, 0, x.length)), abs(toDouble(w, 0, w.length)),
          abs(toDouble(b, 0, b.length)), a);
      return a;
    }
  }
}
