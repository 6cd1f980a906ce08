package drsn.tensor;

import java.util.Objects;

/**
 * One convolution of a residual branch at inference, with the evaluation-mode batch norm before
 * it folded into a per-channel map: its input is max(fma(z, scale[c], shift[c]), 0) for input
 * channel c, then y = conv(that) + bias. The arrays are the caller's and are read, never written
 * or copied; the weights' packed copy comes from {@link Convolution#packForwardWeights} over the
 * same w (the caller keeps the two in step). Made once per layer, not per call.
 *
 * @param shape     the convolution
 * @param scale     the folded map's scale per input channel, from scaleOff
 * @param scaleOff  where scale starts
 * @param shift     the folded map's shift per input channel, from shiftOff
 * @param shiftOff  where shift starts
 * @param w         weights [out, in, kH, kW] from wOff
 * @param wOff      where the weights start
 * @param packed    the weights packed for the forward, from packedOff
 * @param packedOff where the packed weights start
 * @param bias      bias [out] from biasOff, or null for none
 * @param biasOff   where the bias starts
 */
public record FoldedConvolution(ConvShape shape, float[] scale, int scaleOff, float[] shift, int shiftOff, float[] w,
                                int wOff, float[] packed, int packedOff, float[] bias, int biasOff) {

  public FoldedConvolution {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(shift, "shift");
    Objects.requireNonNull(w, "w");
    Objects.requireNonNull(packed, "packed");
  }
}
