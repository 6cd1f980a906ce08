package drsn.nn.internal;

/**
 * The one softmax cross-entropy of the project (training, evaluation and {@code Network.loss}),
 * on logits of n samples, computed per sample in double:
 * <pre>
 *   z [n, K] logits, y [n] labels, B = the batch the mean is taken over (B = n for a whole batch;
 *   the whole batch's size for one of its micro-batches, so that summing their gradients gives the batch's)
 *   max_s   = the largest logit of sample s (its first index is the argmax prediction)
 *   loss_s  = log Σ_k exp(z[s,k] − max_s) + max_s − z[s, y_s]
 *   dz[s,k] = (softmax(z[s])_k − [k = y_s]) / B
 * </pre>
 * A NaN or infinite logit gives a NaN loss for its sample (and NaN gradients), never an exception.
 */
public final class CrossEntropy {

  private CrossEntropy() {
  }

  /**
   * Writes dz [n, K] and returns the sum of the n per-sample losses; counts the correct argmax
   * predictions into correct[0] when correct is not null. Labels are read from
   * labels[labelOffset, labelOffset + n) and must be in [0, K).
   */
  public static double lossAndGradient(float[] z, int n, int classes, int[] labels, int labelOffset, int batch,
                                       float[] dz, int[] correct) {
    double sum = 0;
    int right = 0;
    double invB = 1.0 / batch;
    for (int s = 0; s < n; s++) {
      int row = s * classes;
      int y = labels[labelOffset + s];
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException("label of sample " + (labelOffset + s) + " must be in [0, " + classes
            + "), got " + y);
      }
      int arg = argmax(z, row, classes);
      float max = maxAt(z, row, arg);
      if (arg == y) {
        right++;
      }
      double se = sumExp(z, row, classes, max);
      sum += Math.log(se) + max - z[row + y];
      for (int k = 0; k < classes; k++) {
        double p = Math.exp((double) z[row + k] - max) / se;
        dz[row + k] = (float) ((p - (k == y ? 1 : 0)) * invB);
      }
    }
    if (correct != null) {
      correct[0] = right;
    }
    return sum;
  }

  /**
   * Per-sample loss and argmax prediction (evaluation): loss[outOffset + s] and
   * prediction[outOffset + s] for the n samples, labels from labels[labelOffset, …).
   */
  public static void lossAndPrediction(float[] z, int n, int classes, int[] labels, int labelOffset,
                                       double[] loss, int[] prediction, int outOffset) {
    for (int s = 0; s < n; s++) {
      int row = s * classes;
      int y = labels[labelOffset + s];
      int arg = argmax(z, row, classes);
      float max = maxAt(z, row, arg);
      loss[outOffset + s] = Math.log(sumExp(z, row, classes, max)) + max - z[row + y];
      prediction[outOffset + s] = arg;
    }
  }

  /** The first index of the largest logit of a row (NaN never wins; 0 when nothing exceeds −∞). */
  private static int argmax(float[] z, int row, int classes) {
    float max = Float.NEGATIVE_INFINITY;
    int arg = 0;
    for (int k = 0; k < classes; k++) {
      float v = z[row + k];
      if (v > max) {
        max = v;
        arg = k;
      }
    }
    return arg;
  }

  /** The row's maximum for the shift: −∞ when no logit exceeds it (the loss is then NaN or +∞ anyway). */
  private static float maxAt(float[] z, int row, int arg) {
    float v = z[row + arg];
    return v > Float.NEGATIVE_INFINITY ? v : Float.NEGATIVE_INFINITY;
  }

  /** Σ_k exp(z[row + k] − max), in double. */
  private static double sumExp(float[] z, int row, int classes, float max) {
    double se = 0;
    for (int k = 0; k < classes; k++) {
      se += Math.exp((double) z[row + k] - max);
    }
    return se;
  }
}
