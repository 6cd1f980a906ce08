package drsn.tensor.scalar;

import drsn.tensor.Convolution;
import drsn.tensor.Elementwise;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import drsn.tensor.Reductions;
import drsn.tensor.SoftThreshold;

/** The plain scalar kernels: the reference twins of the SIMD ones, and the fallback without them. */
public final class DefaultKernelProvider implements KernelProvider {

  private final Gemm gemm = new DefaultGemm();
  private final Convolution convolution = new DefaultConvolution(gemm);
  private final SoftThreshold softThreshold = new DefaultSoftThreshold();
  private final Reductions reductions = new DefaultReductions();
  private final Elementwise elementwise = new DefaultElementwise();

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public boolean isSimd() {
    return false;
  }

  @Override
  public Gemm gemm() {
    return gemm;
  }

  @Override
  public Convolution convolution() {
    return convolution;
  }

  @Override
  public SoftThreshold softThreshold() {
    return softThreshold;
  }

  @Override
  public Reductions reductions() {
    return reductions;
  }

  @Override
  public Elementwise elementwise() {
    return elementwise;
  }
}
