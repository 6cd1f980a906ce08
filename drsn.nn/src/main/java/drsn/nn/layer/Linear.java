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

  public Linear(ParamBinding binding, String name, int in, int out, KernelProvider kernels) {
    this.in = in;
    this.out = out;
    this.gemm = kernels.gemm();
    this.ew = kernels.elementwise();
    this.values = binding.values();
    this.grads = binding.grads();
    this.wOff = binding.offset(name + ".weight", List.of(out, in));
    this.bOff = binding.offset(name + ".bias", List.of(out));
  }

  public int in() {
    return in;
  }

  public int out() {
    return out;
  }

  public void forward(int n, float[] x, float[] y) {
    gemm.sgemm(false, true, n, out, in, 1f, x, 0, in, values, wOff, in, 0f, y, 0, out);
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
