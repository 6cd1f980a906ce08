package drsn.tensor.simd;

import drsn.tensor.ConvShape;
import drsn.tensor.Convolution;
import drsn.tensor.FoldedConvolution;
import drsn.tensor.internal.ConvChecks;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution on the Vector API, for the small channel counts of the paper's network
 * (4 to 16 channels, kernel 3, 1-D lengths 128 to 1024), where the GEMMs of im2col are too thin
 * (M = 4..16) to run at speed. Correct for every {@link ConvShape}: 2-D runs as 1-D kernels along
 * the width, one output row at a time.
 *
 * <p>Vectorised along the width. So that the inner loops have no branches for the padding, each
 * sample's input is first copied into the workspace as zero-padded rows (xp), split into
 * {@code strideW} phases so that stride-2 reads are contiguous too:
 * <pre>
 *   Wp = W + 2·pW,  PL = ceil(Wp / sW),  RS = sW·PL                    (row stride of xp)
 *   xp[c, ih, r·PL + m] = x[c, ih, m·sW + r − pW]   (0 outside [0, W))
 *   tap j reads phase r_j = (j·dW) mod sW at offset q_j = (j·dW) div sW:
 *     x[c, ih, ow·sW − pW + j·dW] = xp[c, ih, r_j·PL + q_j + ow]
 * </pre>
 * Rows that fall into the vertical padding are skipped (or, in backwardWeights, read a zero row).
 *
 * <pre>
 *   forward          y[o, oh, ow]  = b[o] + Σ_{j, c, i} w[o, c, i, j] · xp[c, ih(oh, i), r_j·PL + q_j + ow]
 *                    register block: 4 output channels × 2 vectors of ow; per tap 2 loads, 4 broadcasts, 8 FMAs
 *                    (1-D: × 4 vectors, 4 loads, 4 broadcasts, 16 FMAs)
 *   backwardInput    gather form over the zero-padded dy (dyp, row DL = padL + OW + padR):
 *                    dx[c, ih, m·sW + r − pW] = Σ_{o, i, j: r_j = r} w[o, c, i, j] · dyp[o, oh(ih, i), padL − q_j + m]
 *                    register block: 4 input channels × 2 vectors of m (1-D: × 4 vectors)
 *   backwardWeights  dw[o, t] += Σ_{n, oh, ow} dy[n, o, oh, ow] · xp[tap t at ow],  t = (c·KH + i)·KW + j
 *                    register block: 4 output channels × 3 taps, one vector of ow. 1-D: a chunk of samples
 *                    is padded into the workspace first and the block's accumulators stay in registers over
 *                    the whole chunk, reduced once per chunk. 2-D: one sample at a time, the vector partial sums
 *                    live in the workspace (V floats per (o, t)) across the batch and are reduced once.
 * </pre>
 * The forward and backward-input kernels first repack the weights of each block of 4 channels
 * into the workspace so that a tap's 4 weights are adjacent and the innermost loop (over the
 * channels that are summed) walks memory linearly.
 * Widths that are not a multiple of the lane count end on a whole vector that overlaps the one
 * before it (forward, backwardInput: the overlapped positions are recomputed with the same bits)
 * or on a masked vector (backwardWeights' sums); only rows narrower than one vector run scalar
 * loops. Channel counts that are not a multiple of 4 run single-channel vector loops.
 *
 * The forward's 1-D blocks are 4 output channels × 4 vectors, summed in the order of the general
 * blocks (the same bits). Stride-2 phase splits are deinterleaved with vector rearranges.
 *
 * <p>Workspace (floats): forward C·H·RS + 4⌊O/4⌋·C·KH·KW; backwardInput O·OH·DL + (sW > 1: sW·C·PL) +
 * 4⌊C/4⌋·O·KH·KW; backwardWeights n·C·RS + 12·V in 1-D (n samples per chunk, see weightChunk), C·H·RS + max(RS, OW) + O·(C·KH·KW + 2)·V in
 * 2-D. {@link #workspaceSize} is the largest of the three. Sums are in float, in an order that
 * differs from the scalar kernel's: results agree to rounding, not bit for bit.
 */
final class DirectConvolution implements Convolution {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int V = S.length();

  /** Whether the wide 1-D register blocks run; false only in tests, which compare them with the general blocks. */
  private final boolean wideBlocks;

  DirectConvolution() {
    this(true);
  }

  DirectConvolution(boolean wideBlocks) {
    this.wideBlocks = wideBlocks;
  }

  // ---------------------------------------------------------------- workspace layout

  @Override
  public int workspaceSize(ConvShape s, int batch) {
    ConvChecks.shapeAndBatch(s, batch);
    return ConvChecks.workspaceInt(s, neededOf(s, batch));
  }

  static long needed(ConvShape s, int batch) {
    return Math.max(forwardNeeds(s), Math.max(backwardInputNeeds(s), backwardWeightsNeeds(s, batch)));
  }

  /**
   * {@link #needed}, remembered per (shape, batch): every call's workspace check needs it, and it
   * takes a dozen integer divisions (ConvShape's derived sizes are computed, not stored): remembered,
   * a batch-1 inference takes 0.98–0.99 of its time (AbProbe Infer).
   */
  private final ShapeMemo<Long> neededTable = new ShapeMemo<>();

  private long neededOf(ConvShape s, int batch) {
    Long floats = neededTable.get(s, batch, DirectConvolution::needed);
    return floats != null ? floats : needed(s, batch);
  }

  private static int phaseLength(ConvShape s) {
    return Math.ceilDiv(s.width() + 2 * s.padW(), s.strideW());
  }

  private static int rowStride(ConvShape s) {
    return s.strideW() * phaseLength(s);
  }

  private static long paddedInputSize(ConvShape s) {
    return (long) s.inChannels() * s.height() * rowStride(s);
  }

  /** Weights of the blocks of 4 channels, repacked so that a tap's 4 weights are adjacent. */
  private static long packedWeightsSize(ConvShape s, int blockedChannels) {
    return (long) (blockedChannels & ~3) * s.weightSize() / blockedChannels;
  }

  private static long forwardNeeds(ConvShape s) {
    return paddedInputSize(s) + packedWeightsSize(s, s.outChannels());
  }

  /** Left zero padding of dy rows: the largest tap offset q_j. */
  private static int dyPadLeft(ConvShape s) {
    return (s.kernelW() - 1) * s.dilationW() / s.strideW();
  }

  /** Right zero padding of dy rows: enough for the last input position's m. */
  private static int dyPadRight(ConvShape s) {
    return Math.max(0, (s.padW() + s.width() - 1) / s.strideW() + 1 - s.outWidth());
  }

  private static int dyRowLength(ConvShape s) {
    return dyPadLeft(s) + s.outWidth() + dyPadRight(s);
  }

  private static long backwardInputNeeds(ConvShape s) {
    return (long) s.outChannels() * s.outHeight() * dyRowLength(s) + phaseRowsSize(s)
        + packedWeightsSize(s, s.inChannels());
  }

  /** backwardInput's phase rows at stride > 1: one per (phase, input channel), interleaved into dx afterwards. */
  private static long phaseRowsSize(ConvShape s) {
    return s.strideW() == 1 ? 0 : (long) s.strideW() * s.inChannels() * phaseLength(s);
  }

  private static int taps(ConvShape s) {
    return s.inChannels() * s.kernelH() * s.kernelW();
  }

  /** taps(s) rounded up to a multiple of 4, the 1-D weight gradient's blocks of taps. */
  private static int paddedTaps(ConvShape s) {
    return Math.ceilDiv(taps(s), 4) * 4;
  }

  private static int zeroRowLength(ConvShape s) {
    return Math.max(rowStride(s), s.outWidth());
  }

  private static long backwardWeightsNeeds(ConvShape s, int batch) {
    if (isOneD(s)) {
      // a chunk of samples' padded inputs (the accumulators span the chunk), then V partial sums per
      // (output channel, tap), the taps rounded up to the blocks of 4
      return weightChunk(s, batch) * paddedInputSize(s) + (long) s.outChannels() * paddedTaps(s) * V;
    }
    return paddedInputSize(s) + zeroRowLength(s) + (long) s.outChannels() * (taps(s) + 2) * V;
  }

  /**
   * One input and one output row ({@link ConvShape#is1d}: no vertical kernel extent, stride,
   * padding or dilation): the layout the wide kernels assume. A height-1 shape with vertical
   * padding has several output rows and takes the general kernels.
   */
  private static boolean isOneD(ConvShape s) {
    return s.is1d();
  }

  /**
   * The zeros around each row of a sample's zero-padded, phase-split rows at xp[at...] (see the
   * class comment), written once per call: {@link #fillData} writes only the positions between
   * them, so the samples copied one after another into the same place leave them (a fill per row
   * and sample cost more than the row's copy on rows of 128). Other strides than 1 and 2: nothing
   * here, fillData writes every position.
   */
  private static void zeroPadding(ConvShape s, float[] xp, int at) {
    int wd = s.width(), pW = s.padW(), sW = s.strideW();
    int pl = phaseLength(s), rs = sW * pl;
    int rows = s.inChannels() * s.height();
    for (int row = 0; row < rows; row++) {
      int dst = at + row * rs;
      if (sW == 1) {
        zeroSpan(xp, dst, pW);
        zeroSpan(xp, dst + pW + wd, rs - pW - wd);
      } else if (sW == 2) {
        for (int r = 0; r < 2; r++) {
          int lo = phaseLo(r - pW, pl), hi = phaseHi(r - pW, wd, pl, lo);
          zeroSpan(xp, dst + r * pl, lo);
          zeroSpan(xp, dst + r * pl + hi, pl - hi);
        }
      }
    }
  }

  /**
   * xp[from, from + len) = +0 by vector stores, the last one masked. Arrays.fill (and a plain loop,
   * which C2 turns into the same call) goes through the JIT's fill stub, whose entry costs far more
   * than the one or two floats of a row's padding: the padding of a batch-1 inference cost 4 % of it.
   */
  private static void zeroSpan(float[] xp, int from, int len) {
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (; i + V <= len; i += V) {
      zero.intoArray(xp, from + i);
    }
    if (i < len) {
      zero.intoArray(xp, from + i, S.indexInRange(0, len - i));
    }
  }

  /** Copies sample x[C, H, W] into xp[at...] as phase-split rows, between the zeros of {@link #zeroPadding}. */
  private static void fillData(ConvShape s, float[] x, int xOff, float[] xp, int at) {
    int h = s.height(), wd = s.width(), pW = s.padW(), sW = s.strideW();
    int pl = phaseLength(s), rs = sW * pl;
    int rows = s.inChannels() * h;
    for (int row = 0; row < rows; row++) {
      int src = xOff + row * wd;
      int dst = at + row * rs;
      if (sW == 1) {
        System.arraycopy(x, src, xp, dst + pW, wd);
      } else if (sW == 2) {
        fillPhasesOfTwo(x, src, wd, pW, xp, dst, pl);
      } else {
        for (int r = 0; r < sW; r++) {
          for (int m = 0; m < pl; m++) {
            int iw = m * sW + r - pW;
            xp[dst + r * pl + m] = iw >= 0 && iw < wd ? x[src + iw] : 0f;
          }
        }
      }
    }
  }

  /**
   * {@link #fillData} of a 1-D input at stride 1 or 2 through batch norm with its ReLU, by batch
   * norm's own row kernels (so the same bits as its output): in training max(fma((x − mean[c])·
   * invStd[c], gamma[c], beta[c]), 0) for row (channel) c; with mean == null (an inference's folded
   * map, invStd unused) max(fma(x, gamma[c], beta[c]), 0), as {@code affineRelu}. At stride 1
   * straight into the row, at stride 2 over each phase row's data after the split (its padding
   * stays zero).
   */
  private static void fillDataNormalizedRelu(ConvShape s, float[] x, int xOff, float[] xp, int at, float[] mean,
                                             int meanOff, float[] invStd, int invStdOff, float[] gamma,
                                             int gammaOff, float[] beta, int betaOff) {
    int wd = s.width(), pW = s.padW(), sW = s.strideW();
    int pl = phaseLength(s), rs = sW * pl;
    for (int c = 0; c < s.inChannels(); c++) {
      int src = xOff + c * wd;
      int dst = at + c * rs;
      float shift = mean == null ? 0f : mean[meanOff + c];
      float scale = mean == null ? 1f : invStd[invStdOff + c];
      float g = gamma[gammaOff + c];
      float b = beta[betaOff + c];
      if (sW == 1) {
        normalizedReluRow(mean == null, x, src, shift, scale, g, b, xp, dst + pW, wd);
      } else {
        fillPhasesOfTwoNormalizedRelu(mean == null, x, src, wd, pW, xp, dst, pl, shift, scale, g, b);
      }
    }
  }

  // the row kernel of fillDataNormalizedRelu: the folded map's (affine) or the training forward's
  private static void normalizedReluRow(boolean affine, float[] x, int xOff, float shift, float scale, float g,
                                        float b, float[] y, int yOff, int len) {
    if (affine) {
      PanamaElementwise.affineReluRow(x, xOff, g, b, y, yOff, len);
    } else {
      PanamaElementwise.normalizeAffineRow(x, xOff, shift, scale, g, b, y, yOff, len, true);
    }
  }

  /**
   * Source lane 2i of the pair (a, b): rearranging a with it and b gives the even lanes of a then
   * of b (indexes ≥ V are exceptional, they select from b). Measured faster than the two-vector
   * selectFrom, which is not compiled to one permute on this JDK (85 vs 168 ns per 1024 floats).
   */
  private static final VectorShuffle<Float> EVEN_LANES = VectorShuffle.fromOp(S, i -> 2 * i);

  /** Source lane 2i + 1 of the pair (a, b): the odd lanes of a then of b, as {@link #EVEN_LANES}. */
  private static final VectorShuffle<Float> ODD_LANES = VectorShuffle.fromOp(S, i -> 2 * i + 1);

  /**
   * fillData's stride-2 row: phase r gets xp[r·PL + m] = x[2m + r − pW], deinterleaved a vector
   * at a time because a scalar strided copy cost more than the stride-2 convolution's arithmetic at
   * these channel counts: where both phases are inside the row, one pair of loads gives both (its
   * even lanes phase 0, its odd lanes phase 1: two loads, two two-source rearranges, two stores per
   * V positions of each phase; a pass per phase had loaded every vector twice); each phase's
   * leftover positions at either end are copied one by one. The padding is {@link #zeroPadding}'s.
   */
  private static void fillPhasesOfTwo(float[] x, int src, int wd, int pW, float[] xp, int dst, int pl) {
    int off = -pW; // phase r at m reads x[src + 2m + off + r]
    int lo0 = phaseLo(off, pl), hi0 = phaseHi(off, wd, pl, lo0);
    int lo1 = phaseLo(off + 1, pl), hi1 = phaseHi(off + 1, wd, pl, lo1);
    int row1 = dst + pl;
    int from = Math.max(lo0, lo1);
    int m = from;
    for (; m + V <= Math.min(hi0, hi1) && 2 * m + off + 2 * V <= wd; m += V) {
      int at = src + 2 * m + off;
      FloatVector a = FloatVector.fromArray(S, x, at);
      FloatVector b = FloatVector.fromArray(S, x, at + V);
      a.rearrange(EVEN_LANES, b).intoArray(xp, dst + m);
      a.rearrange(ODD_LANES, b).intoArray(xp, row1 + m);
    }
    int last = lastPhasePair(m, from, off, wd, hi0, hi1);
    if (last >= 0) { // the leftovers as one more pair that overlaps the last (same values again)
      int at = src + 2 * last + off;
      FloatVector a = FloatVector.fromArray(S, x, at);
      FloatVector b = FloatVector.fromArray(S, x, at + V);
      a.rearrange(EVEN_LANES, b).intoArray(xp, dst + last);
      a.rearrange(ODD_LANES, b).intoArray(xp, row1 + last);
      m = last + V;
    }
    for (int i = lo0; i < Math.min(from, hi0); i++) {
      xp[dst + i] = x[src + 2 * i + off];
    }
    for (int i = lo1; i < Math.min(from, hi1); i++) {
      xp[row1 + i] = x[src + 2 * i + off + 1];
    }
    for (int i = Math.max(m, lo0); i < hi0; i++) {
      xp[dst + i] = x[src + 2 * i + off];
    }
    for (int i = Math.max(m, lo1); i < hi1; i++) {
      xp[row1 + i] = x[src + 2 * i + off + 1];
    }
  }

  /**
   * {@link #fillPhasesOfTwo} with each value through {@link #normalizedReluRow}'s map on its way:
   * the same lanewise operations on the same values, so the same bits as the split followed by
   * the map over each phase row, in one pass instead of two.
   */
  private static void fillPhasesOfTwoNormalizedRelu(boolean affine, float[] x, int src, int wd, int pW, float[] xp,
                                                    int dst, int pl, float shift, float scale, float g, float b) {
    int off = -pW; // phase r at m reads x[src + 2m + off + r]
    int lo0 = phaseLo(off, pl), hi0 = phaseHi(off, wd, pl, lo0);
    int lo1 = phaseLo(off + 1, pl), hi1 = phaseHi(off + 1, wd, pl, lo1);
    int row1 = dst + pl;
    int from = Math.max(lo0, lo1);
    int m = from;
    FloatVector vShift = FloatVector.broadcast(S, shift);
    FloatVector vScale = FloatVector.broadcast(S, scale);
    FloatVector vg = FloatVector.broadcast(S, g);
    FloatVector vb = FloatVector.broadcast(S, b);
    FloatVector zero = FloatVector.zero(S);
    for (; m + V <= Math.min(hi0, hi1) && 2 * m + off + 2 * V <= wd; m += V) {
      int at = src + 2 * m + off;
      FloatVector a = FloatVector.fromArray(S, x, at);
      FloatVector c = FloatVector.fromArray(S, x, at + V);
      FloatVector even = a.rearrange(EVEN_LANES, c);
      FloatVector odd = a.rearrange(ODD_LANES, c);
      even = affine ? even.fma(vg, vb) : even.sub(vShift).mul(vScale).fma(vg, vb);
      odd = affine ? odd.fma(vg, vb) : odd.sub(vShift).mul(vScale).fma(vg, vb);
      even.blend(zero, even.compare(VectorOperators.LE, 0f)).intoArray(xp, dst + m); // max(v, 0), see relu
      odd.blend(zero, odd.compare(VectorOperators.LE, 0f)).intoArray(xp, row1 + m);
    }
    int last = lastPhasePair(m, from, off, wd, hi0, hi1);
    if (last >= 0) { // as in fillPhasesOfTwo
      int at = src + 2 * last + off;
      FloatVector a = FloatVector.fromArray(S, x, at);
      FloatVector c = FloatVector.fromArray(S, x, at + V);
      FloatVector even = a.rearrange(EVEN_LANES, c);
      FloatVector odd = a.rearrange(ODD_LANES, c);
      even = affine ? even.fma(vg, vb) : even.sub(vShift).mul(vScale).fma(vg, vb);
      odd = affine ? odd.fma(vg, vb) : odd.sub(vShift).mul(vScale).fma(vg, vb);
      even.blend(zero, even.compare(VectorOperators.LE, 0f)).intoArray(xp, dst + last);
      odd.blend(zero, odd.compare(VectorOperators.LE, 0f)).intoArray(xp, row1 + last);
      m = last + V;
    }
    for (int i = lo0; i < Math.min(from, hi0); i++) {
      xp[dst + i] = normalizedRelu(affine, x[src + 2 * i + off], shift, scale, g, b);
    }
    for (int i = lo1; i < Math.min(from, hi1); i++) {
      xp[row1 + i] = normalizedRelu(affine, x[src + 2 * i + off + 1], shift, scale, g, b);
    }
    for (int i = Math.max(m, lo0); i < hi0; i++) {
      xp[dst + i] = normalizedRelu(affine, x[src + 2 * i + off], shift, scale, g, b);
    }
    for (int i = Math.max(m, lo1); i < hi1; i++) {
      xp[row1 + i] = normalizedRelu(affine, x[src + 2 * i + off + 1], shift, scale, g, b);
    }
  }

  /**
   * Where the split's pairs of loads stopped at m (from the first m both phases share): the start
   * of one more pair, ending where the nearer phase or the row ends, that overlaps the last one and
   * leaves at most a position or two of a phase to the scalar loops, which took a third of a row of
   * 1024 one value at a time; -1 if there is nothing left or no room for a pair.
   */
  private static int lastPhasePair(int m, int from, int off, int wd, int hi0, int hi1) {
    int last = Math.min(Math.min(hi0, hi1) - V, Math.floorDiv(wd - off - 2 * V, 2));
    return m < Math.min(hi0, hi1) && last >= from && last < m ? last : -1;
  }

  // one value of normalizedReluRow's map, as its scalar tail computes it
  private static float normalizedRelu(boolean affine, float v, float shift, float scale, float g, float b) {
    return Math.max(affine ? Math.fma(v, g, b) : Math.fma((v - shift) * scale, g, b), 0f);
  }

  /** The first m of a phase reading x[2m + off] inside the row (at most pl). */
  private static int phaseLo(int off, int pl) {
    return Math.min(pl, Math.max(0, Math.ceilDiv(-off, 2)));
  }

  /** One past the last m of a phase reading x[2m + off] inside a row of wd (at least lo, at most pl). */
  private static int phaseHi(int off, int wd, int pl, int lo) {
    return Math.max(lo, Math.min(pl, Math.floorDiv(wd - 1 - off, 2) + 1));
  }

  // ---------------------------------------------------------------- forward

  @Override
  public void forward(ConvShape s, int batch, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                      float[] y, int yOff, float[] ws) {
    ConvChecks.shapeAndBatch(s, batch); // before needed(s, batch) reads the shape
    ConvChecks.forward(s, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, ws, neededOf(s, batch));
    forward(s, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, ws, null, 0, null, 0, null, 0, null, 0, null, 0);
  }

  /**
   * At stride 1 and 2 of a 1-D shape the map is applied row by row as the input is copied into
   * the zero-padded rows ({@link #fillDataNormalizedRelu} with the folded map, affineRelu's row kernel), so x is never
   * written; other shapes take the default, which writes x whole first.
   */
  @Override
  public void forwardAffineReluPrepacked(ConvShape s, int batch, float[] z, int zOff, float[] scale, int scaleOff,
                                         float[] shift, int shiftOff, float[] x, float[] w, int wOff, float[] packed,
                                         int packedOff, float[] bias, int biasOff, float[] y, int yOff, float[] ws) {
    if (s == null || !isOneD(s) || !wideBlocks || s.strideW() > 2) {
      Convolution.super.forwardAffineReluPrepacked(s, batch, z, zOff, scale, scaleOff, shift, shiftOff, x, w, wOff,
          packed, packedOff, bias, biasOff, y, yOff, ws);
      return;
    }
    ConvChecks.affineInput(s, batch, z, zOff, scale, scaleOff, shift, shiftOff, x);
    ConvChecks.forward(s, batch, z, zOff, w, wOff, bias, biasOff, y, yOff, ws, neededOf(s, batch));
    ConvChecks.packedWeights(s, w, wOff, packed, packedOff, packedForwardWeightsSize(s));
    // the affine map travels as "gamma" and "beta" with mean == invStd == null: see fillData's choice below
    forward(s, batch, z, zOff, w, wOff, bias, biasOff, y, yOff, ws, null, 0, null, 0, scale, scaleOff, shift,
        shiftOff, forward8(s) ? packed : null, packedOff);
  }

  /** Whether the forward can take the blocks of 8 output channels (1-D, rows at least a vector wide). */
  private boolean forward8(ConvShape s) {
    return isOneD(s) && wideBlocks && s.outWidth() >= V && s.outChannels() >= 8;
  }

  @Override
  public int packedForwardWeightsSize(ConvShape s) {
    ConvChecks.shapeAndBatch(s, 1);
    return forward8(s) ? (s.outChannels() & ~7) * taps(s) : 0;
  }

  @Override
  public void packForwardWeights(ConvShape s, float[] w, int wOff, float[] packed, int packedOff) {
    ConvChecks.packedWeights(s, w, wOff, packed, packedOff, packedForwardWeightsSize(s));
    if (forward8(s)) {
      packForward8(s, w, wOff, packed, packedOff);
    }
  }

  /**
   * The blocks of 8 output channels at any batch, batch 1 included, their weights read from
   * {@code packed} instead of packed per call (an inference over fixed weights packs them once).
   */
  @Override
  public void forwardPrepacked(ConvShape s, int batch, float[] x, int xOff, float[] w, int wOff, float[] packed,
                               int packedOff, float[] bias, int biasOff, float[] y, int yOff, float[] ws) {
    ConvChecks.shapeAndBatch(s, batch);
    ConvChecks.forward(s, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, ws, neededOf(s, batch));
    ConvChecks.packedWeights(s, w, wOff, packed, packedOff, packedForwardWeightsSize(s));
    forward(s, batch, x, xOff, w, wOff, bias, biasOff, y, yOff, ws, null, 0, null, 0, null, 0, null, 0,
        forward8(s) ? packed : null, packedOff);
  }

  /**
   * At stride 1 and 2 of a 1-D shape the input is normalised row by row as it is copied into the
   * zero-padded rows ({@link #fillDataNormalizedRelu}, the copy the forward makes anyway), so x is
   * never written; other shapes take the default, which writes x whole first.
   */
  @Override
  public void forwardFromBatchNormRelu(ConvShape s, int batch, float[] z, int zOff, float[] mean, int meanOff,
                                       float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta,
                                       int betaOff, float[] x, float[] w, int wOff, float[] bias, int biasOff,
                                       float[] y, int yOff, float[] ws) {
    if (s == null || !isOneD(s) || !wideBlocks || s.strideW() > 2) {
      Convolution.super.forwardFromBatchNormRelu(s, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma,
          gammaOff, beta, betaOff, x, w, wOff, bias, biasOff, y, yOff, ws);
      return;
    }
    ConvChecks.batchNormInput(s, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff,
        x);
    ConvChecks.forward(s, batch, z, zOff, w, wOff, bias, biasOff, y, yOff, ws, neededOf(s, batch));
    forward(s, batch, z, zOff, w, wOff, bias, biasOff, y, yOff, ws, mean, meanOff, invStd, invStdOff, gamma,
        gammaOff, beta, betaOff, null, 0);
  }

  /**
   * The two convolutions sample by sample: the first's padded input is built through its map as
   * forwardAffineReluPrepacked builds it (after the second's, at ws[P2...]), and its blocks write
   * their results through the second's map (the folded batch norm and ReLU, the operations of
   * affineRelu's row kernel, so the same bits) straight into the second's zero-padded rows at
   * ws[0...], which the second's blocks then read as the forward reads its copy. The intermediate
   * [C, W] never exists in memory. Other shapes (2-D, strides above 2 or a second strided, rows
   * narrower than a vector, a first whose output channels are not a multiple of 4) take the
   * default's two calls.
   */
  @Override
  public void forwardPairAffineReluPrepacked(FoldedConvolution first, FoldedConvolution second, int batch, float[] z,
                                             int zOff, float[] mid, float[] x, float[] y, int yOff,
                                             float[] ws) {
    if (first == null || second == null || !fusedPair(first.shape(), second.shape())) {
      // the default checks the pair (a mismatched one is never fused, so it is refused there)
      Convolution.super.forwardPairAffineReluPrepacked(first, second, batch, z, zOff, mid, x, y, yOff, ws);
      return;
    }
    ConvShape s1 = first.shape(), s2 = second.shape();
    ConvChecks.pair(s1, s2, batch, mid);
    long needed = pairNeeded(s1, s2, batch);
    ConvChecks.affineInput(s1, batch, z, zOff, first.scale(), first.scaleOff(), first.shift(), first.shiftOff(), x);
    ConvChecks.affineInput(s2, batch, mid, 0, second.scale(), second.scaleOff(), second.shift(), second.shiftOff(),
        x);
    ConvChecks.forward(s1, batch, z, zOff, first.w(), first.wOff(), first.bias(), first.biasOff(), mid, 0, ws, needed);
    ConvChecks.forward(s2, batch, mid, 0, second.w(), second.wOff(), second.bias(), second.biasOff(), y, yOff, ws,
        needed);
    ConvChecks.packedWeights(s1, first.w(), first.wOff(), first.packed(), first.packedOff(),
        packedForwardWeightsSize(s1));
    ConvChecks.packedWeights(s2, second.w(), second.wOff(), second.packed(), second.packedOff(),
        packedForwardWeightsSize(s2));
    int base1 = (int) paddedInputSize(s2);
    int out1 = s1.outChannels(), ow1 = s1.outWidth(), ckk1 = taps(s1);
    int out2 = s2.outChannels(), ow2 = s2.outWidth(), ckk2 = taps(s2), outSize2 = s2.outputSize();
    int rs2 = rowStride(s2), pW2 = s2.padW();
    boolean wide8a = forward8(s1), wide8b = forward8(s2);
    int[] taps1 = forwardTaps(s1, base1, FIRST_TAPS);
    int[] taps2 = forwardTaps(s2);
    zeroPadding(s2, ws, 0);
    zeroPadding(s1, ws, base1);
    float[] sc = second.scale(), sh = second.shift();
    int scOff = second.scaleOff(), shOff = second.shiftOff();
    for (int n = 0; n < batch; n++) {
      fillDataNormalizedRelu(s1, z, zOff + n * s1.inputSize(), ws, base1, null, 0, null, 0, first.scale(),
          first.scaleOff(), first.shift(), first.shiftOff());
      int o = 0;
      if (wide8a) {
        for (; o + 8 <= out1; o += 8) {
          forwardRow8WideMapped(s1, ow1, ws, taps1, first.packed(), first.packedOff() + o * ckk1, first.bias(),
              first.biasOff(), o, ws, o * rs2 + pW2, rs2, sc, scOff, sh, shOff);
        }
      }
      for (; o < out1; o += 4) {
        forwardRow4WideMapped(s1, ow1, ws, taps1, first.w(), first.wOff() + o * ckk1, first.bias(), first.biasOff(), o,
            ws, o * rs2 + pW2, rs2, sc, scOff, sh, shOff);
      }
      // the second as forward() runs one sample over its padded input at ws[0...]
      int yn = yOff + n * outSize2;
      o = 0;
      if (wide8b) {
        for (; o + 8 <= out2; o += 8) {
          forwardRow8Wide(s2, ow2, ws, taps2, second.packed(), second.packedOff() + o * ckk2, second.bias(),
              second.biasOff(), o, y, yn + o * ow2);
        }
      }
      for (; o + 4 <= out2; o += 4) {
        forwardRow4Wide(s2, ow2, ws, taps2, second.w(), second.wOff() + o * ckk2, second.bias(), second.biasOff(), o,
            y, yn + o * ow2);
      }
      for (; o < out2; o++) {
        forwardRow1(s2, ws, second.w(), second.wOff(), second.bias(), second.biasOff(), o, 0, y, yn + o * ow2);
      }
    }
  }

  @Override
  public int pairWorkspaceSize(ConvShape first, ConvShape second, int batch) {
    int size = Convolution.super.pairWorkspaceSize(first, second, batch);
    return fusedPair(first, second) ? Math.max(size, ConvChecks.workspaceInt(first, pairNeeded(first, second, batch)))
        : size;
  }

  // wide blocks cover every output of both (rows at least a vector wide; the first's channels in blocks of 4),
  // the first at stride 1 or 2 and the second at stride 1 (its padded rows are plain rows, as the blocks write them)
  private boolean fusedPair(ConvShape s1, ConvShape s2) {
    return wideBlocks && isOneD(s1) && isOneD(s2) && s1.strideW() <= 2 && s2.strideW() == 1
        && s1.outWidth() >= V && s2.outWidth() >= V && s1.outChannels() % 4 == 0
        && s2.inChannels() == s1.outChannels() && s2.width() == s1.outWidth() && s2.height() == s1.outHeight();
  }

  // both padded inputs side by side, and whatever either convolution alone needs
  private long pairNeeded(ConvShape s1, ConvShape s2, int batch) {
    return Math.max(Math.max(neededOf(s1, batch), neededOf(s2, batch)), paddedInputSize(s1) + paddedInputSize(s2));
  }

  // gamma == null: x as it is; else x through batch norm with its ReLU as fillDataNormalizedRelu builds it
  // (mean == null: an inference's folded map) (1-D, stride 1 or 2 only). prepacked != null: the 8-channel blocks' weights, packed by packForward8 at
  // prepackedOff (then used at any batch)
  private void forward(ConvShape s, int batch, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
                       float[] y, int yOff, float[] ws, float[] mean, int meanOff, float[] invStd, int invStdOff,
                       float[] gamma, int gammaOff, float[] beta, int betaOff, float[] prepacked, int prepackedOff) {
    int outC = s.outChannels(), oh = s.outHeight(), ow = s.outWidth(), outSize = s.outputSize();
    int ckk = taps(s);
    int packed = (int) paddedInputSize(s);
    boolean wide = isOneD(s) && wideBlocks;
    // The wide 4-channel blocks read the weights where they are and cover every row at least a
    // vector wide; the general blocks need the weights repacked, and so do the 8-channel blocks:
    // per call, or once for all calls when the caller passes them prepacked (an inference's fixed
    // weights). Packed per call they start at WIDE8_MIN_BATCH: at batch 1 the packing cost more
    // than the blocks gained (AbProbe Infer 1.04-1.08).
    boolean wide8 = wide && ow >= V && outC >= 8 && (batch >= WIDE8_MIN_BATCH || prepacked != null);
    float[] w8 = prepacked != null ? prepacked : ws;
    int w8Off = prepacked != null ? prepackedOff : packed;
    if (!wide || ow < V) {
      packForward(s, w, wOff, ws, packed);
    } else if (wide8 && prepacked == null) {
      packForward8(s, w, wOff, ws, packed);
    }
    int[] taps = wide ? forwardTaps(s) : null;
    zeroPadding(s, ws, 0);
    for (int n = 0; n < batch; n++) {
      if (gamma == null) {
        fillData(s, x, xOff + n * s.inputSize(), ws, 0);
      } else {
        fillDataNormalizedRelu(s, x, xOff + n * s.inputSize(), ws, 0, mean, meanOff, invStd, invStdOff, gamma,
            gammaOff, beta, betaOff);
      }
      int yn = yOff + n * outSize;
      for (int r = 0; r < oh; r++) {
        int o = 0;
        if (wide8) {
          for (; o + 8 <= outC; o += 8) {
            forwardRow8Wide(s, ow, ws, taps, w8, w8Off + o * ckk, bias, biasOff, o, y, yn + o * ow);
          }
        }
        for (; o + 4 <= outC; o += 4) {
          int from = wide ? forwardRow4Wide(s, ow, ws, taps, w, wOff + o * ckk, bias, biasOff, o, y, yn + o * ow) : 0;
          if (from < ow) {
            forwardRow4(s, ws, packed + o * ckk, bias, biasOff, o, r, from, y, yn + (o * oh + r) * ow);
          }
        }
        for (; o < outC; o++) {
          forwardRow1(s, ws, w, wOff, bias, biasOff, o, r, y, yn + (o * oh + r) * ow);
        }
      }
    }
  }

  /** First kernel row i whose input row oh·sH − pH + i·dH is ≥ 0. */
  private static int rowTapLo(ConvShape s, int outRow) {
    return Math.max(0, Math.ceilDiv(s.padH() - outRow * s.strideH(), s.dilationH()));
  }

  /** One past the last kernel row i whose input row is < H. */
  private static int rowTapHi(ConvShape s, int outRow) {
    return Math.min(s.kernelH(), Math.floorDiv(s.height() - 1 + s.padH() - outRow * s.strideH(), s.dilationH()) + 1);
  }

  /** ws[dst...] = for each block of 4 output channels, for j, i, c: w[o..o+3, c, i, j]. */
  private static void packForward(ConvShape s, float[] w, int wOff, float[] ws, int dst) {
    int inC = s.inChannels(), kh = s.kernelH(), kw = s.kernelW(), ckk = inC * kh * kw;
    int idx = dst;
    for (int o = 0; o + 4 <= s.outChannels(); o += 4) {
      for (int j = 0; j < kw; j++) {
        for (int i = 0; i < kh; i++) {
          for (int c = 0; c < inC; c++) {
            int src = wOff + (o * inC + c) * kh * kw + i * kw + j;
            ws[idx++] = w[src];
            ws[idx++] = w[src + ckk];
            ws[idx++] = w[src + 2 * ckk];
            ws[idx++] = w[src + 3 * ckk];
          }
        }
      }
    }
  }

  /**
   * ws[dst...] = for each block of 8 output channels (o = 8b, at dst + o·C·KW), for j, c:
   * w[o..o+7, c, 0, j], the order of forwardRow8Wide's taps (1-D shapes).
   */
  private static void packForward8(ConvShape s, float[] w, int wOff, float[] ws, int dst) {
    int inC = s.inChannels(), kw = s.kernelW(), ckk = inC * kw;
    for (int o = 0; o + 8 <= s.outChannels(); o += 8) {
      int idx = dst + o * ckk;
      for (int j = 0; j < kw; j++) {
        for (int c = 0; c < inC; c++) {
          int src = wOff + o * ckk + c * kw + j;
          for (int k = 0; k < 8; k++) {
            ws[idx++] = w[src + k * ckk];
          }
        }
      }
    }
  }

  /** Smallest batch whose forward takes the blocks of 8 output channels (packing their weights per call). */
  private static final int WIDE8_MIN_BATCH = 4;

  /** Per-thread table of forwardRow4Wide's (x offset, weight offset) pairs; grown, never shrunk. */
  private static final ThreadLocal<int[]> FORWARD_TAPS = ThreadLocal.withInitial(() -> new int[64]);

  /** The same for the first convolution of a pair (see forwardPairAffineReluPrepacked), whose second uses FORWARD_TAPS. */
  private static final ThreadLocal<int[]> FIRST_TAPS = ThreadLocal.withInitial(() -> new int[64]);

  /**
   * For t = j·C + c (the order of the sums): [2t] = offset in xp of tap j of channel c at position
   * 0, [2t + 1] = offset of w[o, c, j] from w[o, 0, 0]. One flat loop over these instead of a loop
   * over taps around a loop over channels: at 1 and 4 channels the inner loop's entry cost more
   * than its few iterations.
   */
  private static int[] forwardTaps(ConvShape s) {
    return forwardTaps(s, 0, FORWARD_TAPS);
  }

  /**
   * The tables of {@link #forwardTaps}, remembered per (shape, base): built per call they cost a
   * batch-1 inference about 2 % (AbProbe Infer). Read only once made.
   */
  private static final ShapeMemo<int[]> TAPS = new ShapeMemo<>();

  /** {@link #forwardTaps} of a padded input at ws[base...]: remembered, else in the table {@code holder} holds. */
  private static int[] forwardTaps(ConvShape s, int base, ThreadLocal<int[]> holder) {
    int[] taps = TAPS.get(s, base, (shape, b) -> fillForwardTaps(shape, b, new int[2 * shape.inChannels() * shape.kernelW()]));
    if (taps != null) {
      return taps;
    }
    taps = holder.get();
    int size = 2 * s.inChannels() * s.kernelW();
    if (taps.length < size) {
      taps = new int[Math.max(size, 2 * taps.length)];
      holder.set(taps);
    }
    return fillForwardTaps(s, base, taps);
  }

  private static int[] fillForwardTaps(ConvShape s, int base, int[] taps) {
    int inC = s.inChannels(), kw = s.kernelW(), sW = s.strideW(), dW = s.dilationW();
    int pl = phaseLength(s), rs = sW * pl;
    int t = 0;
    for (int j = 0, r = 0, q = 0; j < kw; j++) {
      for (int c = 0; c < inC; c++) {
        taps[t++] = base + c * rs + r * pl + q;
        taps[t++] = c * kw + j;
      }
      r += dW;
      while (r >= sW) {
        r -= sW;
        q++;
      }
    }
    return taps;
  }

  /**
   * y[o..o+3, 0, p] for p in [0, OW) of a 1-D convolution at least V wide (H = KH = 1): 4 output channels
   * × 4 vectors, so that each input vector loaded serves 4 channels and each broadcast weight 4
   * vectors (per tap and input channel 4 loads, 4 broadcasts, 16 FMAs; 16 accumulators hide the
   * FMA latency). The order of the sums is that of {@link #forwardRow4} (taps j outer, channels c
   * inner, from the bias), so the results are the same bits. Reads the weights unpacked (4 rows of
   * w; a repack per call was a measurable part of a batch-1 call). Returns where the general
   * kernel continues: OW, or 0 for rows narrower than V.
   */
  private static int forwardRow4Wide(ConvShape s, int ow, float[] ws, int[] taps, float[] w, int wo, float[] bias,
                                     int biasOff, int o, float[] y, int yRow) {
    int ckk = taps(s), pairs = 2 * ckk; // weights w[o + k, c, j] at wo + k·ckk + c·kw + j
    float b0 = bias == null ? 0f : bias[biasOff + o];
    float b1 = bias == null ? 0f : bias[biasOff + o + 1];
    float b2 = bias == null ? 0f : bias[biasOff + o + 2];
    float b3 = bias == null ? 0f : bias[biasOff + o + 3];
    int y1 = yRow + ow, y2 = yRow + 2 * ow, y3 = yRow + 3 * ow;
    if (ow < V) {
      return 0;
    }
    // Vector k of a block starts at min(p + kV, OW − V): where OW is not a multiple of 4V, the last
    // block's vectors that would pass the row's end start at its last whole vector instead and
    // recompute positions of the vectors before them with the same bits (the same sums in the same
    // order; on rows narrower than 4V, some twice). No scalar tail, no narrower blocks, no repack.
    int last = ow - V;
    int p = 0;
    for (; p < ow; p += 4 * V) {
      int p0 = Math.min(p, last), p1 = Math.min(p + V, last), p2 = Math.min(p + 2 * V, last);
      int p3 = Math.min(p + 3 * V, last);
      FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00;
      FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10;
      FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20;
      FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30;
      for (int t = 0; t < pairs; t += 2) {
        int xi = taps[t], wi = wo + taps[t + 1];
        {
          FloatVector x0 = FloatVector.fromArray(S, ws, xi + p0);
          FloatVector x1 = FloatVector.fromArray(S, ws, xi + p1);
          FloatVector x2 = FloatVector.fromArray(S, ws, xi + p2);
          FloatVector x3 = FloatVector.fromArray(S, ws, xi + p3);
          FloatVector w0 = FloatVector.broadcast(S, w[wi]);
          a00 = w0.fma(x0, a00);
          a01 = w0.fma(x1, a01);
          a02 = w0.fma(x2, a02);
          a03 = w0.fma(x3, a03);
          FloatVector w1 = FloatVector.broadcast(S, w[wi + ckk]);
          a10 = w1.fma(x0, a10);
          a11 = w1.fma(x1, a11);
          a12 = w1.fma(x2, a12);
          a13 = w1.fma(x3, a13);
          FloatVector w2 = FloatVector.broadcast(S, w[wi + 2 * ckk]);
          a20 = w2.fma(x0, a20);
          a21 = w2.fma(x1, a21);
          a22 = w2.fma(x2, a22);
          a23 = w2.fma(x3, a23);
          FloatVector w3 = FloatVector.broadcast(S, w[wi + 3 * ckk]);
          a30 = w3.fma(x0, a30);
          a31 = w3.fma(x1, a31);
          a32 = w3.fma(x2, a32);
          a33 = w3.fma(x3, a33);
        }
      }
      a00.intoArray(y, yRow + p0);
      a01.intoArray(y, yRow + p1);
      a02.intoArray(y, yRow + p2);
      a03.intoArray(y, yRow + p3);
      a10.intoArray(y, y1 + p0);
      a11.intoArray(y, y1 + p1);
      a12.intoArray(y, y1 + p2);
      a13.intoArray(y, y1 + p3);
      a20.intoArray(y, y2 + p0);
      a21.intoArray(y, y2 + p1);
      a22.intoArray(y, y2 + p2);
      a23.intoArray(y, y2 + p3);
      a30.intoArray(y, y3 + p0);
      a31.intoArray(y, y3 + p1);
      a32.intoArray(y, y3 + p2);
      a33.intoArray(y, y3 + p3);
    }
    return p;
  }

  /**
   * {@link #forwardRow4Wide} whose results go through the next convolution's folded batch norm and ReLU
   * (oScale, oShift per output channel, as affineRelu's row kernel computes them) into rows yStride apart:
   * a pair's first convolution writing the second's padded input. A copy, not a flag in forwardRow4Wide:
   * the epilogue there made C2's code for the plain forward 10–18 % slower (AbProbe ConvPass 8 → 8).
   */
  private static int forwardRow4WideMapped(ConvShape s, int ow, float[] ws, int[] taps, float[] w, int wo,
                                           float[] bias, int biasOff, int o, float[] y, int yRow, int yStride,
                                           float[] oScale, int oScaleOff, float[] oShift, int oShiftOff) {
    int ckk = taps(s), pairs = 2 * ckk; // weights w[o + k, c, j] at wo + k·ckk + c·kw + j
    float b0 = bias == null ? 0f : bias[biasOff + o];
    float b1 = bias == null ? 0f : bias[biasOff + o + 1];
    float b2 = bias == null ? 0f : bias[biasOff + o + 2];
    float b3 = bias == null ? 0f : bias[biasOff + o + 3];
    int y1 = yRow + yStride, y2 = yRow + 2 * yStride, y3 = yRow + 3 * yStride;
    if (ow < V) {
      return 0;
    }
    // Vector k of a block starts at min(p + kV, OW − V): where OW is not a multiple of 4V, the last
    // block's vectors that would pass the row's end start at its last whole vector instead and
    // recompute positions of the vectors before them with the same bits (the same sums in the same
    // order; on rows narrower than 4V, some twice). No scalar tail, no narrower blocks, no repack.
    int last = ow - V;
    int p = 0;
    for (; p < ow; p += 4 * V) {
      int p0 = Math.min(p, last), p1 = Math.min(p + V, last), p2 = Math.min(p + 2 * V, last);
      int p3 = Math.min(p + 3 * V, last);
      FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00;
      FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10;
      FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20;
      FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30;
      for (int t = 0; t < pairs; t += 2) {
        int xi = taps[t], wi = wo + taps[t + 1];
        {
          FloatVector x0 = FloatVector.fromArray(S, ws, xi + p0);
          FloatVector x1 = FloatVector.fromArray(S, ws, xi + p1);
          FloatVector x2 = FloatVector.fromArray(S, ws, xi + p2);
          FloatVector x3 = FloatVector.fromArray(S, ws, xi + p3);
          FloatVector w0 = FloatVector.broadcast(S, w[wi]);
          a00 = w0.fma(x0, a00);
          a01 = w0.fma(x1, a01);
          a02 = w0.fma(x2, a02);
          a03 = w0.fma(x3, a03);
          FloatVector w1 = FloatVector.broadcast(S, w[wi + ckk]);
          a10 = w1.fma(x0, a10);
          a11 = w1.fma(x1, a11);
          a12 = w1.fma(x2, a12);
          a13 = w1.fma(x3, a13);
          FloatVector w2 = FloatVector.broadcast(S, w[wi + 2 * ckk]);
          a20 = w2.fma(x0, a20);
          a21 = w2.fma(x1, a21);
          a22 = w2.fma(x2, a22);
          a23 = w2.fma(x3, a23);
          FloatVector w3 = FloatVector.broadcast(S, w[wi + 3 * ckk]);
          a30 = w3.fma(x0, a30);
          a31 = w3.fma(x1, a31);
          a32 = w3.fma(x2, a32);
          a33 = w3.fma(x3, a33);
        }
      }
      { // the next convolution's folded map and ReLU, as affineReluRow computes them
        FloatVector zero = FloatVector.zero(S);
        FloatVector sc0 = FloatVector.broadcast(S, oScale[oScaleOff + o]);
        FloatVector sh0 = FloatVector.broadcast(S, oShift[oShiftOff + o]);
        a00 = a00.fma(sc0, sh0);
        a00 = a00.blend(zero, a00.compare(VectorOperators.LE, 0f));
        a01 = a01.fma(sc0, sh0);
        a01 = a01.blend(zero, a01.compare(VectorOperators.LE, 0f));
        a02 = a02.fma(sc0, sh0);
        a02 = a02.blend(zero, a02.compare(VectorOperators.LE, 0f));
        a03 = a03.fma(sc0, sh0);
        a03 = a03.blend(zero, a03.compare(VectorOperators.LE, 0f));
        FloatVector sc1 = FloatVector.broadcast(S, oScale[oScaleOff + o + 1]);
        FloatVector sh1 = FloatVector.broadcast(S, oShift[oShiftOff + o + 1]);
        a10 = a10.fma(sc1, sh1);
        a10 = a10.blend(zero, a10.compare(VectorOperators.LE, 0f));
        a11 = a11.fma(sc1, sh1);
        a11 = a11.blend(zero, a11.compare(VectorOperators.LE, 0f));
        a12 = a12.fma(sc1, sh1);
        a12 = a12.blend(zero, a12.compare(VectorOperators.LE, 0f));
        a13 = a13.fma(sc1, sh1);
        a13 = a13.blend(zero, a13.compare(VectorOperators.LE, 0f));
        FloatVector sc2 = FloatVector.broadcast(S, oScale[oScaleOff + o + 2]);
        FloatVector sh2 = FloatVector.broadcast(S, oShift[oShiftOff + o + 2]);
        a20 = a20.fma(sc2, sh2);
        a20 = a20.blend(zero, a20.compare(VectorOperators.LE, 0f));
        a21 = a21.fma(sc2, sh2);
        a21 = a21.blend(zero, a21.compare(VectorOperators.LE, 0f));
        a22 = a22.fma(sc2, sh2);
        a22 = a22.blend(zero, a22.compare(VectorOperators.LE, 0f));
        a23 = a23.fma(sc2, sh2);
        a23 = a23.blend(zero, a23.compare(VectorOperators.LE, 0f));
        FloatVector sc3 = FloatVector.broadcast(S, oScale[oScaleOff + o + 3]);
        FloatVector sh3 = FloatVector.broadcast(S, oShift[oShiftOff + o + 3]);
        a30 = a30.fma(sc3, sh3);
        a30 = a30.blend(zero, a30.compare(VectorOperators.LE, 0f));
        a31 = a31.fma(sc3, sh3);
        a31 = a31.blend(zero, a31.compare(VectorOperators.LE, 0f));
        a32 = a32.fma(sc3, sh3);
        a32 = a32.blend(zero, a32.compare(VectorOperators.LE, 0f));
        a33 = a33.fma(sc3, sh3);
        a33 = a33.blend(zero, a33.compare(VectorOperators.LE, 0f));
      }
      a00.intoArray(y, yRow + p0);
      a01.intoArray(y, yRow + p1);
      a02.intoArray(y, yRow + p2);
      a03.intoArray(y, yRow + p3);
      a10.intoArray(y, y1 + p0);
      a11.intoArray(y, y1 + p1);
      a12.intoArray(y, y1 + p2);
      a13.intoArray(y, y1 + p3);
      a20.intoArray(y, y2 + p0);
      a21.intoArray(y, y2 + p1);
      a22.intoArray(y, y2 + p2);
      a23.intoArray(y, y2 + p3);
      a30.intoArray(y, y3 + p0);
      a31.intoArray(y, y3 + p1);
      a32.intoArray(y, y3 + p2);
      a33.intoArray(y, y3 + p3);
    }
    return p;
  }

  /**
   * y[o..o+7, 0, p] for p in [0, OW) of a 1-D convolution at least V wide: 8 output channels × 2
   * vectors (per tap and input channel 2 loads, 8 broadcasts, 16 FMAs), the weights packed so that
   * a tap's 8 are adjacent (read unpacked, each broadcast took a range check and a register move
   * of its own, and the block ran slower than 4 × 4). Alone in L1 at 16 → 16 channels, L = 128:
   * 156–163 GFLOP/s against 116–125 for 4 × 4 (this core sustains fewer 64-byte loads than
   * broadcasts of one float); in the convolution, two builds alternated in one JVM
   * ({@code AbProbe ConvPass}): 0.88–0.93 of 4 × 4's time at 8 and 16 channels. The
   * order of each output's sum is forwardRow4Wide's (taps j outer, channels c inner, from the
   * bias), so the same bits; the last block's second vector starts at OW − V as there.
   */
  private static void forwardRow8Wide(ConvShape s, int ow, float[] ws, int[] taps, float[] pw, int wp,
                                      float[] bias, int biasOff, int o, float[] y, int yRow) {
    int ckk = taps(s); // weights packed by packForward8: tap u's 8 at wp + 8u
    int last = ow - V;
    for (int p = 0; p < ow; p += 2 * V) {
      int p0 = Math.min(p, last), p1 = Math.min(p + V, last);
      FloatVector a00 = bias == null ? FloatVector.zero(S) : FloatVector.broadcast(S, bias[biasOff + o]), a01 = a00;
      FloatVector a10 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 1]), a11 = a10;
      FloatVector a20 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 2]), a21 = a20;
      FloatVector a30 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 3]), a31 = a30;
      FloatVector a40 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 4]), a41 = a40;
      FloatVector a50 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 5]), a51 = a50;
      FloatVector a60 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 6]), a61 = a60;
      FloatVector a70 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 7]), a71 = a70;
      for (int u = 0; u < ckk; u++) {
        int xi = taps[2 * u], wi = wp + 8 * u;
        FloatVector x0 = FloatVector.fromArray(S, ws, xi + p0);
        FloatVector x1 = FloatVector.fromArray(S, ws, xi + p1);
        FloatVector wk = FloatVector.broadcast(S, pw[wi]);
        a00 = wk.fma(x0, a00);
        a01 = wk.fma(x1, a01);
        wk = FloatVector.broadcast(S, pw[wi + 1]);
        a10 = wk.fma(x0, a10);
        a11 = wk.fma(x1, a11);
        wk = FloatVector.broadcast(S, pw[wi + 2]);
        a20 = wk.fma(x0, a20);
        a21 = wk.fma(x1, a21);
        wk = FloatVector.broadcast(S, pw[wi + 3]);
        a30 = wk.fma(x0, a30);
        a31 = wk.fma(x1, a31);
        wk = FloatVector.broadcast(S, pw[wi + 4]);
        a40 = wk.fma(x0, a40);
        a41 = wk.fma(x1, a41);
        wk = FloatVector.broadcast(S, pw[wi + 5]);
        a50 = wk.fma(x0, a50);
        a51 = wk.fma(x1, a51);
        wk = FloatVector.broadcast(S, pw[wi + 6]);
        a60 = wk.fma(x0, a60);
        a61 = wk.fma(x1, a61);
        wk = FloatVector.broadcast(S, pw[wi + 7]);
        a70 = wk.fma(x0, a70);
        a71 = wk.fma(x1, a71);
      }
      a00.intoArray(y, yRow + p0);
      a01.intoArray(y, yRow + p1);
      a10.intoArray(y, yRow + ow + p0);
      a11.intoArray(y, yRow + ow + p1);
      a20.intoArray(y, yRow + 2 * ow + p0);
      a21.intoArray(y, yRow + 2 * ow + p1);
      a30.intoArray(y, yRow + 3 * ow + p0);
      a31.intoArray(y, yRow + 3 * ow + p1);
      a40.intoArray(y, yRow + 4 * ow + p0);
      a41.intoArray(y, yRow + 4 * ow + p1);
      a50.intoArray(y, yRow + 5 * ow + p0);
      a51.intoArray(y, yRow + 5 * ow + p1);
      a60.intoArray(y, yRow + 6 * ow + p0);
      a61.intoArray(y, yRow + 6 * ow + p1);
      a70.intoArray(y, yRow + 7 * ow + p0);
      a71.intoArray(y, yRow + 7 * ow + p1);
    }
  }

  /**
   * {@link #forwardRow8Wide} whose results go through the next convolution's folded batch norm and ReLU
   * (oScale, oShift per output channel, as affineRelu's row kernel computes them) into rows yStride apart:
   * a pair's first convolution writing the second's padded input. A copy, not a flag in forwardRow8Wide:
   * the epilogue there made C2's code for the plain forward 10–18 % slower (AbProbe ConvPass 8 → 8).
   */
  private static void forwardRow8WideMapped(ConvShape s, int ow, float[] ws, int[] taps, float[] pw, int wp,
                                            float[] bias, int biasOff, int o, float[] y, int yRow, int yStride,
                                            float[] oScale, int oScaleOff, float[] oShift, int oShiftOff) {
    int ckk = taps(s); // weights packed by packForward8: tap u's 8 at wp + 8u
    int last = ow - V;
    for (int p = 0; p < ow; p += 2 * V) {
      int p0 = Math.min(p, last), p1 = Math.min(p + V, last);
      FloatVector a00 = bias == null ? FloatVector.zero(S) : FloatVector.broadcast(S, bias[biasOff + o]), a01 = a00;
      FloatVector a10 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 1]), a11 = a10;
      FloatVector a20 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 2]), a21 = a20;
      FloatVector a30 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 3]), a31 = a30;
      FloatVector a40 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 4]), a41 = a40;
      FloatVector a50 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 5]), a51 = a50;
      FloatVector a60 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 6]), a61 = a60;
      FloatVector a70 = bias == null ? a00 : FloatVector.broadcast(S, bias[biasOff + o + 7]), a71 = a70;
      for (int u = 0; u < ckk; u++) {
        int xi = taps[2 * u], wi = wp + 8 * u;
        FloatVector x0 = FloatVector.fromArray(S, ws, xi + p0);
        FloatVector x1 = FloatVector.fromArray(S, ws, xi + p1);
        FloatVector wk = FloatVector.broadcast(S, pw[wi]);
        a00 = wk.fma(x0, a00);
        a01 = wk.fma(x1, a01);
        wk = FloatVector.broadcast(S, pw[wi + 1]);
        a10 = wk.fma(x0, a10);
        a11 = wk.fma(x1, a11);
        wk = FloatVector.broadcast(S, pw[wi + 2]);
        a20 = wk.fma(x0, a20);
        a21 = wk.fma(x1, a21);
        wk = FloatVector.broadcast(S, pw[wi + 3]);
        a30 = wk.fma(x0, a30);
        a31 = wk.fma(x1, a31);
        wk = FloatVector.broadcast(S, pw[wi + 4]);
        a40 = wk.fma(x0, a40);
        a41 = wk.fma(x1, a41);
        wk = FloatVector.broadcast(S, pw[wi + 5]);
        a50 = wk.fma(x0, a50);
        a51 = wk.fma(x1, a51);
        wk = FloatVector.broadcast(S, pw[wi + 6]);
        a60 = wk.fma(x0, a60);
        a61 = wk.fma(x1, a61);
        wk = FloatVector.broadcast(S, pw[wi + 7]);
        a70 = wk.fma(x0, a70);
        a71 = wk.fma(x1, a71);
      }
      { // the next convolution's folded map and ReLU, as affineReluRow computes them
        FloatVector zero = FloatVector.zero(S);
        FloatVector sc0 = FloatVector.broadcast(S, oScale[oScaleOff + o]);
        FloatVector sh0 = FloatVector.broadcast(S, oShift[oShiftOff + o]);
        a00 = a00.fma(sc0, sh0);
        a00 = a00.blend(zero, a00.compare(VectorOperators.LE, 0f));
        a01 = a01.fma(sc0, sh0);
        a01 = a01.blend(zero, a01.compare(VectorOperators.LE, 0f));
        FloatVector sc1 = FloatVector.broadcast(S, oScale[oScaleOff + o + 1]);
        FloatVector sh1 = FloatVector.broadcast(S, oShift[oShiftOff + o + 1]);
        a10 = a10.fma(sc1, sh1);
        a10 = a10.blend(zero, a10.compare(VectorOperators.LE, 0f));
        a11 = a11.fma(sc1, sh1);
        a11 = a11.blend(zero, a11.compare(VectorOperators.LE, 0f));
        FloatVector sc2 = FloatVector.broadcast(S, oScale[oScaleOff + o + 2]);
        FloatVector sh2 = FloatVector.broadcast(S, oShift[oShiftOff + o + 2]);
        a20 = a20.fma(sc2, sh2);
        a20 = a20.blend(zero, a20.compare(VectorOperators.LE, 0f));
        a21 = a21.fma(sc2, sh2);
        a21 = a21.blend(zero, a21.compare(VectorOperators.LE, 0f));
        FloatVector sc3 = FloatVector.broadcast(S, oScale[oScaleOff + o + 3]);
        FloatVector sh3 = FloatVector.broadcast(S, oShift[oShiftOff + o + 3]);
        a30 = a30.fma(sc3, sh3);
        a30 = a30.blend(zero, a30.compare(VectorOperators.LE, 0f));
        a31 = a31.fma(sc3, sh3);
        a31 = a31.blend(zero, a31.compare(VectorOperators.LE, 0f));
        FloatVector sc4 = FloatVector.broadcast(S, oScale[oScaleOff + o + 4]);
        FloatVector sh4 = FloatVector.broadcast(S, oShift[oShiftOff + o + 4]);
        a40 = a40.fma(sc4, sh4);
        a40 = a40.blend(zero, a40.compare(VectorOperators.LE, 0f));
        a41 = a41.fma(sc4, sh4);
        a41 = a41.blend(zero, a41.compare(VectorOperators.LE, 0f));
        FloatVector sc5 = FloatVector.broadcast(S, oScale[oScaleOff + o + 5]);
        FloatVector sh5 = FloatVector.broadcast(S, oShift[oShiftOff + o + 5]);
        a50 = a50.fma(sc5, sh5);
        a50 = a50.blend(zero, a50.compare(VectorOperators.LE, 0f));
        a51 = a51.fma(sc5, sh5);
        a51 = a51.blend(zero, a51.compare(VectorOperators.LE, 0f));
        FloatVector sc6 = FloatVector.broadcast(S, oScale[oScaleOff + o + 6]);
        FloatVector sh6 = FloatVector.broadcast(S, oShift[oShiftOff + o + 6]);
        a60 = a60.fma(sc6, sh6);
        a60 = a60.blend(zero, a60.compare(VectorOperators.LE, 0f));
        a61 = a61.fma(sc6, sh6);
        a61 = a61.blend(zero, a61.compare(VectorOperators.LE, 0f));
        FloatVector sc7 = FloatVector.broadcast(S, oScale[oScaleOff + o + 7]);
        FloatVector sh7 = FloatVector.broadcast(S, oShift[oShiftOff + o + 7]);
        a70 = a70.fma(sc7, sh7);
        a70 = a70.blend(zero, a70.compare(VectorOperators.LE, 0f));
        a71 = a71.fma(sc7, sh7);
        a71 = a71.blend(zero, a71.compare(VectorOperators.LE, 0f));
      }
      a00.intoArray(y, yRow + p0);
      a01.intoArray(y, yRow + p1);
      a10.intoArray(y, yRow + yStride + p0);
      a11.intoArray(y, yRow + yStride + p1);
      a20.intoArray(y, yRow + 2 * yStride + p0);
      a21.intoArray(y, yRow + 2 * yStride + p1);
      a30.intoArray(y, yRow + 3 * yStride + p0);
      a31.intoArray(y, yRow + 3 * yStride + p1);
      a40.intoArray(y, yRow + 4 * yStride + p0);
      a41.intoArray(y, yRow + 4 * yStride + p1);
      a50.intoArray(y, yRow + 5 * yStride + p0);
      a51.intoArray(y, yRow + 5 * yStride + p1);
      a60.intoArray(y, yRow + 6 * yStride + p0);
      a61.intoArray(y, yRow + 6 * yStride + p1);
      a70.intoArray(y, yRow + 7 * yStride + p0);
      a71.intoArray(y, yRow + 7 * yStride + p1);
    }
  }

  // y[o..o+3, outRow, from..OW) for one sample whose padded input is at ws[0...] and packed weights at ws[wp...].
  private static void forwardRow4(ConvShape s, float[] ws, int wp, float[] bias, int biasOff,
                                  int o, int outRow, int from, float[] y, int yRow) {
    int inC = s.inChannels(), h = s.height(), kh = s.kernelH(), kw = s.kernelW();
    int ow = s.outWidth(), sW = s.strideW(), dW = s.dilationW(), dH = s.dilationH();
    int pl = phaseLength(s), rs = sW * pl, cStride = h * rs;
    int iLo = rowTapLo(s, outRow), iHi = rowTapHi(s, outRow);
    int ih0 = outRow * s.strideH() - s.padH();
    float b0 = bias == null ? 0f : bias[biasOff + o];
    float b1 = bias == null ? 0f : bias[biasOff + o + 1];
    float b2 = bias == null ? 0f : bias[biasOff + o + 2];
    float b3 = bias == null ? 0f : bias[biasOff + o + 3];
    int yStride = s.outHeight() * ow;
    int bound2 = ow - (ow - from) % (2 * V);
    int last = ow - V; // the last whole vector; see below
    int p = from;
    for (; p < bound2; p += 2 * V) {
      FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00;
      FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10;
      FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20;
      FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30;
      int wi = wp;
      for (int j = 0, r = 0, q = 0; j < kw; j++) {
        int tap = r * pl + q + p;
        for (int i = 0; i < kh; i++) {
          if (i < iLo || i >= iHi) {
            wi += 4 * inC;
            continue;
          }
          int xi = (ih0 + i * dH) * rs + tap;
          for (int c = 0; c < inC; c++, xi += cStride, wi += 4) {
            FloatVector x0 = FloatVector.fromArray(S, ws, xi);
            FloatVector x1 = FloatVector.fromArray(S, ws, xi + V);
            FloatVector w0 = FloatVector.broadcast(S, ws[wi]);
            FloatVector w1 = FloatVector.broadcast(S, ws[wi + 1]);
            FloatVector w2 = FloatVector.broadcast(S, ws[wi + 2]);
            FloatVector w3 = FloatVector.broadcast(S, ws[wi + 3]);
            a00 = w0.fma(x0, a00);
            a01 = w0.fma(x1, a01);
            a10 = w1.fma(x0, a10);
            a11 = w1.fma(x1, a11);
            a20 = w2.fma(x0, a20);
            a21 = w2.fma(x1, a21);
            a30 = w3.fma(x0, a30);
            a31 = w3.fma(x1, a31);
          }
        }
        r += dW;
        while (r >= sW) {
          r -= sW;
          q++;
        }
      }
      a00.intoArray(y, yRow + p);
      a01.intoArray(y, yRow + p + V);
      a10.intoArray(y, yRow + yStride + p);
      a11.intoArray(y, yRow + yStride + p + V);
      a20.intoArray(y, yRow + 2 * yStride + p);
      a21.intoArray(y, yRow + 2 * yStride + p + V);
      a30.intoArray(y, yRow + 3 * yStride + p);
      a31.intoArray(y, yRow + 3 * yStride + p + V);
    }
    // Single vectors to the end of the row. Where the width is not a multiple of V the last one
    // starts at OW − V and recomputes a few positions of the vector before it: the same sums in
    // the same order, so the same bits, and the row has no scalar tail (which cost 4× the whole
    // row's vector work at the paper's channel counts). A row narrower than V is one vector under
    // a mask (the lanes past the row load zeros and are not stored): the late layers of a short
    // window, whose scalar loop of one FMA chain per output made a window of 64 cost four of 256.
    VectorMask<Float> lanes = last >= 0 ? S.maskAll(true) : S.indexInRange(0, ow);
    for (; p < ow; p += V) {
      int at = Math.max(0, Math.min(p, last));
      FloatVector a0 = FloatVector.broadcast(S, b0);
      FloatVector a1 = FloatVector.broadcast(S, b1);
      FloatVector a2 = FloatVector.broadcast(S, b2);
      FloatVector a3 = FloatVector.broadcast(S, b3);
      int wi = wp;
      for (int j = 0, r = 0, q = 0; j < kw; j++) {
        int tap = r * pl + q + at;
        for (int i = 0; i < kh; i++) {
          if (i < iLo || i >= iHi) {
            wi += 4 * inC;
            continue;
          }
          int xi = (ih0 + i * dH) * rs + tap;
          for (int c = 0; c < inC; c++, xi += cStride, wi += 4) {
            FloatVector x0 = FloatVector.fromArray(S, ws, xi, lanes);
            a0 = FloatVector.broadcast(S, ws[wi]).fma(x0, a0);
            a1 = FloatVector.broadcast(S, ws[wi + 1]).fma(x0, a1);
            a2 = FloatVector.broadcast(S, ws[wi + 2]).fma(x0, a2);
            a3 = FloatVector.broadcast(S, ws[wi + 3]).fma(x0, a3);
          }
        }
        r += dW;
        while (r >= sW) {
          r -= sW;
          q++;
        }
      }
      a0.intoArray(y, yRow + at, lanes);
      a1.intoArray(y, yRow + yStride + at, lanes);
      a2.intoArray(y, yRow + 2 * yStride + at, lanes);
      a3.intoArray(y, yRow + 3 * yStride + at, lanes);
    }
  }

  // y[o, outRow, :] for a channel left over after the blocks of 4.
  private static void forwardRow1(ConvShape s, float[] xp, float[] w, int wOff, float[] bias, int biasOff,
                                  int o, int outRow, float[] y, int yRow) {
    int inC = s.inChannels(), h = s.height(), kh = s.kernelH(), kw = s.kernelW();
    int sW = s.strideW(), dW = s.dilationW(), dH = s.dilationH();
    int pl = phaseLength(s), rs = sW * pl;
    int iLo = rowTapLo(s, outRow), iHi = rowTapHi(s, outRow);
    int ih0 = outRow * s.strideH() - s.padH();
    int ow = s.outWidth();
    int wo = wOff + o * inC * kh * kw;
    float b = bias == null ? 0f : bias[biasOff + o];
    int last = ow - V; // an overlapping last vector, or one under a mask, as in forwardRow4
    VectorMask<Float> lanes = last >= 0 ? S.maskAll(true) : S.indexInRange(0, ow);
    for (int p = 0; p < ow; p += V) {
      int at = Math.max(0, Math.min(p, last));
      FloatVector a0 = FloatVector.broadcast(S, b);
      FloatVector a1 = FloatVector.zero(S);
      for (int j = 0, r = 0, q = 0; j < kw; j++) {
        int tap = r * pl + q + at;
        for (int c = 0; c < inC; c++) {
          for (int i = iLo; i < iHi; i++) {
            FloatVector x0 = FloatVector.fromArray(S, xp, (c * h + ih0 + i * dH) * rs + tap, lanes);
            // two accumulators alternate over channels to halve the FMA dependency chain
            if ((c & 1) == 0) {
              a0 = FloatVector.broadcast(S, w[wo + (c * kh + i) * kw + j]).fma(x0, a0);
            } else {
              a1 = FloatVector.broadcast(S, w[wo + (c * kh + i) * kw + j]).fma(x0, a1);
            }
          }
        }
        r += dW;
        while (r >= sW) {
          r -= sW;
          q++;
        }
      }
      a0.add(a1).intoArray(y, yRow + at, lanes);
    }
  }

  // ---------------------------------------------------------------- backward input

  @Override
  public void backwardInput(ConvShape s, int batch, float[] dy, int dyOff, float[] w, int wOff,
                            float[] dx, int dxOff, float[] ws) {
    ConvChecks.shapeAndBatch(s, batch); // before needed(s, batch) reads the shape
    ConvChecks.backwardInput(s, batch, dy, dyOff, w, wOff, dx, dxOff, ws, neededOf(s, batch));
    int outC = s.outChannels(), oh = s.outHeight(), ow = s.outWidth();
    int outSize = s.outputSize(), inSize = s.inputSize();
    int inC = s.inChannels(), h = s.height(), wd = s.width(), sW = s.strideW(), pW = s.padW();
    int dl = dyRowLength(s), padL = dyPadLeft(s), pl = phaseLength(s);
    int tmpOff = outC * oh * dl;
    int packed = tmpOff + (int) phaseRowsSize(s);
    // Blocks of 8 input channels × 2 vectors first where every phase's row is at least a vector
    // wide (the packing below is per call, so the same for every phase): wide8 channels of them.
    int narrowest = Integer.MAX_VALUE;
    for (int r = 0; r < sW; r++) {
      narrowest = Math.min(narrowest, Math.floorDiv(pW + wd - 1 - r, sW) + 1 - Math.max(0, Math.ceilDiv(pW - r, sW)));
    }
    int wide8 = wideBlocks && s.is1d() && narrowest >= V ? inC & ~7 : 0;
    packBackwardInput(s, w, wOff, ws, packed, wide8);
    int okk = outC * s.kernelH() * s.kernelW();
    // The padded dy rows' zeros, once per call: the samples' copies below overwrite only the data
    // between them (a fill per row and sample cost more than the row's copy on rows of 128).
    for (int row = 0; row < outC * oh; row++) {
      int dst = row * dl;
      zeroSpan(ws, dst, padL);
      zeroSpan(ws, dst + padL + ow, dl - padL - ow);
    }
    for (int n = 0; n < batch; n++) {
      int dyn = dyOff + n * outSize;
      for (int row = 0; row < outC * oh; row++) {
        System.arraycopy(dy, dyn + row * ow, ws, row * dl + padL, ow);
      }
      int dxn = dxOff + n * inSize;
      for (int ih = 0; ih < h; ih++) {
        for (int r = 0; r < sW; r++) {
          // input positions iw = m·sW + r − pW for m in [mLo, mHi)
          int mLo = Math.max(0, Math.ceilDiv(pW - r, sW));
          int mHi = Math.floorDiv(pW + wd - 1 - r, sW) + 1;
          if (mHi <= mLo) {
            continue;
          }
          int c = 0;
          int phaseRows = tmpOff + r * inC * pl;
          for (; c < wide8; c += 8) {
            backwardInputRow8Wide(s, dl, padL, ws, packed + c * okk, r, mLo, mHi,
                sW == 1 ? dx : ws, sW == 1 ? dxn + c * wd - pW : phaseRows + c * pl, sW == 1 ? wd : pl);
          }
          for (; c + 4 <= inC; c += 4) {
            backwardInputRow4(s, oh, dl, padL, pl, ws, packed + c * okk, c, ih, r, mLo, mHi, dx, dxn,
                phaseRows + c * pl, wideBlocks);
          }
          for (; c < inC; c++) {
            backwardInputRow1(s, ws, w, wOff, c, ih, r, mLo, mHi, dx, dxn, phaseRows + c * pl, wideBlocks);
          }
        }
        if (sW != 1) {
          interleavePhases(s, ws, tmpOff, ih, dx, dxn);
        }
      }
    }
  }

  /** The output row that kernel row i maps input row ih to, or −1 if none (stride gap or out of range). */
  private static int outRowOf(ConvShape s, int ih, int i) {
    int t = ih + s.padH() - i * s.dilationH();
    if (t < 0) {
      return -1;
    }
    int sH = s.strideH();
    if (sH != 1) {
      if (t % sH != 0) {
        return -1;
      }
      t /= sH;
    }
    return t < s.outHeight() ? t : -1;
  }

  /** ws[dst...] = for each block of 4 input channels, for i, j, o: w[o, c..c+3, i, j]. */
  // ... and the first `eights` channels (a multiple of 8, 1-D shapes) in blocks of 8: for j, o: w[o, c..c+7, 0, j]
  private static void packBackwardInput(ConvShape s, float[] w, int wOff, float[] ws, int dst, int eights) {
    int inC = s.inChannels(), outC = s.outChannels(), kh = s.kernelH(), kw = s.kernelW(), kk = kh * kw;
    int idx = dst;
    for (int c = 0; c < eights; c += 8) {
      for (int j = 0; j < kw; j++) {
        for (int o = 0; o < outC; o++) {
          int src = wOff + (o * inC + c) * kk + j;
          for (int k = 0; k < 8; k++) {
            ws[idx++] = w[src + k * kk];
          }
        }
      }
    }
    for (int c = eights; c + 4 <= inC; c += 4) {
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          for (int o = 0; o < outC; o++) {
            int src = wOff + (o * inC + c) * kk + i * kw + j;
            ws[idx++] = w[src];
            ws[idx++] = w[src + kk];
            ws[idx++] = w[src + 2 * kk];
            ws[idx++] = w[src + 3 * kk];
          }
        }
      }
    }
  }

  // dx[c..c+3, ih, m·sW + r − pW] for m in [mLo, mHi); dy is zero-padded in ws, packed weights at ws[wp...].
  // oh, dl, padL, pl: the shape's outHeight, dyRowLength, dyPadLeft, phaseLength, computed once per
  // call of backwardInput (their divisions, once per row, were a few per cent of the pass)
  private static void backwardInputRow4(ConvShape s, int oh, int dl, int padL, int pl, float[] ws, int wp, int c,
                                        int ih, int r, int mLo, int mHi, float[] dx, int dxn, int phaseRow,
                                        boolean wide) {
    int outC = s.outChannels(), kh = s.kernelH(), kw = s.kernelW();
    int sW = s.strideW(), dW = s.dilationW(), pW = s.padW(), h = s.height(), wd = s.width();
    int oStride = oh * dl;
    // sW == 1: write straight into dx rows; else into this phase's rows of the 4 channels, interleaved afterwards
    boolean direct = sW == 1;
    float[] out = direct ? dx : ws;
    int out0 = direct ? dxn + (c * h + ih) * wd - pW : phaseRow;
    int outStride = direct ? h * wd : pl;
    int from = wide && s.is1d() ? backwardInputRow4Wide(s, dl, padL, ws, wp, r, mLo, mHi, out, out0, outStride) : mLo;
    int count = mHi - from;
    int bound2 = from + count - count % (2 * V);
    int last = mHi - V; // an overlapping last vector, as in forwardRow4, that stays in [mLo, mHi)
    int m = from;
    for (; m < bound2; m += 2 * V) {
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00;
      FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      int wi = wp;
      for (int i = 0; i < kh; i++) {
        int orow = outRowOf(s, ih, i);
        if (orow < 0) {
          wi += 4 * kw * outC;
          continue;
        }
        for (int j = 0, rj = 0, qj = 0; j < kw; j++) {
          if (rj != r) {
            wi += 4 * outC;
          } else {
            int di = orow * dl + padL + m - qj;
            for (int o = 0; o < outC; o++, di += oStride, wi += 4) {
              FloatVector d0 = FloatVector.fromArray(S, ws, di);
              FloatVector d1 = FloatVector.fromArray(S, ws, di + V);
              FloatVector w0 = FloatVector.broadcast(S, ws[wi]);
              FloatVector w1 = FloatVector.broadcast(S, ws[wi + 1]);
              FloatVector w2 = FloatVector.broadcast(S, ws[wi + 2]);
              FloatVector w3 = FloatVector.broadcast(S, ws[wi + 3]);
              a00 = w0.fma(d0, a00);
              a01 = w0.fma(d1, a01);
              a10 = w1.fma(d0, a10);
              a11 = w1.fma(d1, a11);
              a20 = w2.fma(d0, a20);
              a21 = w2.fma(d1, a21);
              a30 = w3.fma(d0, a30);
              a31 = w3.fma(d1, a31);
            }
          }
          rj += dW;
          while (rj >= sW) {
            rj -= sW;
            qj++;
          }
        }
      }
      a00.intoArray(out, out0 + m);
      a01.intoArray(out, out0 + m + V);
      a10.intoArray(out, out0 + outStride + m);
      a11.intoArray(out, out0 + outStride + m + V);
      a20.intoArray(out, out0 + 2 * outStride + m);
      a21.intoArray(out, out0 + 2 * outStride + m + V);
      a30.intoArray(out, out0 + 3 * outStride + m);
      a31.intoArray(out, out0 + 3 * outStride + m + V);
    }
    // fewer than V positions: one vector under a mask, as in forwardRow4
    VectorMask<Float> lanes = last >= mLo ? S.maskAll(true) : S.indexInRange(0, mHi - mLo);
    for (; m < mHi; m += V) {
      int at = Math.max(mLo, Math.min(m, last));
      FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
      int wi = wp;
      for (int i = 0; i < kh; i++) {
        int orow = outRowOf(s, ih, i);
        if (orow < 0) {
          wi += 4 * kw * outC;
          continue;
        }
        for (int j = 0, rj = 0, qj = 0; j < kw; j++) {
          if (rj != r) {
            wi += 4 * outC;
          } else {
            int di = orow * dl + padL + at - qj;
            for (int o = 0; o < outC; o++, di += oStride, wi += 4) {
              FloatVector d0 = FloatVector.fromArray(S, ws, di, lanes);
              a0 = FloatVector.broadcast(S, ws[wi]).fma(d0, a0);
              a1 = FloatVector.broadcast(S, ws[wi + 1]).fma(d0, a1);
              a2 = FloatVector.broadcast(S, ws[wi + 2]).fma(d0, a2);
              a3 = FloatVector.broadcast(S, ws[wi + 3]).fma(d0, a3);
            }
          }
          rj += dW;
          while (rj >= sW) {
            rj -= sW;
            qj++;
          }
        }
      }
      a0.intoArray(out, out0 + at, lanes);
      a1.intoArray(out, out0 + outStride + at, lanes);
      a2.intoArray(out, out0 + 2 * outStride + at, lanes);
      a3.intoArray(out, out0 + 3 * outStride + at, lanes);
    }
  }

  /**
   * backwardInputRow4's blocks for m in [mLo, mHi) of a 1-D convolution (at least V positions): 4
   * input channels × 4 vectors (per tap and output channel 4 loads, 4 broadcasts, 16 FMAs), summed
   * in the general blocks' order (taps j outer, output channels o inner, from zero), so the same
   * bits. Returns where the general blocks continue: mHi, or mLo for fewer than V positions.
   */
  private static int backwardInputRow4Wide(ConvShape s, int dl, int padL, float[] ws, int wp, int r, int mLo,
                                           int mHi, float[] out, int out0, int outStride) {
    int outC = s.outChannels(), kw = s.kernelW(), sW = s.strideW(), dW = s.dilationW();
    int o1 = out0 + outStride, o2 = out0 + 2 * outStride, o3 = out0 + 3 * outStride;
    if (mHi - mLo < V) {
      return mLo;
    }
    int last = mHi - V; // vector k at min(m + kV, mHi − V), as in forwardRow4Wide
    int m = mLo;
    for (; m < mHi; m += 4 * V) {
      int m0 = Math.min(m, last), m1 = Math.min(m + V, last), m2 = Math.min(m + 2 * V, last);
      int m3 = Math.min(m + 3 * V, last);
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00;
      FloatVector a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
      int wi = wp;
      for (int j = 0, rj = 0, qj = 0; j < kw; j++) {
        if (rj != r) {
          wi += 4 * outC;
        } else {
          int di = padL - qj;
          for (int o = 0; o < outC; o++, di += dl, wi += 4) {
            FloatVector d0 = FloatVector.fromArray(S, ws, di + m0);
            FloatVector d1 = FloatVector.fromArray(S, ws, di + m1);
            FloatVector d2 = FloatVector.fromArray(S, ws, di + m2);
            FloatVector d3 = FloatVector.fromArray(S, ws, di + m3);
            FloatVector w0 = FloatVector.broadcast(S, ws[wi]);
            a00 = w0.fma(d0, a00);
            a01 = w0.fma(d1, a01);
            a02 = w0.fma(d2, a02);
            a03 = w0.fma(d3, a03);
            FloatVector w1 = FloatVector.broadcast(S, ws[wi + 1]);
            a10 = w1.fma(d0, a10);
            a11 = w1.fma(d1, a11);
            a12 = w1.fma(d2, a12);
            a13 = w1.fma(d3, a13);
            FloatVector w2 = FloatVector.broadcast(S, ws[wi + 2]);
            a20 = w2.fma(d0, a20);
            a21 = w2.fma(d1, a21);
            a22 = w2.fma(d2, a22);
            a23 = w2.fma(d3, a23);
            FloatVector w3 = FloatVector.broadcast(S, ws[wi + 3]);
            a30 = w3.fma(d0, a30);
            a31 = w3.fma(d1, a31);
            a32 = w3.fma(d2, a32);
            a33 = w3.fma(d3, a33);
          }
        }
        rj += dW;
        while (rj >= sW) {
          rj -= sW;
          qj++;
        }
      }
      a00.intoArray(out, out0 + m0);
      a01.intoArray(out, out0 + m1);
      a02.intoArray(out, out0 + m2);
      a03.intoArray(out, out0 + m3);
      a10.intoArray(out, o1 + m0);
      a11.intoArray(out, o1 + m1);
      a12.intoArray(out, o1 + m2);
      a13.intoArray(out, o1 + m3);
      a20.intoArray(out, o2 + m0);
      a21.intoArray(out, o2 + m1);
      a22.intoArray(out, o2 + m2);
      a23.intoArray(out, o2 + m3);
      a30.intoArray(out, o3 + m0);
      a31.intoArray(out, o3 + m1);
      a32.intoArray(out, o3 + m2);
      a33.intoArray(out, o3 + m3);
    }
    return m;
  }

  /**
   * dx[c..c+7, 0, m·sW + r − pW] for m in [mLo, mHi) (at least V positions) of a 1-D convolution,
   * into out[out0 + k·outStride + m] for channel c + k: 8 input channels × 2 vectors (per tap and
   * output channel 2 loads, 8 broadcasts, 16 FMAs), as {@link #forwardRow8Wide} is to the
   * forward's 4 × 4 blocks. Summed in backwardInputRow4Wide's order (taps j outer, output
   * channels o inner, from zero), so the same bits; weights packed 8 per (j, o) at wp.
   */
  private static void backwardInputRow8Wide(ConvShape s, int dl, int padL, float[] ws, int wp, int r, int mLo,
                                            int mHi, float[] out, int out0, int outStride) {
    int outC = s.outChannels(), kw = s.kernelW(), sW = s.strideW(), dW = s.dilationW();
    int last = mHi - V;
    for (int m = mLo; m < mHi; m += 2 * V) {
      int m0 = Math.min(m, last), m1 = Math.min(m + V, last);
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00;
      FloatVector a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00, a70 = a00, a71 = a00;
      for (int j = 0, rj = 0, qj = 0; j < kw; j++) {
        if (rj == r) {
          int wj = wp + 8 * outC * j;
          int di = padL - qj;
          for (int o = 0; o < outC; o++, di += dl) {
            int wi = wj + 8 * o;
            FloatVector d0 = FloatVector.fromArray(S, ws, di + m0);
            FloatVector d1 = FloatVector.fromArray(S, ws, di + m1);
            FloatVector wk = FloatVector.broadcast(S, ws[wi]);
            a00 = wk.fma(d0, a00);
            a01 = wk.fma(d1, a01);
            wk = FloatVector.broadcast(S, ws[wi + 1]);
            a10 = wk.fma(d0, a10);
            a11 = wk.fma(d1, a11);
            wk = FloatVector.broadcast(S, ws[wi + 2]);
            a20 = wk.fma(d0, a20);
            a21 = wk.fma(d1, a21);
            wk = FloatVector.broadcast(S, ws[wi + 3]);
            a30 = wk.fma(d0, a30);
            a31 = wk.fma(d1, a31);
            wk = FloatVector.broadcast(S, ws[wi + 4]);
            a40 = wk.fma(d0, a40);
            a41 = wk.fma(d1, a41);
            wk = FloatVector.broadcast(S, ws[wi + 5]);
            a50 = wk.fma(d0, a50);
            a51 = wk.fma(d1, a51);
            wk = FloatVector.broadcast(S, ws[wi + 6]);
            a60 = wk.fma(d0, a60);
            a61 = wk.fma(d1, a61);
            wk = FloatVector.broadcast(S, ws[wi + 7]);
            a70 = wk.fma(d0, a70);
            a71 = wk.fma(d1, a71);
          }
        }
        rj += dW;
        while (rj >= sW) {
          rj -= sW;
          qj++;
        }
      }
      a00.intoArray(out, out0 + m0);
      a01.intoArray(out, out0 + m1);
      a10.intoArray(out, out0 + outStride + m0);
      a11.intoArray(out, out0 + outStride + m1);
      a20.intoArray(out, out0 + 2 * outStride + m0);
      a21.intoArray(out, out0 + 2 * outStride + m1);
      a30.intoArray(out, out0 + 3 * outStride + m0);
      a31.intoArray(out, out0 + 3 * outStride + m1);
      a40.intoArray(out, out0 + 4 * outStride + m0);
      a41.intoArray(out, out0 + 4 * outStride + m1);
      a50.intoArray(out, out0 + 5 * outStride + m0);
      a51.intoArray(out, out0 + 5 * outStride + m1);
      a60.intoArray(out, out0 + 6 * outStride + m0);
      a61.intoArray(out, out0 + 6 * outStride + m1);
      a70.intoArray(out, out0 + 7 * outStride + m0);
      a71.intoArray(out, out0 + 7 * outStride + m1);
    }
  }

  private static void backwardInputRow1(ConvShape s, float[] ws, float[] w, int wOff, int c, int ih, int r,
                                        int mLo, int mHi, float[] dx, int dxn, int phaseRow, boolean wide) {
    int outC = s.outChannels(), oh = s.outHeight(), inC = s.inChannels(), kh = s.kernelH(), kw = s.kernelW();
    int sW = s.strideW(), dW = s.dilationW(), pW = s.padW(), h = s.height(), wd = s.width();
    int dl = dyRowLength(s), padL = dyPadLeft(s);
    boolean direct = sW == 1;
    float[] out = direct ? dx : ws;
    int out0 = direct ? dxn + (c * h + ih) * wd - pW : phaseRow;
    int m = wide && s.is1d() ? backwardInputRow1Wide(s, ws, w, wOff, c, r, mLo, mHi, out, out0) : mLo;
    int last = mHi - V; // an overlapping last vector, or one under a mask, as in backwardInputRow4
    VectorMask<Float> lanes = last >= mLo ? S.maskAll(true) : S.indexInRange(0, mHi - mLo);
    for (; m < mHi; m += V) {
      int at = Math.max(mLo, Math.min(m, last));
      FloatVector a0 = FloatVector.zero(S), a1 = a0;
      for (int o = 0; o < outC; o++) {
        for (int i = 0; i < kh; i++) {
          int orow = outRowOf(s, ih, i);
          if (orow < 0) {
            continue;
          }
          int dyRow = (o * oh + orow) * dl + padL + at;
          int wi = wOff + ((o * inC + c) * kh + i) * kw;
          for (int j = 0, rj = 0, qj = 0; j < kw; j++) {
            if (rj == r) {
              FloatVector d0 = FloatVector.fromArray(S, ws, dyRow - qj, lanes);
              // two accumulators alternate over output channels to halve the FMA dependency chain
              if ((o & 1) == 0) {
                a0 = FloatVector.broadcast(S, w[wi + j]).fma(d0, a0);
              } else {
                a1 = FloatVector.broadcast(S, w[wi + j]).fma(d0, a1);
              }
            }
            rj += dW;
            while (rj >= sW) {
              rj -= sW;
              qj++;
            }
          }
        }
      }
      a0.add(a1).intoArray(out, out0 + at, lanes);
    }
  }

  /**
   * backwardInputRow1's vectors for m in [mLo, mHi) of a 1-D convolution (at least V positions), 4
   * at a time (the stem's input gradient has one input channel, so no block of 4 channels): the
   * same two accumulators per vector, alternating over output channels, the same order, the same
   * bits. Returns where the single vectors continue: mHi, or mLo for fewer than V positions.
   */
  private static int backwardInputRow1Wide(ConvShape s, float[] ws, float[] w, int wOff, int c, int r,
                                           int mLo, int mHi, float[] out, int out0) {
    int outC = s.outChannels(), inC = s.inChannels(), kw = s.kernelW(), sW = s.strideW(), dW = s.dilationW();
    int dl = dyRowLength(s), padL = dyPadLeft(s);
    if (mHi - mLo < V) {
      return mLo;
    }
    int last = mHi - V; // vector k at min(m + kV, mHi − V), as in forwardRow4Wide
    int m = mLo;
    for (; m < mHi; m += 4 * V) {
      int m0 = Math.min(m, last), m1 = Math.min(m + V, last), m2 = Math.min(m + 2 * V, last);
      int m3 = Math.min(m + 3 * V, last);
      FloatVector e0 = FloatVector.zero(S), e1 = e0, e2 = e0, e3 = e0, f0 = e0, f1 = e0, f2 = e0, f3 = e0;
      for (int o = 0; o < outC; o++) {
        int dyRow = o * dl + padL;
        int wi = wOff + (o * inC + c) * kw;
        boolean even = (o & 1) == 0;
        for (int j = 0, rj = 0, qj = 0; j < kw; j++) {
          if (rj == r) {
            FloatVector wv = FloatVector.broadcast(S, w[wi + j]);
            int di = dyRow - qj;
            FloatVector d0 = FloatVector.fromArray(S, ws, di + m0);
            FloatVector d1 = FloatVector.fromArray(S, ws, di + m1);
            FloatVector d2 = FloatVector.fromArray(S, ws, di + m2);
            FloatVector d3 = FloatVector.fromArray(S, ws, di + m3);
            if (even) {
              e0 = wv.fma(d0, e0);
              e1 = wv.fma(d1, e1);
              e2 = wv.fma(d2, e2);
              e3 = wv.fma(d3, e3);
            } else {
              f0 = wv.fma(d0, f0);
              f1 = wv.fma(d1, f1);
              f2 = wv.fma(d2, f2);
              f3 = wv.fma(d3, f3);
            }
          }
          rj += dW;
          while (rj >= sW) {
            rj -= sW;
            qj++;
          }
        }
      }
      e0.add(f0).intoArray(out, out0 + m0);
      e1.add(f1).intoArray(out, out0 + m1);
      e2.add(f2).intoArray(out, out0 + m2);
      e3.add(f3).intoArray(out, out0 + m3);
    }
    return m;
  }

  /**
   * Lane i of ZIP_LOW / ZIP_HIGH: lanes i/2 (even i) of a and of b (odd i, exceptional indexes
   * select from b), from the low or the high half: rearranging a with them and b interleaves
   * a = (a0, a1, ...) and b = (b0, b1, ...) into (a0, b0, a1, b1, ...).
   */
  static final VectorShuffle<Float> ZIP_LOW = VectorShuffle.fromOp(S, i -> (i & 1) == 0 ? i / 2 : V + i / 2);
  static final VectorShuffle<Float> ZIP_HIGH =
      VectorShuffle.fromOp(S, i -> (i & 1) == 0 ? V / 2 + i / 2 : V + V / 2 + i / 2);

  /**
   * dx[c, ih, iw] = the phase row (r, c) at m, for iw + pW = m·sW + r: the strided stores the
   * vectors could not do. At stride 2 two phase rows are zipped a vector pair at a time (the
   * scalar scatter cost more than the stride-2 gradient's arithmetic).
   */
  private static void interleavePhases(ConvShape s, float[] ws, int rowsOff, int ih, float[] dx, int dxn) {
    int inC = s.inChannels(), h = s.height(), wd = s.width(), sW = s.strideW(), pW = s.padW();
    int pl = phaseLength(s);
    for (int c = 0; c < inC; c++) {
      int dxRow = dxn + (c * h + ih) * wd;
      int iw = 0;
      if (sW == 2) {
        int even = rowsOff + c * pl, odd = rowsOff + (inC + c) * pl;
        if ((pW & 1) == 1) {
          dx[dxRow] = ws[odd + (pW >> 1)]; // iw = 0 is phase 1; the vectors start on phase 0
          iw = 1;
        }
        int start = iw;
        for (; iw + 2 * V <= wd; iw += 2 * V) {
          int m = (iw + pW) >> 1;
          FloatVector a = FloatVector.fromArray(S, ws, even + m);
          FloatVector b = FloatVector.fromArray(S, ws, odd + m);
          a.rearrange(ZIP_LOW, b).intoArray(dx, dxRow + iw);
          a.rearrange(ZIP_HIGH, b).intoArray(dx, dxRow + iw + V);
        }
        // The row's end: one more pair that overlaps the last (the same values), starting on phase
        // 0 like the others, then at most one position; a scalar tail of up to 2V − 1 positions,
        // each with a division and a remainder, cost a third of this pass.
        int back = wd - 2 * V - ((wd - 2 * V - start) & 1);
        if (iw < wd && back >= start) {
          int m = (back + pW) >> 1;
          FloatVector a = FloatVector.fromArray(S, ws, even + m);
          FloatVector b = FloatVector.fromArray(S, ws, odd + m);
          a.rearrange(ZIP_LOW, b).intoArray(dx, dxRow + back);
          a.rearrange(ZIP_HIGH, b).intoArray(dx, dxRow + back + V);
          iw = back + 2 * V;
        }
      }
      for (; iw < wd; iw++) {
        int q = iw + pW;
        dx[dxRow + iw] = ws[rowsOff + ((q % sW) * inC + c) * pl + q / sW];
      }
    }
  }

  // ---------------------------------------------------------------- backward weights

  /** Per-thread table of the x offsets of the taps of one output row; grown, never shrunk. */
  private static final ThreadLocal<int[]> TAP_OFFSETS = ThreadLocal.withInitial(() -> new int[64]);

  @Override
  public void backwardWeights(ConvShape s, int batch, float[] x, int xOff, float[] dy, int dyOff,
                              float[] dw, int dwOff, float[] dbias, int dbiasOff, float[] ws) {
    ConvChecks.shapeAndBatch(s, batch); // before needed(s, batch) reads the shape
    ConvChecks.backwardWeights(s, batch, x, xOff, dy, dyOff, dw, dwOff, dbias, dbiasOff, ws, neededOf(s, batch));
    if (isOneD(s) && wideBlocks) {
      backwardWeights1d(s, batch, x, xOff, dy, dyOff, dw, dwOff, ws, null, 0, null, 0, null, 0, null, 0);
    } else {
      backwardWeightsRows(s, batch, x, xOff, dy, dyOff, dw, dwOff, ws);
    }
    if (dbias != null) {
      biasGradient(s, batch, dy, dyOff, dbias, dbiasOff);
    }
  }

  /**
   * The 1-D kernels at stride 1 and 2 build the input row by row in their padded copy, as batch
   * norm's forward computes it (the same lanewise operations, so the same bits): x is not touched.
   * Other shapes take the default, which writes x whole first.
   */
  @Override
  public void backwardWeightsFromBatchNormRelu(ConvShape s, int batch, float[] z, int zOff, float[] mean,
                                               int meanOff, float[] invStd, int invStdOff, float[] gamma,
                                               int gammaOff, float[] beta, int betaOff, float[] x, float[] dy,
                                               int dyOff, float[] dw, int dwOff, float[] dbias, int dbiasOff,
                                               float[] ws) {
    if (s == null || !isOneD(s) || !wideBlocks || s.strideW() > 2) {
      Convolution.super.backwardWeightsFromBatchNormRelu(s, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma,
          gammaOff, beta, betaOff, x, dy, dyOff, dw, dwOff, dbias, dbiasOff, ws);
      return;
    }
    ConvChecks.batchNormInput(s, batch, z, zOff, mean, meanOff, invStd, invStdOff, gamma, gammaOff, beta, betaOff,
        x);
    ConvChecks.backwardWeights(s, batch, z, zOff, dy, dyOff, dw, dwOff, dbias, dbiasOff, ws, neededOf(s, batch));
    backwardWeights1d(s, batch, z, zOff, dy, dyOff, dw, dwOff, ws, mean, meanOff, invStd, invStdOff, gamma, gammaOff,
        beta, betaOff);
    if (dbias != null) {
      biasGradient(s, batch, dy, dyOff, dbias, dbiasOff);
    }
  }

  /**
   * 1-D weight gradient with the accumulators in registers across a chunk of samples: the
   * chunk's padded inputs are laid out in the workspace first (sample stride C·RS), then each
   * block of 4 output channels × 4 taps runs once over the chunk's samples and positions (4 input
   * and 4 dy loads per 16 FMAs) and adds its accumulators to V partial sums per (output channel,
   * tap) in the workspace, whose lanes are summed into dw once per call. Blocks of 4 × 3 (7 loads
   * per 12 FMAs) ran 10–20 % slower in isolation, 4 × 6 spilled its 24 accumulators. (The per-row kernel below
   * reloaded and stored its 12 accumulators for every sample and row, whose rows hold only 8–64
   * vectors here; summing the lanes per chunk cost a tenth of the pass at 16 channels.)
   */
  // mean == null: x as it is; else x rebuilt per input channel c as max(fma((x − mean)·invStd, gamma, beta), 0)
  private static void backwardWeights1d(ConvShape s, int batch, float[] x, int xOff, float[] dy, int dyOff,
                                        float[] dw, int dwOff, float[] ws, float[] mean, int meanOff,
                                        float[] invStd, int invStdOff, float[] gamma, int gammaOff, float[] beta,
                                        int betaOff) {
    if (channelVectors(s)) {
      backwardWeightsOverChannels(s, batch, x, xOff, dy, dyOff, dw, dwOff, ws, mean, meanOff, invStd, invStdOff,
          gamma, gammaOff, beta, betaOff);
      return;
    }
    int outC = s.outChannels(), ow = s.outWidth(), taps = taps(s), tp = paddedTaps(s), outSize = s.outputSize();
    int sample = (int) paddedInputSize(s);
    int chunk = weightChunk(s, batch), part = chunk * sample;
    Arrays.fill(ws, part, part + outC * tp * V, 0f);
    int[] offs = TAP_OFFSETS.get();
    if (offs.length < taps + 3) {
      offs = new int[Math.max(taps + 3, 2 * offs.length)];
      TAP_OFFSETS.set(offs);
    }
    tapOffsets(s, 0, 0, offs); // the three dummy taps read sample 0's first row; their slots are never summed
    for (int n = 0; n < chunk; n++) {
      zeroPadding(s, ws, n * sample);
    }
    for (int n0 = 0; n0 < batch; n0 += chunk) {
      int nb = Math.min(chunk, batch - n0);
      for (int n = 0; n < nb; n++) {
        if (mean == null) {
          fillData(s, x, xOff + (n0 + n) * s.inputSize(), ws, n * sample);
        } else {
          fillDataNormalizedRelu(s, x, xOff + (n0 + n) * s.inputSize(), ws, n * sample, mean, meanOff, invStd,
              invStdOff, gamma, gammaOff, beta, betaOff);
        }
      }
      int dyChunk = dyOff + n0 * outSize;
      for (int t = 0; t < taps; t += 4) {
        int used = Math.min(4, taps - t);
        int o = 0;
        for (; o + 4 <= outC; o += 4) {
          weightsBatch4(ws, sample, dy, dyChunk + o * ow, outSize, ow, nb, offs[t], offs[t + 1], offs[t + 2],
              offs[t + 3], used, part + (o * tp + t) * V, tp * V);
        }
        for (; o < outC; o++) {
          for (int u = 0; u < used; u++) {
            weightSum(ws, sample, offs[t + u], dy, dyChunk + o * ow, outSize, ow, nb, part + (o * tp + t + u) * V);
          }
        }
      }
    }
    for (int o = 0; o < outC; o++) {
      for (int t = 0; t < taps; t++) {
        dw[dwOff + o * taps + t] += laneSum(ws, part + (o * tp + t) * V);
      }
    }
  }

  /**
   * Whether backwardWeights1d takes {@link #backwardWeightsOverChannels}: stride 1, kernel 3, no
   * dilation, input channels a multiple of V and output channels of 8 (the DRSN's 16 → 16 units).
   */
  private static boolean channelVectors(ConvShape s) {
    return s.strideW() == 1 && s.dilationW() == 1 && s.kernelW() == 3 && s.inChannels() % V == 0
        && s.outChannels() % 8 == 0;
  }

  /** Per-thread gather map {0, W, 2W, …}: lane c reads channel c of a sample's rows; grown, never shrunk. */
  private static final ThreadLocal<int[]> CHANNEL_MAP = ThreadLocal.withInitial(() -> new int[V]);

  /**
   * The 1-D weight gradient with vectors across V input channels instead of positions: each
   * sample's input is gathered transposed, xT[pos][c] (V channels per vector, the padding rows zero),
   * and a block of 8 output channels × 3 taps keeps 24 accumulators, dw[o, c.., j] += dy[o, p] ·
   * xT[p + j] (per position 1 load, 8 broadcasts, 24 FMAs; the taps' vectors roll along, xT[p + 2]
   * becoming the next position's xT[p + 1]). No lane sums: lane c of an accumulator is input channel
   * c's weight. The blocks of 4 positions × 4 taps before loaded 8 vectors per 16 FMAs and ran at
   * 0.42–0.46 of the peak alone in L1; this one at 0.70–0.74, 0.58 with the gather (16 → 16, L =
   * 128, batch 32). Each sample's sums are added to the V-wide partial sums in the workspace (as
   * many terms per chain as positions, so the rounding stays that of a per-sample sum), in sample
   * order: the order depends on the shape and batch only. With mean != null, x is rebuilt as batch
   * norm computes it, lane c with channel c's statistics: the same lanewise operations, so the
   * same bits as {@link #fillDataNormalizedRelu}.
   */
  private static void backwardWeightsOverChannels(ConvShape s, int batch, float[] x, int xOff, float[] dy,
                                                  int dyOff, float[] dw, int dwOff, float[] ws, float[] mean,
                                                  int meanOff, float[] invStd, int invStdOff, float[] gamma,
                                                  int gammaOff, float[] beta, int betaOff) {
    int inC = s.inChannels(), outC = s.outChannels(), wd = s.width(), pW = s.padW(), ow = s.outWidth();
    int rs = wd + 2 * pW, groups = inC / V, outSize = s.outputSize(), inSize = s.inputSize();
    int part = groups * rs * V; // xT: per group rs rows of V; then the partial sums, [o][group][tap][V]
    Arrays.fill(ws, part, part + outC * groups * 3 * V, 0f);
    for (int g = 0; g < groups; g++) {
      int at = g * rs * V;
      Arrays.fill(ws, at, at + pW * V, 0f);
      Arrays.fill(ws, at + (pW + wd) * V, at + rs * V, 0f);
    }
    int[] map = CHANNEL_MAP.get();
    for (int c = 0; c < V; c++) {
      map[c] = c * wd;
    }
    for (int n = 0; n < batch; n++) {
      int xn = xOff + n * inSize;
      for (int g = 0; g < groups; g++) {
        int src = xn + g * V * wd, dst = (g * rs + pW) * V;
        if (mean == null) {
          for (int i = 0; i < wd; i++) {
            FloatVector.fromArray(S, x, src + i, map, 0).intoArray(ws, dst + i * V);
          }
        } else {
          FloatVector m = FloatVector.fromArray(S, mean, meanOff + g * V);
          FloatVector is = FloatVector.fromArray(S, invStd, invStdOff + g * V);
          FloatVector ga = FloatVector.fromArray(S, gamma, gammaOff + g * V);
          FloatVector be = FloatVector.fromArray(S, beta, betaOff + g * V);
          FloatVector zero = FloatVector.zero(S);
          for (int i = 0; i < wd; i++) {
            FloatVector v = FloatVector.fromArray(S, x, src + i, map, 0).sub(m).mul(is).fma(ga, be);
            v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(ws, dst + i * V); // max(v, 0), see relu
          }
        }
      }
      int dyn = dyOff + n * outSize;
      for (int o = 0; o < outC; o += 8) {
        for (int g = 0; g < groups; g++) {
          weightsOverChannels8(ws, g * rs * V, dy, dyn + o * ow, ow, part + (o * groups + g) * 3 * V, groups * 3 * V);
        }
      }
    }
    for (int o = 0; o < outC; o++) {
      for (int g = 0; g < groups; g++) {
        for (int j = 0; j < 3; j++) {
          int sums = part + ((o * groups + g) * 3 + j) * V;
          for (int c = 0; c < V; c++) {
            dw[dwOff + (o * inC + g * V + c) * 3 + j] += ws[sums + c];
          }
        }
      }
    }
  }

  // ws[part + k·kStride + j·V ..] += Σ_p dy[o + k, p] · xT[p + j] for k < 8, j < 3 (xT rows of V at ws[xt...])
  private static void weightsOverChannels8(float[] ws, int xt, float[] dy, int d0, int ow, int part, int kStride) {
    FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00, a20 = a00;
    FloatVector a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00, a40 = a00, a41 = a00, a42 = a00, a50 = a00;
    FloatVector a51 = a00, a52 = a00, a60 = a00, a61 = a00, a62 = a00, a70 = a00, a71 = a00, a72 = a00;
    FloatVector x0 = FloatVector.fromArray(S, ws, xt);
    FloatVector x1 = FloatVector.fromArray(S, ws, xt + V);
    for (int p = 0; p < ow; p++) {
      FloatVector x2 = FloatVector.fromArray(S, ws, xt + (p + 2) * V);
      FloatVector d = FloatVector.broadcast(S, dy[d0 + p]);
      a00 = d.fma(x0, a00);
      a01 = d.fma(x1, a01);
      a02 = d.fma(x2, a02);
      d = FloatVector.broadcast(S, dy[d0 + ow + p]);
      a10 = d.fma(x0, a10);
      a11 = d.fma(x1, a11);
      a12 = d.fma(x2, a12);
      d = FloatVector.broadcast(S, dy[d0 + 2 * ow + p]);
      a20 = d.fma(x0, a20);
      a21 = d.fma(x1, a21);
      a22 = d.fma(x2, a22);
      d = FloatVector.broadcast(S, dy[d0 + 3 * ow + p]);
      a30 = d.fma(x0, a30);
      a31 = d.fma(x1, a31);
      a32 = d.fma(x2, a32);
      d = FloatVector.broadcast(S, dy[d0 + 4 * ow + p]);
      a40 = d.fma(x0, a40);
      a41 = d.fma(x1, a41);
      a42 = d.fma(x2, a42);
      d = FloatVector.broadcast(S, dy[d0 + 5 * ow + p]);
      a50 = d.fma(x0, a50);
      a51 = d.fma(x1, a51);
      a52 = d.fma(x2, a52);
      d = FloatVector.broadcast(S, dy[d0 + 6 * ow + p]);
      a60 = d.fma(x0, a60);
      a61 = d.fma(x1, a61);
      a62 = d.fma(x2, a62);
      d = FloatVector.broadcast(S, dy[d0 + 7 * ow + p]);
      a70 = d.fma(x0, a70);
      a71 = d.fma(x1, a71);
      a72 = d.fma(x2, a72);
      x0 = x1;
      x1 = x2;
    }
    // added here, not in a helper: a vector passed to a call C2 does not inline is boxed
    int k = part;
    a00.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a01.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a02.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
    k += kStride;
    a10.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a11.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a12.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
    k += kStride;
    a20.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a21.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a22.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
    k += kStride;
    a30.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a31.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a32.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
    k += kStride;
    a40.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a41.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a42.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
    k += kStride;
    a50.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a51.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a52.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
    k += kStride;
    a60.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a61.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a62.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
    k += kStride;
    a70.add(FloatVector.fromArray(S, ws, k)).intoArray(ws, k);
    a71.add(FloatVector.fromArray(S, ws, k + V)).intoArray(ws, k + V);
    a72.add(FloatVector.fromArray(S, ws, k + 2 * V)).intoArray(ws, k + 2 * V);
  }

  /** Floats of padded input and dy that one chunk of backwardWeights1d keeps hot: 256 KiB, a quarter of an L2. */
  private static final int WEIGHT_CHUNK_FLOATS = 1 << 16;

  /**
   * Samples per chunk of backwardWeights1d: as many as fit {@link #WEIGHT_CHUNK_FLOATS} (at least
   * one). Whole-batch accumulators streamed the padded input from L3 at N = 128 (slower than
   * the per-sample kernel); the chunk depends on the shape and batch only, so the sums' order
   * does too.
   */
  private static int weightChunk(ConvShape s, int batch) {
    long perSample = paddedInputSize(s) + (long) s.outputSize();
    return (int) Math.max(1, Math.min(batch, WEIGHT_CHUNK_FLOATS / perSample));
  }


  // part[k, u] += Σ_{n, p} dy[n, o + k, p] · xp_n[x_u + p] for k < 4, u < 4, V partial sums each
  // (slot (k, u) at ws[part + k·kStride + u·V]); the tail positions only for u < used
  private static void weightsBatch4(float[] ws, int sample, float[] dy, int dy0, int dySample, int ow, int batch,
                                    int x0, int x1, int x2, int x3, int used, int part, int kStride) {
    FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00;
    FloatVector a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    int bound = S.loopBound(ow);
    for (int n = 0, xs = 0, ds = dy0; n < batch; n++, xs += sample, ds += dySample) {
      for (int p = 0; p < bound; p += V) {
        FloatVector d0 = FloatVector.fromArray(S, dy, ds + p);
        FloatVector d1 = FloatVector.fromArray(S, dy, ds + ow + p);
        FloatVector d2 = FloatVector.fromArray(S, dy, ds + 2 * ow + p);
        FloatVector d3 = FloatVector.fromArray(S, dy, ds + 3 * ow + p);
        FloatVector x = FloatVector.fromArray(S, ws, xs + x0 + p);
        a00 = d0.fma(x, a00);
        a10 = d1.fma(x, a10);
        a20 = d2.fma(x, a20);
        a30 = d3.fma(x, a30);
        x = FloatVector.fromArray(S, ws, xs + x1 + p);
        a01 = d0.fma(x, a01);
        a11 = d1.fma(x, a11);
        a21 = d2.fma(x, a21);
        a31 = d3.fma(x, a31);
        x = FloatVector.fromArray(S, ws, xs + x2 + p);
        a02 = d0.fma(x, a02);
        a12 = d1.fma(x, a12);
        a22 = d2.fma(x, a22);
        a32 = d3.fma(x, a32);
        x = FloatVector.fromArray(S, ws, xs + x3 + p);
        a03 = d0.fma(x, a03);
        a13 = d1.fma(x, a13);
        a23 = d2.fma(x, a23);
        a33 = d3.fma(x, a33);
      }
    }
    // Added to the partial sums in the workspace here: a vector passed to a call that C2 does not
    // inline (this method is large) is boxed, an allocation per call.
    int k1 = kStride, k2 = 2 * kStride, k3 = 3 * kStride;
    a00.add(FloatVector.fromArray(S, ws, part)).intoArray(ws, part);
    a01.add(FloatVector.fromArray(S, ws, part + V)).intoArray(ws, part + V);
    a02.add(FloatVector.fromArray(S, ws, part + 2 * V)).intoArray(ws, part + 2 * V);
    a03.add(FloatVector.fromArray(S, ws, part + 3 * V)).intoArray(ws, part + 3 * V);
    a10.add(FloatVector.fromArray(S, ws, part + k1)).intoArray(ws, part + k1);
    a11.add(FloatVector.fromArray(S, ws, part + k1 + V)).intoArray(ws, part + k1 + V);
    a12.add(FloatVector.fromArray(S, ws, part + k1 + 2 * V)).intoArray(ws, part + k1 + 2 * V);
    a13.add(FloatVector.fromArray(S, ws, part + k1 + 3 * V)).intoArray(ws, part + k1 + 3 * V);
    a20.add(FloatVector.fromArray(S, ws, part + k2)).intoArray(ws, part + k2);
    a21.add(FloatVector.fromArray(S, ws, part + k2 + V)).intoArray(ws, part + k2 + V);
    a22.add(FloatVector.fromArray(S, ws, part + k2 + 2 * V)).intoArray(ws, part + k2 + 2 * V);
    a23.add(FloatVector.fromArray(S, ws, part + k2 + 3 * V)).intoArray(ws, part + k2 + 3 * V);
    a30.add(FloatVector.fromArray(S, ws, part + k3)).intoArray(ws, part + k3);
    a31.add(FloatVector.fromArray(S, ws, part + k3 + V)).intoArray(ws, part + k3 + V);
    a32.add(FloatVector.fromArray(S, ws, part + k3 + 2 * V)).intoArray(ws, part + k3 + 2 * V);
    a33.add(FloatVector.fromArray(S, ws, part + k3 + 3 * V)).intoArray(ws, part + k3 + 3 * V);
    addMaskedTails(ws, sample, x0, x1, x2, Math.min(used, 3), dy, dy0, ow, dySample, 4, batch, ow, part, kStride);
    if (used == 4) {
      addMaskedTails(ws, sample, x3, x3, x3, 1, dy, dy0, ow, dySample, 4, batch, ow, part + 3 * V, kStride);
    }
  }

  /** Σ of the V floats at ws[at...] in lane order (the weight gradients' partial sums, one per weight; see {@link Lanes}). */
  private static float laneSum(float[] ws, int at) {
    float sum = ws[at];
    for (int i = 1; i < V; i++) {
      sum += ws[at + i];
    }
    return sum;
  }

  // ws[part..] += Σ_{n, p} dy[n, o, p] · xp_n[x0 + p] (V partial sums) for an output channel left
  // over after the blocks of 4.
  private static void weightSum(float[] ws, int sample, int x0, float[] dy, int dy0, int dySample, int ow,
                                int batch, int part) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0;
    int bound = S.loopBound(ow);
    for (int n = 0, xs = x0, ds = dy0; n < batch; n++, xs += sample, ds += dySample) {
      int p = 0;
      // two accumulators alternate over vectors to halve the FMA dependency chain
      for (; p + 2 * V <= bound; p += 2 * V) {
        a0 = FloatVector.fromArray(S, dy, ds + p).fma(FloatVector.fromArray(S, ws, xs + p), a0);
        a1 = FloatVector.fromArray(S, dy, ds + p + V).fma(FloatVector.fromArray(S, ws, xs + p + V), a1);
      }
      if (p < bound) {
        a0 = FloatVector.fromArray(S, dy, ds + p).fma(FloatVector.fromArray(S, ws, xs + p), a0);
      }
    }
    a0.add(a1).add(FloatVector.fromArray(S, ws, part)).intoArray(ws, part);
    addMaskedTails(ws, sample, x0, x0, x0, 1, dy, dy0, ow, dySample, 1, batch, ow, part, 0);
  }

  private static void backwardWeightsRows(ConvShape s, int batch, float[] x, int xOff, float[] dy, int dyOff,
                                          float[] dw, int dwOff, float[] ws) {
    int outC = s.outChannels(), oh = s.outHeight(), ow = s.outWidth(), outSize = s.outputSize();
    int taps = taps(s), slots = taps + 2;
    int zeroOff = (int) paddedInputSize(s);
    int accOff = zeroOff + zeroRowLength(s);
    Arrays.fill(ws, zeroOff, accOff + outC * slots * V, 0f);
    int[] offs = TAP_OFFSETS.get();
    if (offs.length < slots + 1) {
      offs = new int[Math.max(slots + 1, 2 * offs.length)];
      TAP_OFFSETS.set(offs);
    }
    int plane = oh * ow;
    zeroPadding(s, ws, 0);
    for (int n = 0; n < batch; n++) {
      fillData(s, x, xOff + n * s.inputSize(), ws, 0);
      int dyn = dyOff + n * outSize;
      for (int outRow = 0; outRow < oh; outRow++) {
        tapOffsets(s, outRow, zeroOff, offs);
        for (int t = 0; t < taps; t += 3) {
          int o = 0;
          for (; o + 4 <= outC; o += 4) {
            weightsKernel4(ws, dy, dyn + o * plane + outRow * ow, plane, offs[t], offs[t + 1], offs[t + 2],
                accOff + (o * slots + t) * V, slots, ow);
          }
          for (; o < outC; o++) {
            weightsKernel1(ws, dy, dyn + o * plane + outRow * ow, offs[t], offs[t + 1], offs[t + 2],
                accOff + (o * slots + t) * V, ow);
          }
        }
      }
    }
    for (int o = 0; o < outC; o++) {
      for (int t = 0; t < taps; t++) {
        dw[dwOff + o * taps + t] += laneSum(ws, accOff + (o * slots + t) * V);
      }
    }
  }

  /**
   * offs[t] = offset in xp of tap t = (c·KH + i)·KW + j for output row outRow, or the zero row
   * where kernel row i falls into the vertical padding; offs[taps..taps + 2] are dummy taps on the
   * zero row that pad the last group (of 3 in the rows path, of 4 in the 1-D one).
   */
  private static void tapOffsets(ConvShape s, int outRow, int zeroOff, int[] offs) {
    int inC = s.inChannels(), h = s.height(), kh = s.kernelH(), kw = s.kernelW();
    int sW = s.strideW(), dW = s.dilationW(), pl = phaseLength(s), rs = sW * pl;
    int ih0 = outRow * s.strideH() - s.padH();
    int t = 0;
    for (int c = 0; c < inC; c++) {
      for (int i = 0; i < kh; i++) {
        int ih = ih0 + i * s.dilationH();
        boolean inside = ih >= 0 && ih < h;
        int rowOff = (c * h + ih) * rs;
        for (int j = 0, rj = 0, qj = 0; j < kw; j++, t++) {
          offs[t] = inside ? rowOff + rj * pl + qj : zeroOff;
          rj += dW;
          while (rj >= sW) {
            rj -= sW;
            qj++;
          }
        }
      }
    }
    offs[t] = zeroOff;
    offs[t + 1] = zeroOff;
    offs[t + 2] = zeroOff;
  }

  // acc[k, u] += Σ_ow dy[o + k, ow] · xp[x_u + ow], for k < 4 output channels and u < 3 taps;
  // acc slot (k, u) is V floats at acc + (k·slots + u)·V.
  private static void weightsKernel4(float[] ws, float[] dy, int dy0, int dyStride, int x0, int x1, int x2,
                                     int acc, int slots, int ow) {
    int k1 = slots * V, k2 = 2 * k1, k3 = 3 * k1;
    FloatVector a00 = FloatVector.fromArray(S, ws, acc);
    FloatVector a01 = FloatVector.fromArray(S, ws, acc + V);
    FloatVector a02 = FloatVector.fromArray(S, ws, acc + 2 * V);
    FloatVector a10 = FloatVector.fromArray(S, ws, acc + k1);
    FloatVector a11 = FloatVector.fromArray(S, ws, acc + k1 + V);
    FloatVector a12 = FloatVector.fromArray(S, ws, acc + k1 + 2 * V);
    FloatVector a20 = FloatVector.fromArray(S, ws, acc + k2);
    FloatVector a21 = FloatVector.fromArray(S, ws, acc + k2 + V);
    FloatVector a22 = FloatVector.fromArray(S, ws, acc + k2 + 2 * V);
    FloatVector a30 = FloatVector.fromArray(S, ws, acc + k3);
    FloatVector a31 = FloatVector.fromArray(S, ws, acc + k3 + V);
    FloatVector a32 = FloatVector.fromArray(S, ws, acc + k3 + 2 * V);
    int bound = S.loopBound(ow);
    for (int p = 0; p < bound; p += V) {
      FloatVector xa = FloatVector.fromArray(S, ws, x0 + p);
      FloatVector xb = FloatVector.fromArray(S, ws, x1 + p);
      FloatVector xc = FloatVector.fromArray(S, ws, x2 + p);
      FloatVector d = FloatVector.fromArray(S, dy, dy0 + p);
      a00 = d.fma(xa, a00);
      a01 = d.fma(xb, a01);
      a02 = d.fma(xc, a02);
      d = FloatVector.fromArray(S, dy, dy0 + dyStride + p);
      a10 = d.fma(xa, a10);
      a11 = d.fma(xb, a11);
      a12 = d.fma(xc, a12);
      d = FloatVector.fromArray(S, dy, dy0 + 2 * dyStride + p);
      a20 = d.fma(xa, a20);
      a21 = d.fma(xb, a21);
      a22 = d.fma(xc, a22);
      d = FloatVector.fromArray(S, dy, dy0 + 3 * dyStride + p);
      a30 = d.fma(xa, a30);
      a31 = d.fma(xb, a31);
      a32 = d.fma(xc, a32);
    }
    a00.intoArray(ws, acc);
    a01.intoArray(ws, acc + V);
    a02.intoArray(ws, acc + 2 * V);
    a10.intoArray(ws, acc + k1);
    a11.intoArray(ws, acc + k1 + V);
    a12.intoArray(ws, acc + k1 + 2 * V);
    a20.intoArray(ws, acc + k2);
    a21.intoArray(ws, acc + k2 + V);
    a22.intoArray(ws, acc + k2 + 2 * V);
    a30.intoArray(ws, acc + k3);
    a31.intoArray(ws, acc + k3 + V);
    a32.intoArray(ws, acc + k3 + 2 * V);
    addMaskedTails(ws, 0, x0, x1, x2, 3, dy, dy0, dyStride, 0, 4, 1, ow, acc, k1);
  }

  private static void weightsKernel1(float[] ws, float[] dy, int dy0, int x0, int x1, int x2, int acc, int ow) {
    FloatVector a0 = FloatVector.fromArray(S, ws, acc);
    FloatVector a1 = FloatVector.fromArray(S, ws, acc + V);
    FloatVector a2 = FloatVector.fromArray(S, ws, acc + 2 * V);
    int bound = S.loopBound(ow);
    for (int p = 0; p < bound; p += V) {
      FloatVector d = FloatVector.fromArray(S, dy, dy0 + p);
      a0 = d.fma(FloatVector.fromArray(S, ws, x0 + p), a0);
      a1 = d.fma(FloatVector.fromArray(S, ws, x1 + p), a1);
      a2 = d.fma(FloatVector.fromArray(S, ws, x2 + p), a2);
    }
    a0.intoArray(ws, acc);
    a1.intoArray(ws, acc + V);
    a2.intoArray(ws, acc + 2 * V);
    addMaskedTails(ws, 0, x0, x1, x2, 3, dy, dy0, 0, 0, 1, 1, ow, acc, 0);
  }

  /**
   * The weight gradients' last partial vector of every row, positions [⌊OW/V⌋·V, OW): adds
   * Σ_n dy[n, o + k, p] · xp_n[x_u + p] to the V partial sums at ws[acc + k·kStride + u·V], for
   * k < channels and u < taps (sample n's input at n·xStride in ws, its dy at dy0 + n·dySample,
   * channel k's at + k·dyStride). Each load is the whole vector that ends at the row's end (in the
   * arrays, so no bounds slow path), masked to those positions: the other lanes read zeros, not
   * their neighbours' values, which may be anything (0·NaN is NaN). A scalar tail cost several
   * times a row's vector work at widths like 250; the same masked code inside weightsBatch4's hot
   * loop made C2 deoptimise and recompile it mid-run, so it runs here, on the sums in the workspace.
   */
  private static void addMaskedTails(float[] ws, int xStride, int x0, int x1, int x2, int taps, float[] dy,
                                     int dy0, int dyStride, int dySample, int channels, int batch, int ow,
                                     int acc, int kStride) {
    int bound = S.loopBound(ow);
    if (bound == ow) {
      return;
    }
    int at = ow >= V ? ow - V : 0; // where the loaded vectors start; rows narrower than V read past their end, masked
    VectorMask<Float> tail = S.indexInRange(at - bound, ow - bound);
    for (int k = 0; k < channels; k++) {
      int slot = acc + k * kStride;
      FloatVector s0 = FloatVector.fromArray(S, ws, slot);
      FloatVector s1 = taps > 1 ? FloatVector.fromArray(S, ws, slot + V) : s0;
      FloatVector s2 = taps > 2 ? FloatVector.fromArray(S, ws, slot + 2 * V) : s0;
      for (int n = 0; n < batch; n++) {
        int xs = n * xStride + at;
        FloatVector d = FloatVector.fromArray(S, dy, dy0 + n * dySample + k * dyStride + at, tail);
        s0 = d.fma(FloatVector.fromArray(S, ws, xs + x0, tail), s0);
        if (taps > 1) {
          s1 = d.fma(FloatVector.fromArray(S, ws, xs + x1, tail), s1);
        }
        if (taps > 2) {
          s2 = d.fma(FloatVector.fromArray(S, ws, xs + x2, tail), s2);
        }
      }
      s0.intoArray(ws, slot);
      if (taps > 1) {
        s1.intoArray(ws, slot + V);
      }
      if (taps > 2) {
        s2.intoArray(ws, slot + 2 * V);
      }
    }
  }

  // dbias[o] += Σ_{n, oh, ow} dy[n, o, oh, ow]
  private static void biasGradient(ConvShape s, int batch, float[] dy, int dyOff, float[] dbias, int dbiasOff) {
    int plane = s.outHeight() * s.outWidth(), outC = s.outChannels();
    int o = 0;
    // Four channels at a time: each channel's sum is one chain of vector adds in row order (the
    // same bits as alone), but one chain waits on the add's latency; four run side by side.
    for (; o + 4 <= outC; o += 4) {
      channelSums4(plane, s.outputSize(), batch, dy, dyOff + o * plane, dbias, dbiasOff + o);
    }
    for (; o < outC; o++) {
      FloatVector acc = FloatVector.zero(S);
      float tail = 0f;
      for (int n = 0; n < batch; n++) {
        int row = dyOff + n * s.outputSize() + o * plane;
        int p = 0;
        for (; p < S.loopBound(plane); p += V) {
          acc = acc.add(FloatVector.fromArray(S, dy, row + p));
        }
        for (; p < plane; p++) {
          tail += dy[row + p];
        }
      }
      float[] lanes = LANES.get();
      acc.intoArray(lanes, 0);
      dbias[dbiasOff + o] += laneSum(lanes, 0) + tail;
    }
  }

  /** Per-thread place for accumulators whose lanes are summed in lane order ({@link #laneSum}; no vector leaves a method). */
  private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[4 * V]);

  // dbias[at + k] += Σ_n Σ_p dy[d0 + n·sample + k·plane + p] for k < 4, each as biasGradient sums one channel
  private static void channelSums4(int plane, int sample, int batch, float[] dy, int d0, float[] dbias, int at) {
    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
    float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f;
    int bound = S.loopBound(plane);
    for (int n = 0; n < batch; n++) {
      int r0 = d0 + n * sample, r1 = r0 + plane, r2 = r1 + plane, r3 = r2 + plane;
      int p = 0;
      for (; p < bound; p += V) {
        a0 = a0.add(FloatVector.fromArray(S, dy, r0 + p));
        a1 = a1.add(FloatVector.fromArray(S, dy, r1 + p));
        a2 = a2.add(FloatVector.fromArray(S, dy, r2 + p));
        a3 = a3.add(FloatVector.fromArray(S, dy, r3 + p));
      }
      for (; p < plane; p++) {
        t0 += dy[r0 + p];
        t1 += dy[r1 + p];
        t2 += dy[r2 + p];
        t3 += dy[r3 + p];
      }
    }
    float[] lanes = LANES.get();
    a0.intoArray(lanes, 0);
    a1.intoArray(lanes, V);
    a2.intoArray(lanes, 2 * V);
    a3.intoArray(lanes, 3 * V);
    dbias[at] += laneSum(lanes, 0) + t0;
    dbias[at + 1] += laneSum(lanes, V) + t1;
    dbias[at + 2] += laneSum(lanes, 2 * V) + t2;
    dbias[at + 3] += laneSum(lanes, 3 * V) + t3;
  }



}
