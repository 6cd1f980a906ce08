package drsn.cli.internal;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.tensor.KernelProvider;

/** Evaluation of any model on a dataset in evaluation mode, on the calling thread. */
public final class Evaluate {

  private Evaluate() {
  }

  static int argmax(float[] v, int off, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) {
      if (v[off + i] > v[off + best]) {
        best = i;
      }
    }
    return best;
  }

  /** Loss, accuracy, per-class metrics and confusion matrix; the data must match the model's input and classes. */
  public static Metrics of(Model model, Dataset data, int batchSize) {
    Architecture a = model.architecture();
    if (data.exampleSize() != a.inputSize()) {
      throw new CliException("the data's examples have " + data.exampleSize() + " values ("
          + java.util.Arrays.toString(data.exampleShape()) + "), the model expects " + a.inputSize());
    }
    if (data.numClasses() != a.classes()) {
      throw new CliException("the data has " + data.numClasses() + " classes, the model " + a.classes());
    }
    Network net = model.newNetwork(KernelProvider.get()).training(false);
    int n = data.size();
    int in = a.inputSize();
    int k = a.classes();
    int[] truth = data.labels();
    int[] pred = new int[n];
    float[] x = new float[Math.min(batchSize, n) * in];
    int[] lab = new int[Math.min(batchSize, n)];
    double lossSum = 0;
    for (int start = 0; start < n; start += batchSize) {
      int cnt = Math.min(batchSize, n - start);
      for (int s = 0; s < cnt; s++) {
        data.copyExample(start + s, x, s * in);
        lab[s] = truth[start + s];
      }
      float[] logits = net.forward(x, cnt);
      for (int s = 0; s < cnt; s++) {
        pred[start + s] = argmax(logits, s * k, k);
      }
      lossSum += (double) net.loss(cnt == lab.length ? lab : java.util.Arrays.copyOf(lab, cnt)) * cnt;
    }
    return Metrics.of(data.classNames(), truth, pred, lossSum / n);
  }
}
