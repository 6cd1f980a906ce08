package drsn.tensor.simd;

import drsn.tensor.Convolution;
import drsn.tensor.Elementwise;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import drsn.tensor.Reductions;
import drsn.tensor.SoftThreshold;

/** The kernels on the Java Vector API. Loaded by reflection only when jdk.incubator.vector is readable. */
public final class PanamaKernelProvider implements KernelProvider {

  private final Gemm gemm = new PanamaGemm();
  private final Convolution convolution = new PanamaConvolution(gemm);
  private final SoftThreshold softThreshold = new PanamaSoftThreshold();
  private final Reductions reductions = new PanamaReductions();
  private final Elementwise elementwise = new PanamaElementwise();

  @Override
  public String name() {
    return "simd-" + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }

  @Override
  public boolean isSimd() {
    return true;
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
