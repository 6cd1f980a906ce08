package drsn.nn.layer;

import drsn.tensor.Elementwise;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import java.util.List;

/**
 * Fully connected layer through the kernel provider's {@link Gemm}.
 *
 * <pre>
 *   x [N, in] → y [N, out];  y = x·Wᵀ + b;  weight W [out, in], bias [out]
 *   dx = dy·W;  dW += dyᵀ·x;  db += Σ_n dy
 * </pre>
 *
 * <p>Over {@linkplain ParamBinding#fixed() fixed} parameters the forward multiplies by a copy of Wᵀ
 * [in, out] made once, with B as stored: each output is the same chain of multiply-adds over the
 * inputs, so the same bits, but its columns are contiguous, which lets the SIMD GEMM compute a
 * batch-1 row (the threshold subnetworks' C × C layers) a vector of outputs at a time.
 */
public final class Linear {

  private final int in;
  private final int out;
  private final Gemm gemm;
  private final Elementwise ew;
  private final float[] values;
  private final float[] grads;
  private final int wOff;
  private final int bOff;
  /** Wᵀ [in, out] over fixed parameters, else null. */
  private final float[] transposed;

  public Linear(ParamBinding binding, String name, int in, int out, KernelProvider kernels) {
    this.in = in;
    this.out = out;
    this.gemm = kernels.gemm();
    this.ew = kernels.elementwise();
    this.values = binding.values();
    this.grads = binding.grads();
    this.wOff = binding.offset(name + ".weight", List.of(out, in));
    this.bOff = binding.offset(name + ".bias", List.of(out));
    // Not where in ≥ 4·out: there B transposed can take the SIMD GEMM's dot path (k long against
    // m and n), whose sums run in another order than the chains of B as stored, and a predictor
    // would no longer give the evaluation network's bits (FixedParametersTest).
    this.transposed = binding.fixed() && 4 * out > in ? transpose(values, wOff, out, in) : null;
  }

  private static float[] transpose(float[] w, int off, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = w[off + r * cols + c];
      }
    }
    return t;
  }

  public int in() {
    return in;
  }

  public int out() {
    return out;
  }

  public void forward(int n, float[] x, float[] y) {
    if (transposed != null) {
      gemm.sgemm(false, false, n, out, in, 1f, x, 0, in, transposed, 0, out, 0f, y, 0, out);
    } else {
      gemm.sgemm(false, true, n, out, in, 1f, x, 0, in, values, wOff, in, 0f, y, 0, out);
    }
    for (int s = 0; s < n; s++) {
      ew.add(y, s * out, values, bOff, y, s * out, out);
    }
  }

  /** Accumulates dW and db; writes dx unless it is null. */
  public void backward(int n, float[] x, float[] dy, float[] dx) {
    gemm.sgemm(true, false, out, in, n, 1f, dy, 0, out, x, 0, in, 1f, grads, wOff, in);
    for (int s = 0; s < n; s++) {
      ew.add(dy, s * out, grads, bOff, grads, bOff, out);
    }
    if (dx != null) {
      gemm.sgemm(false, false, n, in, out, 1f, dy, 0, out, values, wOff, in, 0f, dx, 0, in);
    }
  }
}
