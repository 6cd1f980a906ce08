package drsn.tensor.simd;

import drsn.tensor.ConvShape;
import drsn.tensor.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The bit patterns of a fixed set of kernel results: every SIMD kernel that reduces across lanes
 * or computes an exponential. Run in-process (compiled by C2 after warm-up) and in a child JVM
 * with -Xint (interpreted), the two fingerprints must be equal: see
 * {@link ExecutionModeDeterminismTest}.
 */
public final class KernelFingerprint {

  private KernelFingerprint() {
  }

  static List<Integer> of(KernelProvider p) {
    SplittableRandom r = new SplittableRandom(7);
    int len = 203; // several vectors plus a tail at any lane count up to 64
    float[] x = new float[len];
    float[] y = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = (float) (r.nextGaussian() * 3);
      y[i] = (float) r.nextGaussian();
    }
    List<Integer> out = new ArrayList<>();
    var red = p.reductions();
    // Several inputs: two orders of adding the same lanes agree on some inputs by chance.
    for (int trial = 0; trial < 16; trial++) {
      int at = trial * 5;
      int n = len - at;
      out.add(Float.floatToRawIntBits(red.sum(x, at, n)));
      out.add(Float.floatToRawIntBits(red.sumAbs(x, at, n)));
      out.add(Float.floatToRawIntBits(red.dot(x, at, y, at, n)));
      out.add(Float.floatToRawIntBits(red.sumSquaredDeviations(x, at, n, 0.25f)));
      out.add(Float.floatToRawIntBits(red.sumDeviations(x, at, n, 0.25f)));
      out.add(Float.floatToRawIntBits(red.max(x, at, n)));
      float[] mean = new float[1];
      float[] var = new float[1];
      red.channelMeanVariance(1, 1, n, x, at, mean, 0, var, 0);
      out.add(Float.floatToRawIntBits(mean[0]));
      out.add(Float.floatToRawIntBits(var[0]));
      float[] dxTrial = new float[n];
      out.add(Float.floatToRawIntBits(p.softThreshold().backward(x, at, y, at, dxTrial, 0, n, 0.5f)));
    }


    float[] s = new float[len];
    p.elementwise().sigmoid(x, 0, s, 0, len);
    for (float v : s) {
      out.add(Float.floatToRawIntBits(v));
    }
    float[] probs = new float[len];
    out.add(Float.floatToRawIntBits((float) p.elementwise().softmax(x, 0, probs, 0, len)));
    for (float v : probs) {
      out.add(Float.floatToRawIntBits(v));
    }

    // Convolution weight and bias gradients (the direct path reduces lanes at the end).
    ConvShape shape = ConvShape.of1d(4, 4, 64, 3, 1, 1, 1);
    int batch = 2;
    float[] in = new float[batch * shape.inputSize()];
    float[] dy = new float[batch * shape.outputSize()];
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < dy.length; i++) {
      dy[i] = (float) r.nextGaussian();
    }
    float[] dw = new float[shape.weightSize()];
    float[] db = new float[shape.outChannels()];
    float[] ws = new float[p.convolution().workspaceSize(shape, batch)];
    p.convolution().backwardWeights(shape, batch, in, 0, dy, 0, dw, 0, db, 0, ws);
    for (float v : dw) {
      out.add(Float.floatToRawIntBits(v));
    }
    for (float v : db) {
      out.add(Float.floatToRawIntBits(v));
    }

    // SGEMM in the skinny shapes of a weight gradient (long K).
    int m = 4;
    int n = 12;
    int k = 300;
    float[] a = new float[m * k];
    float[] b = new float[n * k];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) r.nextGaussian();
    }
    float[] c = new float[m * n];
    p.gemm().sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
    for (float v : c) {
      out.add(Float.floatToRawIntBits(v));
    }
    return out;
  }

  /** Prints the fingerprint of the SIMD kernels, one hex word per line. */
  public static void main(String[] args) {
    for (int bits : of(new PanamaKernelProvider())) {
      System.out.println(Integer.toHexString(bits));
    }
  }
}
