package drsn.tensor.internal;

import drsn.tensor.ConvShape;

/**
 * Argument checks of the convolution kernels, shared by the scalar and SIMD implementations so
 * that both reject the same calls with the same messages (each names what was expected and what
 * was given). Sizes are computed in {@code long}, so an absurd batch gives a message, not an
 * overflow.
 */
public final class ConvChecks {

  private ConvChecks() {
  }

  /** Shape non-null and batch positive. */
  public static void shapeAndBatch(ConvShape shape, int batch) {
    if (shape == null) {
      throw new IllegalArgumentException("shape must not be null");
    }
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be > 0, got " + batch);
    }
  }

  public static void forward(ConvShape s, int batch, float[] x, int xOff, float[] w, int wOff,
                             float[] bias, int biasOff, float[] y, int yOff, float[] workspace, long needed) {
    shapeAndBatch(s, batch);
    input("x", s, batch, x, xOff);
    weights("w", s, w, wOff);
    if (bias != null) {
      bias("bias", s, bias, biasOff);
    }
    output("y", s, batch, y, yOff);
    workspace(s, batch, workspace, needed);
  }

  public static void backwardInput(ConvShape s, int batch, float[] dy, int dyOff, float[] w, int wOff,
                                   float[] dx, int dxOff, float[] workspace, long needed) {
    shapeAndBatch(s, batch);
    output("dy", s, batch, dy, dyOff);
    weights("w", s, w, wOff);
    input("dx", s, batch, dx, dxOff);
    workspace(s, batch, workspace, needed);
  }

  public static void backwardWeights(ConvShape s, int batch, float[] x, int xOff, float[] dy, int dyOff,
                                     float[] dw, int dwOff, float[] dbias, int dbiasOff,
                                     float[] workspace, long needed) {
    shapeAndBatch(s, batch);
    input("x", s, batch, x, xOff);
    output("dy", s, batch, dy, dyOff);
    weights("dw", s, dw, dwOff);
    if (dbias != null) {
      bias("dbias", s, dbias, dbiasOff);
    }
    workspace(s, batch, workspace, needed);
  }

  /**
   * The batch-norm input of {@code backwardWeightsFromBatchNormRelu}: z [batch, C, H, W] from zOff,
   * the four per-channel arrays [C] from their offsets, and x, the whole [batch, C, H, W] from 0.
   * The dy, dw, dbias and workspace checks are backwardWeights'.
   */
  public static void batchNormInput(ConvShape s, int batch, float[] z, int zOff, float[] mean, int meanOff,
                                    float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta,
                                    int betaOff, float[] x) {
    shapeAndBatch(s, batch);
    input("z", s, batch, z, zOff);
    input("x", s, batch, x, 0);
    Checks.span("mean [C]", mean, meanOff, s.inChannels());
    Checks.span("invStd [C]", invStd, invStdOff, s.inChannels());
    Checks.span("gamma [C]", gamma, gammaOff, s.inChannels());
    Checks.span("beta [C]", beta, betaOff, s.inChannels());
  }

  /** The input of {@code forwardAffineReluPrepacked}: z from zOff, scale and shift [C], and x, the whole input from 0. */
  public static void affineInput(ConvShape s, int batch, float[] z, int zOff, float[] scale, int scaleOff,
                                 float[] shift, int shiftOff, float[] x) {
    shapeAndBatch(s, batch);
    input("z", s, batch, z, zOff);
    input("x", s, batch, x, 0);
    Checks.span("scale [C]", scale, scaleOff, s.inChannels());
    Checks.span("shift [C]", shift, shiftOff, s.inChannels());
  }

  /**
   * Two convolutions in a row: the second's input is the first's output (its channels and plane),
   * and {@code mid} holds the first's output for the batch.
   */
  public static void pair(ConvShape first, ConvShape second, int batch, float[] mid) {
    if (first == null || second == null) {
      throw new IllegalArgumentException("both convolutions' shapes are required, got " + first + " and " + second);
    }
    shapeAndBatch(first, batch);
    shapeAndBatch(second, batch);
    if (second.inChannels() != first.outChannels() || second.height() != first.outHeight()
        || second.width() != first.outWidth()) {
      throw new IllegalArgumentException("the second convolution's input [C=" + second.inChannels() + ", H="
          + second.height() + ", W=" + second.width() + "] is not the first's output [C=" + first.outChannels()
          + ", H=" + first.outHeight() + ", W=" + first.outWidth() + "]");
    }
    long len = (long) batch * first.outputSize();
    if (outside(mid, 0, len)) {
      Checks.span("mid [N=" + batch + ", C=" + first.outChannels() + ", H=" + first.outHeight() + ", W="
          + first.outWidth() + "]", mid, 0, len);
    }
  }

  /** The weights w from wOff and their packed copy, {@code size} floats of packed from packedOff. */
  public static void packedWeights(ConvShape s, float[] w, int wOff, float[] packed, int packedOff, int size) {
    shapeAndBatch(s, 1);
    weights("w", s, w, wOff);
    Checks.span("packed weights", packed, packedOff, size);
  }

  // Each check tests first and builds its descriptive message only on failure: the checks run on
  // every call of a hot kernel, which must not allocate.

  private static void input(String name, ConvShape s, int batch, float[] a, int off) {
    long len = (long) batch * s.inputSize();
    if (outside(a, off, len)) {
      Checks.span(name + " [N=" + batch + ", C=" + s.inChannels() + ", H=" + s.height() + ", W=" + s.width() + "]",
          a, off, len);
    }
  }

  private static void output(String name, ConvShape s, int batch, float[] a, int off) {
    long len = (long) batch * s.outputSize();
    if (outside(a, off, len)) {
      Checks.span(name + " [N=" + batch + ", C=" + s.outChannels() + ", OH=" + s.outHeight() + ", OW="
          + s.outWidth() + "]", a, off, len);
    }
  }

  private static void weights(String name, ConvShape s, float[] a, int off) {
    if (outside(a, off, s.weightSize())) {
      Checks.span(name + " [O=" + s.outChannels() + ", C=" + s.inChannels() + ", KH=" + s.kernelH() + ", KW="
          + s.kernelW() + "]", a, off, s.weightSize());
    }
  }

  private static void bias(String name, ConvShape s, float[] a, int off) {
    if (outside(a, off, s.outChannels())) {
      Checks.span(name + " [outChannels=" + s.outChannels() + "]", a, off, s.outChannels());
    }
  }

  /** True when Checks.span would throw. */
  private static boolean outside(float[] a, int off, long len) {
    return a == null || off < 0 || off + len > a.length;
  }

  private static void workspace(ConvShape s, int batch, float[] workspace, long needed) {
    if (needed == 0) {
      return; // no scratch needed: null or any array is fine
    }
    if (workspace == null) {
      throw new IllegalArgumentException("workspace must not be null: expected at least " + needed
          + " floats (workspaceSize) for " + s + " and batch " + batch);
    }
    if (workspace.length < needed) {
      throw new IllegalArgumentException("workspace too small: expected at least " + needed
          + " floats (workspaceSize) for " + s + " and batch " + batch + ", got " + workspace.length);
    }
  }

  /** Narrows a workspace size to int, or says why it cannot be allocated. */
  public static int workspaceInt(ConvShape s, long floats) {
    if (floats > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("convolution workspace of " + floats
          + " floats exceeds the largest Java array for " + s);
    }
    return (int) floats;
  }
}
