package drsn.nn.layer;

import drsn.tensor.Elementwise;
import drsn.tensor.KernelProvider;
import java.util.Arrays;

/**
 * The shortcut of a residual unit, added onto the unit's output, as in the authors' code:
 * subsample by the stride (positions 0, s, 2s, …, in both spatial dimensions for images) and pad
 * the new channels with zeros, symmetrically — padBefore = (out − in)/2 channels before (the plan's
 * {@code shortcutPadBefore}), the rest (the odd one)
 * after. Optionally (and only where the shape changes) a 1×1 convolution with that stride instead.
 *
 * <pre>
 *   x [N, in, H, W] → adds into y [N, out, ⌈H/s⌉, ⌈W/s⌉]
 *   y[n, c + padBefore, i, j] += x[n, c, i·s, j·s]
 * </pre>
 */
public final class Shortcut {

  private final int inC;
  private final int outC;
  private final int inH;
  private final int inW;
  private final int strideH;
  private final int strideW;
  private final int outH;
  private final int outW;
  private final int padBefore;
  private final Conv projection;
  private final Elementwise ew;

  /**
   * @param padBefore  zero channels before the input's (subsample-and-pad only)
   * @param height     input height (1 for signals; then only the width is subsampled)
   * @param projection the 1×1 convolution with this stride, or null for subsample-and-pad
   */
  public Shortcut(int inC, int outC, int padBefore, int height, int width, int stride, boolean twoD, Conv projection,
                  KernelProvider kernels) {
    if (outC < inC && projection == null) {
      throw new IllegalArgumentException("a zero-padding shortcut cannot reduce channels: " + inC + " -> " + outC);
    }
    this.inC = inC;
    this.outC = outC;
    this.inH = height;
    this.inW = width;
    this.strideH = twoD ? stride : 1;
    this.strideW = stride;
    this.outH = (height + strideH - 1) / strideH;
    this.outW = (width + strideW - 1) / strideW;
    if (projection == null && (padBefore < 0 || padBefore > outC - inC)) {
      throw new IllegalArgumentException("padBefore must be in [0, " + (outC - inC) + "], got " + padBefore);
    }
    this.padBefore = padBefore;
    this.ew = kernels.elementwise();
    this.projection = projection;
  }

  /** Floats of scratch a projection needs (its output plus the convolution's workspace); 0 otherwise. */
  public int scratchSize(int n) {
    return projection == null ? 0 : n * outC * outH * outW;
  }

  public int workspaceSize(int n) {
    return projection == null ? 0 : projection.workspaceSize(n);
  }

  /**
   * True when y += shortcut(x) adds onto each output channel's plane one strided run of x, or
   * nothing (a padded channel): subsample-and-pad without vertical subsampling (signals, or stride
   * 1). A kernel that produces y a plane at a time can then add the shortcut in the same pass,
   * with {@link #sourceOffset} and {@link #sourceStride}, instead of calling {@link #forwardAdd}.
   */
  public boolean addsPlaneWise() {
    return projection == null && strideH == 1 && (inH == 1 || strideW == 1);
  }

  /**
   * Where output channel c of sample s reads x, when {@link #addsPlaneWise}: the offset of its
   * first element (then every {@link #sourceStride}-th, for outH·outW elements), or −1 for a zero
   * channel, which adds nothing.
   */
  public int sourceOffset(int s, int c) {
    int inputChannel = c - padBefore;
    return inputChannel < 0 || inputChannel >= inC ? -1 : (s * inC + inputChannel) * inH * inW;
  }

  /** The step between the x elements that land on consecutive output positions, when {@link #addsPlaneWise}. */
  public int sourceStride() {
    return strideW;
  }

  /**
   * The step in x between the source planes of consecutive output channels that both have one,
   * when {@link #addsPlaneWise}: {@code sourceOffset(s, c + 1) − sourceOffset(s, c)}.
   */
  public int sourcePlaneStride() {
    return inH * inW;
  }

  /** y += shortcut(x). */
  public void forwardAdd(int n, float[] x, float[] y, float[] scratch, float[] workspace) {
    if (projection != null) {
      projection.forward(n, x, scratch, workspace);
      ew.add(scratch, 0, y, 0, y, 0, n * outC * outH * outW);
      return;
    }
    int inPlane = inH * inW;
    int outPlane = outH * outW;
    if (strideH == 1 && strideW == 1) {
      // The common case (every unit that keeps its length): a sample's input channels land on one
      // contiguous block of its output, one vectorised add per sample (the same sums, so the same bits).
      for (int s = 0; s < n; s++) {
        int yb = (s * outC + padBefore) * outPlane;
        ew.add(x, s * inC * inPlane, y, yb, y, yb, inC * inPlane);
      }
      return;
    }
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < inC; c++) {
        int xb = (s * inC + c) * inPlane;
        int yb = (s * outC + c + padBefore) * outPlane;
        for (int i = 0; i < outH; i++) {
          int xr = xb + i * strideH * inW;
          int yr = yb + i * outW;
          for (int j = 0; j < outW; j++) {
            y[yr + j] += x[xr + j * strideW];
          }
        }
      }
    }
  }

  /**
   * Whether {@link #backward} only copies dy: the identity at stride 1 with as many channels out as
   * in, dx[0, n·inSize) = dy[0, n·inSize). A unit then adds its branch's gradient to dy directly
   * (see {@code Unit.backward}) and skips the copy.
   */
  boolean passesGradientThrough() {
    return projection == null && strideH == 1 && strideW == 1 && inC == outC && padBefore == 0;
  }

  /** dx = ∂L/∂x through the shortcut alone (overwritten); a projection also accumulates its gradients. */
  public void backward(int n, float[] x, float[] dy, float[] dx, float[] workspace) {
    if (projection != null) {
      projection.backward(n, x, dy, dx, workspace);
      return;
    }
    int inPlane = inH * inW;
    int outPlane = outH * outW;
    if (strideH == 1 && strideW == 1) {
      for (int s = 0; s < n; s++) {
        System.arraycopy(dy, (s * outC + padBefore) * outPlane, dx, s * inC * inPlane, inC * inPlane);
      }
      return;
    }
    if (strideH == 1) {
      // Each input row is one output row's elements spread out by the stride, zeros between.
      for (int s = 0; s < n; s++) {
        for (int c = 0; c < inC; c++) {
          int xb = (s * inC + c) * inPlane;
          int yb = (s * outC + c + padBefore) * outPlane;
          for (int i = 0; i < inH; i++) {
            ew.spread(dy, yb + i * outW, outW, strideW, dx, xb + i * inW, inW);
          }
        }
      }
      return;
    }
    Arrays.fill(dx, 0, n * inC * inPlane, 0f);
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < inC; c++) {
        int xb = (s * inC + c) * inPlane;
        int yb = (s * outC + c + padBefore) * outPlane;
        for (int i = 0; i < outH; i++) {
          int xr = xb + i * strideH * inW;
          int yr = yb + i * outW;
          for (int j = 0; j < outW; j++) {
            dx[xr + j * strideW] = dy[yr + j];
          }
        }
      }
    }
  }
}
