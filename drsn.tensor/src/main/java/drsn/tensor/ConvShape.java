package drsn.tensor;

/**
 * The geometry of a 2-D convolution; a 1-D convolution is the case {@code height == 1},
 * {@code kernelH == 1}, no vertical stride, padding or dilation (see {@link #of1d}).
 *
 * <pre>
 *   input  x: [N, inChannels,  height,    width]
 *   weight w: [outChannels, inChannels, kernelH, kernelW]
 *   bias   b: [outChannels]
 *   output y: [N, outChannels, outHeight, outWidth]
 *   outWidth = (width + 2·padW − dilationW·(kernelW − 1) − 1) / strideW + 1   (likewise for height)
 * </pre>
 *
 * Padding is with zeros and symmetric.
 */
public record ConvShape(int inChannels, int outChannels,
                        int height, int width,
                        int kernelH, int kernelW,
                        int strideH, int strideW,
                        int padH, int padW,
                        int dilationH, int dilationW) {

  public ConvShape {
    positive("inChannels", inChannels);
    positive("outChannels", outChannels);
    positive("height", height);
    positive("width", width);
    positive("kernelH", kernelH);
    positive("kernelW", kernelW);
    positive("strideH", strideH);
    positive("strideW", strideW);
    positive("dilationH", dilationH);
    positive("dilationW", dilationW);
    if (padH < 0 || padW < 0) {
      throw new IllegalArgumentException("padding must be >= 0, got padH=" + padH + ", padW=" + padW);
    }
    long effH = (long) dilationH * (kernelH - 1) + 1;
    long effW = (long) dilationW * (kernelW - 1) + 1;
    if (height + 2L * padH < effH || width + 2L * padW < effW) {
      throw new IllegalArgumentException("kernel (effective " + effH + "x" + effW
          + ") larger than padded input " + (height + 2L * padH) + "x" + (width + 2L * padW));
    }
    long elems = (long) inChannels * outChannels * kernelH * kernelW;
    long inSize = (long) inChannels * height * width;
    long colSize = (long) inChannels * kernelH * kernelW * outLengthOf(height, kernelH, strideH, padH, dilationH)
        * outLengthOf(width, kernelW, strideW, padW, dilationW);
    if (elems > Integer.MAX_VALUE || inSize > Integer.MAX_VALUE || colSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("convolution too large for int-indexed arrays: " + this);
    }
  }

  /** A 1-D convolution over inputs [N, inChannels, length]. */
  public static ConvShape of1d(int inChannels, int outChannels, int length, int kernel,
                               int stride, int padding, int dilation) {
    return new ConvShape(inChannels, outChannels, 1, length, 1, kernel, 1, stride, 0, padding, 1, dilation);
  }

  /** A 2-D convolution with square kernel, stride, padding and dilation. */
  public static ConvShape of2d(int inChannels, int outChannels, int height, int width, int kernel,
                               int stride, int padding, int dilation) {
    return new ConvShape(inChannels, outChannels, height, width, kernel, kernel, stride, stride,
        padding, padding, dilation, dilation);
  }

  public int outHeight() {
    return outLengthOf(height, kernelH, strideH, padH, dilationH);
  }

  public int outWidth() {
    return outLengthOf(width, kernelW, strideW, padW, dilationW);
  }

  /** Elements of one input sample: inChannels·height·width. */
  public int inputSize() {
    return inChannels * height * width;
  }

  /** Elements of one output sample: outChannels·outHeight·outWidth. */
  public int outputSize() {
    return outChannels * outHeight() * outWidth();
  }

  /** Elements of the weight tensor: outChannels·inChannels·kernelH·kernelW. */
  public int weightSize() {
    return outChannels * inChannels * kernelH * kernelW;
  }

  public boolean is1d() {
    return height == 1 && kernelH == 1 && strideH == 1 && padH == 0 && dilationH == 1;
  }

  private static int outLengthOf(int in, int k, int s, int p, int d) {
    return (in + 2 * p - d * (k - 1) - 1) / s + 1;
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }
}
