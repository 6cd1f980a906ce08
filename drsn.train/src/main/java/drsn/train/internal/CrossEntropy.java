package drsn.train.internal;

/**
 * Softmax cross-entropy of one micro-batch's logits, with the gradient scaled for the mean over
 * the whole batch (so that summing the micro-batches' gradients gives the batch's):
 * <pre>
 *   z [n, K] logits, y [n] labels, B = whole batch size
 *   loss_s = log Σ_k exp(z[s,k] − max_s) + max_s − z[s, y_s]      (in double)
 *   dz[s,k] = (softmax(z[s])_k − [k = y_s]) / B
 * </pre>
 */
public final class CrossEntropy {

  private CrossEntropy() {
  }

  /**
   * Writes dz and returns the sum of the n per-sample losses; counts correct argmax predictions
   * into correct[0]. Labels are read from labels[labelOffset, labelOffset + n).
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
      float max = Float.NEGATIVE_INFINITY;
      int arg = 0;
      for (int k = 0; k < classes; k++) {
        float v = z[row + k];
        if (v > max) {
          max = v;
          arg = k;
        }
      }
      if (arg == y) {
        right++;
      }
      double se = 0;
      for (int k = 0; k < classes; k++) {
        se += Math.exp((double) z[row + k] - max);
      }
      sum += Math.log(se) + max - z[row + y];
      for (int k = 0; k < classes; k++) {
        double p = Math.exp((double) z[row + k] - max) / se;
        dz[row + k] = (float) ((p - (k == y ? 1 : 0)) * invB);
      }
    }
    correct[0] = right;
    return sum;
  }

  /** Per-sample loss and argmax prediction (evaluation). */
  public static void lossAndPrediction(float[] z, int n, int classes, int[] labels, int labelOffset,
                                       double[] loss, int[] prediction, int outOffset) {
    for (int s = 0; s < n; s++) {
      int row = s * classes;
      int y = labels[labelOffset + s];
      float max = Float.NEGATIVE_INFINITY;
      int arg = 0;
      for (int k = 0; k < classes; k++) {
        float v = z[row + k];
        if (v > max) {
          max = v;
          arg = k;
        }
      }
      double se = 0;
      for (int k = 0; k < classes; k++) {
        se += Math.exp((double) z[row + k] - max);
      }
      loss[outOffset + s] = Math.log(se) + max - z[row + y];
      prediction[outOffset + s] = arg;
    }
  }
}
