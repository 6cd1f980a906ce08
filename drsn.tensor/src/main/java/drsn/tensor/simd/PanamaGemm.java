package drsn.tensor.simd;

import drsn.tensor.Gemm;
import drsn.tensor.internal.GemmChecks;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM on the Java Vector API: packed panels, cache blocking and a register-blocked FMA
 * micro-kernel, in the manner of GotoBLAS/BLIS.
 *
 * <pre>
 *   C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C[m×n]        (row-major, see {@link Gemm})
 *
 *   for jc in 0..n step NC                      B block  KC×NC  packed once per (jc, pc), L2/L3
 *     for pc in 0..k step KC                     A block  MC×KC  packed once per (ic, pc), L2
 *       pack B[pc:pc+KC, jc:jc+NC] -> NR-wide micro-panels, each KC×NR, zero-padded on the right
 *       for ic in 0..m step MC
 *         pack A[ic:ic+MC, pc:pc+KC] -> MR-tall micro-panels, each KC×MR, zero-padded below
 *         for jr in 0..NC step NR                 B micro-panel stays in L1 across ir
 *           for ir in 0..MC step MR
 *             micro-kernel: tile[MR×NR] = Σ_p  Apanel[p, 0:MR]ᵀ ⊗ Bpanel[p, 0:NR]   (MR·NRV FMA accumulators)
 *             C[ir.., jr..] = alpha·tile + (pc == 0 ? beta : 1)·C   (only the valid mr×nr part)
 * </pre>
 *
 * <p>NR = {@value #NRV} vectors of {@code SPECIES_PREFERRED} (48 floats on AVX-512, 24 on AVX2);
 * MR = {@value #MR}. Transposes are absorbed by the packing routines, so one micro-kernel serves all
 * four transpose combinations. When B is not transposed and A is short (the convolution shapes:
 * few output channels, long rows), B is not packed: the kernel reads its rows in place, because
 * each B element is used only m times and packing it would cost as much as the arithmetic.
 *
 * <p>Every element of C is the same chain of operations whatever path or tile it falls in:
 * {@code acc = fma(a[p], b[p], acc)} for p through each KC block of k from 0, then
 * {@code c = alpha·acc} (beta == 0, first block) or {@code c = fma(acc, alpha, beta·c)}
 * (later blocks use beta = 1). The parallel version only splits C into disjoint column or row
 * ranges, so its result is bit-identical to the single-threaded one.
 *
 * <p>Packing buffers live in a per-thread workspace that grows on demand; a call allocates nothing
 * once its thread has seen a problem as large.
 */
public final class PanamaGemm implements Gemm {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Rows of the micro-kernel tile. */
  static final int MR = 8;
  /** Vectors per row of the micro-kernel tile. */
  static final int NRV = 3;
  /** Columns of the micro-kernel tile. */
  static final int NR = NRV * VL;
  /** Depth of a packed block: a KC×NR micro-panel of B should stay in L1. */
  static final int KC = Integer.getInteger("drsn.gemm.kc", 128);
  /** Rows of a packed A block (multiple of MR): MC×KC floats should stay in L2. */
  static final int MC = roundUp(Integer.getInteger("drsn.gemm.mc", 192), MR);
  /** Columns of a packed B block (multiple of NR). */
  static final int NC = roundUp(Integer.getInteger("drsn.gemm.nc", 2048), NR);
  /** Up to this many rows, B (not transposed) is read in place rather than packed. */
  static final int DIRECT_B_MAX_M = Integer.getInteger("drsn.gemm.directm", 32);
  /** Below this many flops (2·m·n·k) the parallel version runs on the caller's thread. */
  static final long PARALLEL_MIN_FLOPS = 1L << 21;

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    GemmChecks.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
        directB(transB, m), WORKSPACE.get());
  }

  @Override
  public void sgemm(ForkJoinPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    if (pool == null) {
      throw new IllegalArgumentException("pool must not be null");
    }
    GemmChecks.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    // The path is chosen from the whole problem, so every part runs the code the serial call runs.
    boolean directB = directB(transB, m);
    int threads = pool.getParallelism();
    int rowPanels = (m + MR - 1) / MR;
    int colPanels = (n + NR - 1) / NR;
    if (threads <= 1 || 2L * m * n * k < PARALLEL_MIN_FLOPS || Math.max(rowPanels, colPanels) < 2) {
      blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
          directB, WORKSPACE.get());
      return;
    }
    // Split the dimension with the finer grain, in whole micro-panels, as evenly as possible.
    boolean splitRows = rowPanels > colPanels;
    int panels = splitRows ? rowPanels : colPanels;
    int parts = Math.min(threads, panels);
    Part[] tasks = new Part[parts];
    for (int t = 0; t < parts; t++) {
      int from = (int) ((long) panels * t / parts);
      int to = (int) ((long) panels * (t + 1) / parts);
      if (splitRows) {
        int i0 = from * MR;
        int rows = Math.min(m, to * MR) - i0;
        int aStart = transA ? aOff + i0 : aOff + i0 * lda;
        tasks[t] = new Part(transA, transB, rows, n, k, alpha, a, aStart, lda, b, bOff, ldb,
            beta, c, cOff + i0 * ldc, ldc, directB);
      } else {
        int j0 = from * NR;
        int cols = Math.min(n, to * NR) - j0;
        int bStart = transB ? bOff + j0 * ldb : bOff + j0;
        tasks[t] = new Part(transA, transB, m, cols, k, alpha, a, aOff, lda, b, bStart, ldb,
            beta, c, cOff + j0, ldc, directB);
      }
    }
    pool.invoke(new AllParts(tasks));
  }

  private static boolean directB(boolean transB, int m) {
    return !transB && m <= DIRECT_B_MAX_M;
  }

  /** One rectangle of C, computed by the serial algorithm. */
  private static final class Part extends RecursiveAction {
    private final boolean transA;
    private final boolean transB;
    private final int m;
    private final int n;
    private final int k;
    private final float alpha;
    private final float[] a;
    private final int aOff;
    private final int lda;
    private final float[] b;
    private final int bOff;
    private final int ldb;
    private final float beta;
    private final float[] c;
    private final int cOff;
    private final int ldc;
    private final boolean directB;

    Part(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
         float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, boolean directB) {
      this.transA = transA;
      this.transB = transB;
      this.m = m;
      this.n = n;
      this.k = k;
      this.alpha = alpha;
      this.a = a;
      this.aOff = aOff;
      this.lda = lda;
      this.b = b;
      this.bOff = bOff;
      this.ldb = ldb;
      this.beta = beta;
      this.c = c;
      this.cOff = cOff;
      this.ldc = ldc;
      this.directB = directB;
    }

    @Override
    protected void compute() {
      blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
          directB, WORKSPACE.get());
    }
  }

  private static final class AllParts extends RecursiveAction {
    private final Part[] parts;

    AllParts(Part[] parts) {
      this.parts = parts;
    }

    @Override
    protected void compute() {
      ForkJoinTask.invokeAll(parts);
    }
  }

  /** Per-thread packing buffers, grown on demand and then reused. */
  private static final class Workspace {
    float[] aPack = new float[0];
    float[] bPack = new float[0];
    final float[] tile = new float[MR * NR];

    float[] aPack(int size) {
      if (aPack.length < size) {
        aPack = new float[size];
      }
      return aPack;
    }

    float[] bPack(int size) {
      if (bPack.length < size) {
        bPack = new float[size];
      }
      return bPack;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The serial algorithm on one rectangle of C. Arguments are already checked.

  private static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc, boolean directB, Workspace ws) {
    if (k == 0) {
      scaleOnly(m, n, alpha, beta, c, cOff, ldc);
      return;
    }
    int kcMax = Math.min(KC, k);
    float[] ap = ws.aPack(roundUp(Math.min(MC, m), MR) * kcMax);
    float[] bp = ws.bPack(kcMax * (directB ? NR : roundUp(Math.min(NC, n), NR)));
    float[] tile = ws.tile;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        float betaBlock = pc == 0 ? beta : 1f;
        int fullCols = nc - nc % NR;
        if (!directB) {
          for (int jr = 0; jr < nc; jr += NR) {
            packB(transB, b, bOff, ldb, pc, kc, jc + jr, Math.min(NR, nc - jr), bp, (jr / NR) * kc * NR);
          }
        } else if (fullCols < nc) {
          // Only the ragged right edge is packed (zero-padded); full panels are read in place.
          packB(false, b, bOff, ldb, pc, kc, jc + fullCols, nc - fullCols, bp, 0);
        }
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
          for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            float[] bSrc;
            int bIdx;
            int bStride;
            if (!directB) {
              bSrc = bp;
              bIdx = (jr / NR) * kc * NR;
              bStride = NR;
            } else if (nr == NR) {
              bSrc = b;
              bIdx = bOff + pc * ldb + jc + jr;
              bStride = ldb;
            } else {
              bSrc = bp;
              bIdx = 0;
              bStride = NR;
            }
            int cCol = cOff + jc + jr;
            for (int ir = 0; ir < mc; ir += MR) {
              microKernel(ap, (ir / MR) * kc * MR, bSrc, bIdx, bStride, kc, tile);
              writeBack(tile, Math.min(MR, mc - ir), nr, alpha, betaBlock, c, cCol + (ic + ir) * ldc, ldc);
            }
          }
        }
      }
    }
  }

  /** k == 0: C = alpha·0 + beta·C, with the same write-back formula as the kernel path. */
  private static void scaleOnly(int m, int n, float alpha, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[row + j] = beta == 0f ? alpha * 0f : Math.fma(0f, alpha, beta * c[row + j]);
      }
    }
  }

  /**
   * Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) into MR-tall micro-panels:
   * ap[panel·kc·MR + p·MR + r] = op(A)[i0 + panel·MR + r, p0 + p], zero for rows past mc.
   */
  private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                            float[] ap) {
    int idx = 0;
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      if (transA) {
        // A stored k×m: the MR values of one p are contiguous.
        for (int p = 0; p < kc; p++) {
          int src = aOff + (p0 + p) * lda + i0 + ir;
          int dst = idx + p * MR;
          for (int r = 0; r < mr; r++) {
            ap[dst + r] = a[src + r];
          }
          for (int r = mr; r < MR; r++) {
            ap[dst + r] = 0f;
          }
        }
      } else {
        // A stored m×k: walk each row contiguously, write with stride MR.
        for (int r = 0; r < mr; r++) {
          int src = aOff + (i0 + ir + r) * lda + p0;
          for (int p = 0; p < kc; p++) {
            ap[idx + p * MR + r] = a[src + p];
          }
        }
        for (int r = mr; r < MR; r++) {
          for (int p = 0; p < kc; p++) {
            ap[idx + p * MR + r] = 0f;
          }
        }
      }
      idx += kc * MR;
    }
  }

  /**
   * Packs rows [p0, p0+kc) × columns [j0, j0+nr) of op(B), nr ≤ NR, into one micro-panel at dst:
   * bp[dst + p·NR + j] = op(B)[p0 + p, j0 + j], zero for j ≥ nr.
   */
  private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nr,
                            float[] bp, int dst) {
    if (!transB) {
      if (nr == NR) {
        for (int p = 0; p < kc; p++) {
          int src = bOff + (p0 + p) * ldb + j0;
          int d = dst + p * NR;
          for (int v = 0; v < NR; v += VL) {
            FloatVector.fromArray(S, b, src + v).intoArray(bp, d + v);
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int src = bOff + (p0 + p) * ldb + j0;
          int d = dst + p * NR;
          for (int j = 0; j < nr; j++) {
            bp[d + j] = b[src + j];
          }
          for (int j = nr; j < NR; j++) {
            bp[d + j] = 0f;
          }
        }
      }
    } else {
      // B stored n×k: read each stored row (one column of op(B)) contiguously.
      for (int j = 0; j < nr; j++) {
        int src = bOff + (j0 + j) * ldb + p0;
        for (int p = 0; p < kc; p++) {
          bp[dst + p * NR + j] = b[src + p];
        }
      }
      for (int p = 0; p < kc; p++) {
        int d = dst + p * NR;
        for (int j = nr; j < NR; j++) {
          bp[d + j] = 0f;
        }
      }
    }
  }

  /**
   * tile[MR×NR] = Σ_{p<kc} ap[ai + p·MR + r] · b[bi + p·bs + j]   (r < MR, j < NR)
   *
   * <p>MR·NRV = 24 vector accumulators, NRV vector loads and MR broadcasts per step of p.
   */
  private static void microKernel(float[] ap, int ai, float[] b, int bi, int bs, int kc, float[] tile) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00;
    FloatVector c40 = c00, c41 = c00, c42 = c00;
    FloatVector c50 = c00, c51 = c00, c52 = c00;
    FloatVector c60 = c00, c61 = c00, c62 = c00;
    FloatVector c70 = c00, c71 = c00, c72 = c00;
    for (int p = 0; p < kc; p++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + VL);
      FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * VL);
      FloatVector x = FloatVector.broadcast(S, ap[ai]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      c02 = x.fma(b2, c02);
      x = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      c12 = x.fma(b2, c12);
      x = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      c22 = x.fma(b2, c22);
      x = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      c32 = x.fma(b2, c32);
      x = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      c42 = x.fma(b2, c42);
      x = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      c52 = x.fma(b2, c52);
      x = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      c62 = x.fma(b2, c62);
      x = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
      c72 = x.fma(b2, c72);
      ai += MR;
      bi += bs;
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, VL);
    c02.intoArray(tile, 2 * VL);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + VL);
    c12.intoArray(tile, NR + 2 * VL);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + VL);
    c22.intoArray(tile, 2 * NR + 2 * VL);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + VL);
    c32.intoArray(tile, 3 * NR + 2 * VL);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + VL);
    c42.intoArray(tile, 4 * NR + 2 * VL);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + VL);
    c52.intoArray(tile, 5 * NR + 2 * VL);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + VL);
    c62.intoArray(tile, 6 * NR + 2 * VL);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + VL);
    c72.intoArray(tile, 7 * NR + 2 * VL);
  }

  /**
   * C[0:mr, 0:nr] = alpha·tile + beta·C (C not read when beta == 0). Full tiles use vectors, edge
   * tiles scalars; both evaluate fma(tile, alpha, beta·c), so results do not depend on the tile.
   */
  private static void writeBack(float[] tile, int mr, int nr, float alpha, float beta,
                                float[] c, int cIdx, int ldc) {
    if (mr == MR && nr == NR) {
      FloatVector va = FloatVector.broadcast(S, alpha);
      for (int r = 0; r < MR; r++) {
        int row = cIdx + r * ldc;
        int t = r * NR;
        for (int v = 0; v < NR; v += VL) {
          FloatVector acc = FloatVector.fromArray(S, tile, t + v);
          if (beta == 0f) {
            acc.mul(va).intoArray(c, row + v);
          } else {
            acc.fma(va, FloatVector.fromArray(S, c, row + v).mul(beta)).intoArray(c, row + v);
          }
        }
      }
    } else {
      for (int r = 0; r < mr; r++) {
        int row = cIdx + r * ldc;
        int t = r * NR;
        for (int j = 0; j < nr; j++) {
          c[row + j] = beta == 0f ? tile[t + j] * alpha : Math.fma(tile[t + j], alpha, beta * c[row + j]);
        }
      }
    }
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }
}
