package drsn.nn.layer;

import drsn.tensor.Convolution;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import drsn.tensor.SoftThreshold;

/**
 * The kernels drsn.nn computes with, taken from a {@link KernelProvider}.
 */
public final class Kernels {

  private final KernelProvider provider;
  private final Convolution convolution;
  private final Ops ops;

  private Kernels(KernelProvider provider) {
    this.provider = provider;
    this.convolution = provider.convolution();
    this.ops = new Ops(provider.elementwise(), provider.reductions());
  }

  public static Kernels of(KernelProvider provider) {
    if (provider == null) {
      throw new IllegalArgumentException("kernel provider must not be null");
    }
    return new Kernels(provider);
  }

  public KernelProvider provider() {
    return provider;
  }

  public Gemm gemm() {
    return provider.gemm();
  }

  public Convolution convolution() {
    return convolution;
  }

  /** Elementwise and reduction kernels, with row-wise helpers. */
  public Ops ops() {
    return ops;
  }

  public SoftThreshold softThreshold() {
    return provider.softThreshold();
  }
}
