package drsn.nn.layer;

import drsn.tensor.KernelProvider;

/**
 * Softmax and the mean cross-entropy loss over a batch of logits z [N, K], through the
 * elementwise kernels:
 * <pre>
 *   p = softmax(z) (row-wise);  loss = −(1/N)·Σ_n log p[n, label[n]];  ∂loss/∂z = (p − onehot(label)) / N
 * </pre>
 */
public final class SoftmaxCrossEntropy {

  private SoftmaxCrossEntropy() {
  }

  /** p = softmax(z) row-wise; p may alias z. */
  public static void softmax(KernelProvider k, int n, int classes, float[] z, float[] p) {
    k.elementwise().softmaxRows(n, classes, z, 0, p, 0);
  }

  /** Returns the mean cross-entropy of logits z against labels and writes ∂loss/∂z into dz. */
  public static float lossAndGradient(KernelProvider k, int n, int classes, float[] z, int[] labels, float[] dz) {
    if (labels == null || labels.length != n) {
      throw new IllegalArgumentException("expected " + n + " labels, got " + (labels == null ? "null" : labels.length));
    }
    float loss = k.elementwise().softmaxCrossEntropy(n, classes, z, 0, labels, 0, dz, 0);
    k.elementwise().softmaxCrossEntropyBackward(n, classes, dz, 0, labels, 0, dz, 0);
    return loss;
  }
}
