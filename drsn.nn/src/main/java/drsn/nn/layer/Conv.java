package drsn.nn.layer;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.FoldedConvolution;
import drsn.tensor.KernelProvider;
import java.util.List;

/**
 * Convolution with bias, 1-D or 2-D, through the kernel provider's {@link Convolution}.
 *
 * <pre>
 *   x [N, in, H, W] → y [N, out, OH, OW];  weight [out, in, k] (1-D) or [out, in, kH, kW]; bias [out]
 * </pre>
 * Parameters {@code <name>.weight} and {@code <name>.bias}.
 */
public final class Conv {

  private final ConvShape shape;
  private final Convolution kernel;
  private final float[] values;
  private final float[] grads;
  private final int wOff;
  private final int bOff;
  /** The forward's packed weights over a fixed binding (packed once: they never change; maybe empty), else null. */
  private final float[] packed;

  public Conv(ParamBinding binding, String name, ConvShape shape, KernelProvider kernels) {
    this.shape = shape;
    this.kernel = kernels.convolution();
    this.values = binding.values();
    this.grads = binding.grads();
    List<Integer> wShape = shape.is1d()
        ? List.of(shape.outChannels(), shape.inChannels(), shape.kernelW())
        : List.of(shape.outChannels(), shape.inChannels(), shape.kernelH(), shape.kernelW());
    this.wOff = binding.offset(name + ".weight", wShape);
    this.bOff = binding.offset(name + ".bias", List.of(shape.outChannels()));
    if (binding.fixed()) {
      packed = new float[kernel.packedForwardWeightsSize(shape)];
      kernel.packForwardWeights(shape, values, wOff, packed, 0);
    } else {
      packed = null;
    }
  }

  public ConvShape shape() {
    return shape;
  }

  /** Scratch floats the convolution needs for a batch of n. */
  public int workspaceSize(int n) {
    return kernel.workspaceSize(shape, n);
  }

  /** y = conv(x) + bias; y is overwritten. */
  public void forward(int n, float[] x, float[] y, float[] workspace) {
    if (packed != null) {
      kernel.forwardPrepacked(shape, n, x, 0, values, wOff, packed, 0, values, bOff, y, 0, workspace);
    } else {
      kernel.forward(shape, n, x, 0, values, wOff, values, bOff, y, 0, workspace);
    }
  }

  /**
   * The training forward of y = conv(ReLU(bn(z))) (the unit's pre-activation order): {@code bn}'s
   * training statistics of z, then this convolution over its ReLU output, computed from z as the
   * kernel reads its input; bit for bit bn's {@code forwardRelu} into x then {@link #forward}. x is
   * scratch (the kernels that need the input whole write it there); y is overwritten.
   */
  public void trainingForwardAfterBatchNormRelu(int n, BatchNorm bn, float[] z, float[] x, float[] y,
                                                float[] workspace) {
    bn.trainingForwardInto(kernel, shape, n, z, x, values, wOff, bOff, y, workspace);
  }

  /**
   * The evaluation forward of y = conv(ReLU(bn(z))) over fixed parameters (an inference's): bn's
   * folded map applied as the kernel copies its input, bit for bit bn's {@code forwardRelu} into
   * x then {@link #forward}. x is scratch; y is overwritten.
   */
  public void evaluationForwardAfterBatchNormRelu(int n, BatchNorm bn, float[] z, float[] x, float[] y,
                                                  float[] workspace) {
    bn.evaluationForwardInto(kernel, shape, n, z, x, values, wOff, packed, bOff, y, workspace);
  }

  /** This convolution after {@code bn}'s folded map and ReLU (fixed parameters only), for {@link #evaluationPair}. */
  FoldedConvolution foldedAfter(BatchNorm bn) {
    return bn.foldedBefore(shape, values, wOff, packed, bOff);
  }

  /** Scratch floats {@link #evaluationPair} needs for a batch of n, with {@code next} the second. */
  int pairWorkspaceSize(Conv next, int n) {
    return kernel.pairWorkspaceSize(shape, next.shape, n);
  }

  /**
   * The evaluation forward of y = second(ReLU(bn2(first(ReLU(bn1(z)))))) over fixed parameters, the
   * residual branch of a unit at inference, {@code first} being this convolution after bn1 and
   * {@code second} the next after bn2 (from {@link #foldedAfter}): bit for bit
   * {@link #evaluationForwardAfterBatchNormRelu} of each, the kernel given the whole branch so that
   * the intermediate need not go through memory. mid gets the first's output where the kernel
   * writes it; x is scratch; y is overwritten.
   */
  void evaluationPair(int n, BatchNorm bn1, BatchNorm bn2, FoldedConvolution first, FoldedConvolution second,
                      float[] z, float[] x, float[] mid, float[] y, float[] workspace) {
    bn1.evaluationForwardPair(kernel, bn2, first, second, n, z, x, mid, y, workspace);
  }

  /**
   * {@link #backward} of a convolution whose input is {@code bn}'s ReLU output over z (the unit's
   * pre-activation order). After a training-mode forward the weight gradient rebuilds that input
   * from z, bit for bit, so the forward need not have kept it: {@code x} is then only scratch (the
   * kernels that need the input whole write it there). After an evaluation-mode forward, x must
   * hold the input, as for {@link #backward}.
   */
  public void backwardAfterBatchNormRelu(int n, BatchNorm bn, float[] z, float[] x, float[] dy, float[] dx,
                                         float[] workspace) {
    if (!bn.trainedLast()) {
      backward(n, x, dy, dx, workspace);
      return;
    }
    bn.backwardWeightsOf(kernel, shape, n, z, x, dy, grads, wOff, grads, bOff, workspace);
    if (dx != null) {
      kernel.backwardInput(shape, n, dy, 0, values, wOff, dx, 0, workspace);
    }
  }

  /** Accumulates weight and bias gradients; writes dx unless it is null. */
  public void backward(int n, float[] x, float[] dy, float[] dx, float[] workspace) {
    kernel.backwardWeights(shape, n, x, 0, dy, 0, grads, wOff, grads, bOff, workspace);
    if (dx != null) {
      kernel.backwardInput(shape, n, dy, 0, values, wOff, dx, 0, workspace);
    }
  }
}
