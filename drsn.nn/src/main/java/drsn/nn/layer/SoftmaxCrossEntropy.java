package drsn.nn.layer;

/**
 * Softmax and the mean cross-entropy loss over a batch of logits z [N, K]:
 * <pre>
 *   p = softmax(z) (row-wise, max-subtracted)
 *   loss = −(1/N)·Σ_n log p[n, label[n]]
 *   ∂loss/∂z = (p − onehot(label)) / N
 * </pre>
 */
public final class SoftmaxCrossEntropy {

  private SoftmaxCrossEntropy() {
  }

  /** p = softmax(z) row-wise; p may alias z. */
  public static void softmax(int n, int classes, float[] z, int zOff, float[] p, int pOff) {
    for (int s = 0; s < n; s++) {
      int b = s * classes;
      float max = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        max = Math.max(max, z[zOff + b + k]);
      }
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        float e = (float) Math.exp(z[zOff + b + k] - max);
        p[pOff + b + k] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int k = 0; k < classes; k++) {
        p[pOff + b + k] *= inv;
      }
    }
  }

  /**
   * Returns the mean cross-entropy of logits z against labels and writes ∂loss/∂z into dz
   * (which may not alias z).
   */
  public static float lossAndGradient(int n, int classes, float[] z, int[] labels, float[] dz) {
    if (labels == null || labels.length < n) {
      throw new IllegalArgumentException("expected " + n + " labels, got "
          + (labels == null ? "null" : labels.length));
    }
    for (int s = 0; s < n; s++) {
      if (labels[s] < 0 || labels[s] >= classes) {
        throw new IllegalArgumentException("label " + s + " must be in [0, " + classes + "), got " + labels[s]);
      }
    }
    softmax(n, classes, z, 0, dz, 0);
    double loss = 0;
    for (int s = 0; s < n; s++) {
      int b = s * classes;
      // log p computed from the logits (log-sum-exp), not from the rounded probability.
      float max = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        max = Math.max(max, z[b + k]);
      }
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        sum += Math.exp(z[b + k] - max);
      }
      loss += Math.log(sum) + max - z[b + labels[s]];
      dz[b + labels[s]] -= 1f;
      for (int k = 0; k < classes; k++) {
        dz[b + k] /= n;
      }
    }
    return (float) (loss / n);
  }
}
