package drsn.tensor.simd;

import drsn.tensor.Gemm;
import drsn.tensor.internal.GemmChecks;
import drsn.tensor.internal.SharedPool;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 *         for jr in 0..NC step NR                 B micro-panel reused across ir (L1/L2)
 *           for ir in 0..MC step MR
 *             micro-kernel: tile[MR×NR] = Σ_p  Apanel[p, 0:MR]ᵀ ⊗ Bpanel[p, 0:NR]   (MR·NRV FMA accumulators)
 *             C[ir.., jr..] = alpha·tile + (pc == 0 ? beta : 1)·C   (only the valid mr×nr part)
 * </pre>
 *
 * <p>NR = {@value #NRV} vectors of {@code SPECIES_PREFERRED} (32 floats on AVX-512, 16 on AVX2);
 * MR = {@value #MR}, or {@value #MR_TALL} from {@value #TALL_MIN_M} rows, or 4 up to 4 rows.
 * Transposes are absorbed by the packing routines, so one micro-kernel serves all
 * four transpose combinations. When B is not transposed and A is short (the convolution shapes:
 * few output channels, long rows), B is not packed: the kernel reads its rows in place, because
 * each B element is used only m times and packing it would cost as much as the arithmetic. When A
 * is not transposed, B is, and k is long next to m and n (the weight gradient dW = dY·colᵀ), C is
 * computed as dot products of stored rows instead (see {@link #dots}).
 *
 * <p>In the blocked paths every element of C is the same chain of operations whatever tile it falls in:
 * {@code acc = fma(a[p], b[p], acc)} for p through each KC block of k from 0, then
 * {@code c = alpha·acc} (beta == 0, first block) or {@code c = fma(acc, alpha, beta·c)}
 * (later blocks use beta = 1); the dot path has its own fixed chain. The path is chosen from the
 * whole problem's shape, and the parallel version only splits C into disjoint column or row ranges,
 * so its result is bit-identical to the single-threaded one.
 *
 * <p>Packing buffers live in a per-thread workspace that grows on demand; a call allocates nothing
 * once its thread has seen a problem as large.
 */
public final class PanamaGemm implements Gemm {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int VL = S.length();

  /** Rows of the micro-kernel tile (and the grain of a parallel call's split). */
  static final int MR = 8;
  /**
   * Rows of the tall tile, for problems of at least {@link #TALL_MIN_M} rows: 24 accumulators
   * instead of 16, so that 2 vector loads of B serve 24 FMAs instead of 16.
   */
  static final int MR_TALL = 12;
  /** From this many rows the tall tile; below it the 8-row one wastes less on zero padding. */
  static final int TALL_MIN_M = 96;
  /** Vectors per row of the micro-kernel tile. */
  static final int NRV = 2;
  /** Columns of the micro-kernel tile. */
  static final int NR = NRV * VL;
  /**
   * Depth of a packed block. 256: a B micro-panel (KC × NR, 32 KB) and an A micro-panel (12 KB)
   * fit a 48 KB L1 together. 512 was best on the Zen 4 where it was first chosen; on the Xeon of
   * results §10 (the same L1 size) B's panel then streamed from L2, and {@code SgemmBestOf} ran
   * 3–5 % slower at 512³ and 1024³, 12–17 % at NT 512³.
   */
  static final int KC = 256;
  /** Rows of a packed A block (a multiple of 4, 8 and 12): MC×KC floats (120 KB) stay in L2. */
  static final int MC = 120;
  /** Columns of a packed B block (multiple of NR for any lane count up to 64): KC×NC floats in L3. */
  static final int NC = 2048;
  /** Up to this many rows, B (not transposed) is read in place rather than packed. */
  static final int DIRECT_B_MAX_M = 32;
  /** The dot path needs k at least this many times max(m, n), and m·n at most DOT_MAX_MN. */
  static final int DOT_MIN_K_RATIO = 4;
  static final int DOT_MAX_MN = 4096;
  /** Depth of one pass of the dot path: the m + n row pieces of PC floats stay in L2. */
  static final int PC = 2048;
  /**
   * Below this many flops (2·m·n·k, about 80 µs of one thread's work) the parallel version runs on
   * the caller's thread: waking a worker costs tens of microseconds, and 128³ was slower on two.
   */
  static final long PARALLEL_MIN_FLOPS = 1L << 23;

  /** Packing buffers, shared rather than per thread so that calls on new virtual threads reuse warm ones. */
  private static final SharedPool<Workspace> WORKSPACES =
      new SharedPool<>(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));

  /**
   * Up to this many multiply-adds (m·n·k) a blocked-path problem is computed by {@link #tiny}, with
   * no workspace, packing or padding: the threshold subnets' and the head's FC layers at batch 1
   * (1 × C × C), where borrowing and packing cost more than the arithmetic.
   */
  static final int TINY_MAX_MNK = 4096;

  /** {@link #run} with a workspace borrowed for the call, or {@link #tiny} when the problem is tiny. */
  private static void runPooled(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc, int path) {
    if (path != DOT && isTiny(m, n, k)) {
      tiny(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    Workspace ws = WORKSPACES.take();
    if (ws == null) {
      ws = new Workspace();
    }
    try {
      run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, path, ws);
    } finally {
      WORKSPACES.giveBack(ws);
    }
  }

  @Override
  public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    GemmChecks.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    runPooled(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
        path(transA, transB, m, n, k));
  }

  @Override
  public void sgemm(ForkJoinPool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
    GemmChecks.pool(pool);
    GemmChecks.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    // The path is chosen from the whole problem, so every part runs the code the serial call runs.
    int path = path(transA, transB, m, n, k);
    int threads = pool.getParallelism();
    int rowPanels = (m + MR - 1) / MR;
    int colPanels = (n + NR - 1) / NR;
    if (threads <= 1 || 2L * m * n * k < PARALLEL_MIN_FLOPS || Math.max(rowPanels, colPanels) < 2) {
      runPooled(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, path);
      return;
    }
    // Split the dimension with the finer grain, in whole micro-panels, as evenly as possible.
    boolean splitRows = rowPanels > colPanels;
    int panels = splitRows ? rowPanels : colPanels;
    int parts = Math.min(threads, panels);
    Job job = JOBS.get();
    if (job.busy) {
      job = new Job(); // a nested call from inside one of this thread's own parts: rare
    }
    job.busy = true;
    try {
      job.prepare(parts);
      for (int t = 0; t < parts; t++) {
        int from = (int) ((long) panels * t / parts);
        int to = (int) ((long) panels * (t + 1) / parts);
        if (splitRows) {
          int i0 = from * MR;
          int rows = Math.min(m, to * MR) - i0;
          int aStart = transA ? aOff + i0 : aOff + i0 * lda;
          job.parts[t].set(transA, transB, rows, n, k, alpha, a, aStart, lda, b, bOff, ldb,
              beta, c, cOff + i0 * ldc, ldc, path);
        } else {
          int j0 = from * NR;
          int cols = Math.min(n, to * NR) - j0;
          int bStart = transB ? bOff + j0 * ldb : bOff + j0;
          job.parts[t].set(transA, transB, m, cols, k, alpha, a, aOff, lda, b, bStart, ldb,
              beta, c, cOff + j0, ldc, path);
        }
      }
      if (ForkJoinTask.getPool() == pool) {
        job.runInside(); // already one of the pool's workers: fork inside the pool
      } else {
        job.runWithCaller(pool);
      }
    } finally {
      job.release();
    }
  }

  /** Blocked, B packed. */
  private static final int PACKED = 0;
  /** Blocked, full panels of B read in place. */
  private static final int DIRECT_B = 1;
  /** Dot products of rows of A and rows of stored B (A not transposed, B transposed). */
  private static final int DOT = 2;

  /**
   * Chooses the algorithm from the shape of the whole problem, never from a part of it, so that a
   * parallel call runs the same code on every element as the serial call.
   */
  private static int path(boolean transA, boolean transB, int m, int n, int k) {
    if (transB && !transA && (long) m * n <= DOT_MAX_MN && k >= (long) DOT_MIN_K_RATIO * Math.max(m, n)) {
      return DOT;
    }
    return !transB && m <= DIRECT_B_MAX_M ? DIRECT_B : PACKED;
  }

  /**
   * The blocked path on its own (fresh workspace, never {@link #tiny}), for the test that compares
   * the two; false, computing nothing, when the problem takes the dot path.
   */
  static boolean blockedOnly(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
    int path = path(transA, transB, m, n, k);
    if (path == DOT) {
      return false;
    }
    run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, path, new Workspace());
    return true;
  }

  private static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc, int path, Workspace ws) {
    if (path == DOT) {
      dots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
    } else {
      blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
          path == DIRECT_B, ws);
    }
  }

  /**
   * The tasks of one parallel call, kept per calling thread and reset for the next call
   * ({@link ForkJoinTask#reinitialize}), so that a parallel call allocates nothing either.
   */
  private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);
  /** How long a caller outside the pool spins for the other parts before blocking. */
  private static final long SPIN_NANOS = 200_000;

  /**
   * Runs parts[0..count) on the pool: all but the first go to the pool, the calling thread computes
   * the first, then waits until every part has finished. A job and its parts are reused by the
   * thread's next call, so the wait never uses ForkJoinTask.join: a joiner's wait node sits in the
   * task, and a worker finishing the previous call's part (it marks the task done, then wakes the
   * task's waiters) can still be between those two steps when the part is reinitialised and joined
   * again; it then wakes and unlinks the new wait node, the real completion finds no waiter, and the
   * caller sleeps for ever (seen once: GemmParallelTest parked in join with no worker alive). Here
   * each part counts itself off when its work is done, the caller waits for the count (spinning
   * briefly, then parking, woken by the last part) and then for every part's done mark, which
   * follows at once; nobody waits inside a task, so a late wake-up finds nothing to unlink.
   */
  private static final class Job {
    private Part[] parts = new Part[0];
    private int count;
    boolean busy;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Thread waiter;

    void prepare(int count) {
      if (parts.length < count) {
        Part[] grown = Arrays.copyOf(parts, count);
        for (int t = parts.length; t < count; t++) {
          grown[t] = new Part(this);
        }
        parts = grown;
      }
      this.count = count;
      for (int t = 0; t < count; t++) {
        parts[t].reinitialize();
      }
      remaining.set(count);
    }

    /** Drops the references to the caller's arrays, so a cached job does not keep them alive. */
    void release() {
      for (int t = 0; t < count; t++) {
        parts[t].set(false, false, 0, 0, 0, 0f, null, 0, 0, null, 0, 0, 0f, null, 0, 0, PACKED);
      }
      count = 0;
      waiter = null;
      busy = false;
    }

    /** Called by each part when its work is over (normally or not). */
    void partDone() {
      if (remaining.decrementAndGet() == 0) {
        Thread w = waiter;
        if (w != null) {
          LockSupport.unpark(w);
        }
      }
    }

    /**
     * From a thread outside the pool: the pool runs parts 1.., the caller computes part 0. The
     * parts are of equal size, so the spin usually suffices and the call allocates nothing.
     */
    void runWithCaller(ForkJoinPool pool) {
      waiter = Thread.currentThread();
      for (int t = count - 1; t > 0; t--) {
        pool.execute(parts[t]);
      }
      parts[0].quietlyInvoke(); // a failure is rethrown once every part is over
      awaitParts();
    }

    /**
     * From one of the pool's workers: the parts are forked to its own queue, part 0 computed here;
     * parts that no other worker has taken are taken back and computed here too, in reverse order.
     */
    void runInside() {
      waiter = Thread.currentThread();
      for (int t = count - 1; t > 0; t--) {
        parts[t].fork();
      }
      parts[0].quietlyInvoke();
      for (int t = 1; t < count; t++) {
        if (parts[t].tryUnfork()) {
          parts[t].quietlyInvoke();
        }
      }
      awaitParts();
    }

    private void awaitParts() {
      long giveUp = System.nanoTime() + SPIN_NANOS;
      while (remaining.get() > 0 && System.nanoTime() < giveUp) {
        Thread.onSpinWait();
      }
      while (remaining.get() > 0) {
        LockSupport.park(this);
      }
      // The work is over; a part is marked done right after, and must be before it is reused.
      for (int t = 0; t < count; t++) {
        while (!parts[t].isDone()) {
          Thread.onSpinWait();
          Thread.yield();
        }
        Throwable failure = parts[t].getException();
        if (failure instanceof RuntimeException re) {
          throw re;
        } else if (failure instanceof Error e) {
          throw e;
        } else if (failure != null) {
          throw new IllegalStateException("a part of a parallel SGEMM failed", failure);
        }
      }
    }
  }

  /** One rectangle of C, computed by the serial algorithm. */
  private static final class Part extends RecursiveAction {
    private final Job owner;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float[] a;
    private int aOff;
    private int lda;
    private float[] b;
    private int bOff;
    private int ldb;
    private float beta;
    private float[] c;
    private int cOff;
    private int ldc;
    private int path;

    Part(Job owner) {
      this.owner = owner;
    }

    void set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int path) {
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
      this.path = path;
    }

    @Override
    protected void compute() {
      try {
        runPooled(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, path);
      } finally {
        owner.partDone();
      }
    }
  }

  /** Packing buffers, grown on demand and then reused. */
  private static final class Workspace {
    float[] aPack = new float[0];
    float[] bPack = new float[0];
    final float[] tile = new float[MR_TALL * NR];
    float[] dots = new float[0];

    float[] dots(int size) {
      if (dots.length < size) {
        dots = new float[size];
      }
      return dots;
    }

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
      scaleOnly(m, n, beta, c, cOff, ldc);
      return;
    }
    int kcMax = Math.min(KC, k);
    // Four rows or fewer (the first convolutions, 4 output channels): a 4-row tile, so that half
    // of every FMA is not spent on zero padding; many rows: the tall tile.
    // The tall tile reads B packed only (constant stride); B read in place is for m <= 32 anyway.
    int mrTile = m <= MR / 2 ? MR / 2 : m >= TALL_MIN_M && !directB ? MR_TALL : MR;
    float[] ap = ws.aPack(roundUp(Math.min(MC, m), mrTile) * kcMax);
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
          packA(transA, a, aOff, lda, ic, mc, pc, kc, ap, mrTile);
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
            if (mrTile == MR_TALL) {
              for (int ir = 0; ir < mc; ir += MR_TALL) {
                microKernel12(ap, ir * kc, bSrc, bIdx, kc, tile);
                writeBack(tile, Math.min(MR_TALL, mc - ir), nr, alpha, betaBlock, c, cCol + (ic + ir) * ldc, ldc);
              }
            } else if (mrTile == MR) {
              for (int ir = 0; ir < mc; ir += MR) {
                microKernel(ap, ir * kc, bSrc, bIdx, bStride, kc, tile);
                writeBack(tile, Math.min(MR, mc - ir), nr, alpha, betaBlock, c, cCol + (ic + ir) * ldc, ldc);
              }
            } else {
              microKernel4(ap, 0, bSrc, bIdx, bStride, kc, tile);
              writeBack(tile, mc, nr, alpha, betaBlock, c, cCol + ic * ldc, ldc);
            }
          }
        }
      }
    }
  }

  /** Whether {@link #runPooled} computes a blocked-path problem by {@link #tiny}. */
  static boolean isTiny(int m, int n, int k) {
    return k > 0 && k <= KC && (long) m * n * k <= TINY_MAX_MNK;
  }

  /**
   * A blocked-path problem of one depth block (0 &lt; k ≤ KC) without packing, each element by the
   * blocked path's chain: {@code acc = fma(op(A)[i,p], op(B)[p,j], acc)} for p from 0 (acc from
   * +0), then {@code c = acc·alpha} (beta == 0, C not read) or {@code c = fma(acc, alpha, beta·c)}
   * — the micro-kernel's lanes and {@link #writeBack}'s operations in scalar form, so the bits are
   * the blocked path's ({@code PanamaGemmTinyTest}). B stored k×n goes a vector of columns at a
   * time ({@link #tinyOverColumns}); B transposed, whose columns are rows in memory, four columns at
   * a time in scalar, four independent FMA chains.
   */
  static void tiny(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {
    if (!transB) {
      tinyOverColumns(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    int aStep = transA ? 1 : lda;   // from row i of op(A) to row i + 1
    int aDepth = transA ? lda : 1;  // from op(A)[i, p] to op(A)[i, p + 1]
    int bStep = ldb;                // from column j of op(B) to column j + 1 (B transposed)
    int bDepth = 1;                 // from op(B)[p, j] to op(B)[p + 1, j]
    for (int i = 0; i < m; i++) {
      int aRow = aOff + i * aStep;
      int cRow = cOff + i * ldc;
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        int b0 = bOff + j * bStep;
        int b1 = b0 + bStep;
        int b2 = b1 + bStep;
        int b3 = b2 + bStep;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int p = 0; p < k; p++) {
          float x = a[aRow + p * aDepth];
          int o = p * bDepth;
          s0 = Math.fma(x, b[b0 + o], s0);
          s1 = Math.fma(x, b[b1 + o], s1);
          s2 = Math.fma(x, b[b2 + o], s2);
          s3 = Math.fma(x, b[b3 + o], s3);
        }
        c[cRow + j] = tinyOut(s0, alpha, beta, c[cRow + j]);
        c[cRow + j + 1] = tinyOut(s1, alpha, beta, c[cRow + j + 1]);
        c[cRow + j + 2] = tinyOut(s2, alpha, beta, c[cRow + j + 2]);
        c[cRow + j + 3] = tinyOut(s3, alpha, beta, c[cRow + j + 3]);
      }
      for (; j < n; j++) {
        int b0 = bOff + j * bStep;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s = Math.fma(a[aRow + p * aDepth], b[b0 + p * bDepth], s);
        }
        c[cRow + j] = tinyOut(s, alpha, beta, c[cRow + j]);
      }
    }
  }

  /**
   * {@link #tiny} with B stored k×n: a vector of columns at a time (the last under a mask), each
   * lane the scalar loop's chain {@code acc = fma(op(A)[i,p], B[p,j], acc)} and then writeBack's
   * operation, so the same bits. A batch-1 row of a C × C layer is one chain of C vector FMAs instead
   * of C² scalar ones in four chains.
   */
  private static void tinyOverColumns(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff,
                                      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                      int ldc) {
    int aStep = transA ? 1 : lda;
    int aDepth = transA ? lda : 1;
    FloatVector va = FloatVector.broadcast(S, alpha);
    for (int i = 0; i < m; i++) {
      int aRow = aOff + i * aStep;
      int cRow = cOff + i * ldc;
      for (int j = 0; j < n; j += VL) {
        VectorMask<Float> cols = S.indexInRange(j, n);
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          acc = FloatVector.broadcast(S, a[aRow + p * aDepth]).fma(FloatVector.fromArray(S, b, bOff + p * ldb + j, cols),
              acc);
        }
        FloatVector out = beta == 0f ? acc.mul(va)
            : acc.fma(va, FloatVector.fromArray(S, c, cRow + j, cols).mul(beta));
        out.intoArray(c, cRow + j, cols);
      }
    }
  }

  /** {@link #writeBack}'s operation on one element; {@code old} is ignored when beta == 0. */
  private static float tinyOut(float acc, float alpha, float beta, float old) {
    return beta == 0f ? acc * alpha : Math.fma(acc, alpha, beta * old);
  }

  /** k == 0: the product is empty, C = beta·C (zero when beta == 0), as in the scalar twin. */
  private static void scaleOnly(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[row + j] = beta == 0f ? 0f : beta * c[row + j];
      }
    }
  }

  /**
   * Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) into micro-panels {@code tall} rows high
   * (MR, or 4 for the 4-row tile): ap[panel·kc·tall + p·tall + r] = op(A)[i0 + panel·tall + r, p0 + p],
   * zero for rows past mc.
   */
  private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                            float[] ap, int tall) {
    int idx = 0;
    for (int ir = 0; ir < mc; ir += tall) {
      int mr = Math.min(tall, mc - ir);
      if (!transA && tall == MR_TALL && mr == MR_TALL && VL == 16) {
        packTallPanel(a, aOff + (i0 + ir) * lda + p0, lda, kc, ap, idx);
      } else if (transA) {
        // A stored k×m: the panel's values for one p are contiguous.
        for (int p = 0; p < kc; p++) {
          int src = aOff + (p0 + p) * lda + i0 + ir;
          int dst = idx + p * tall;
          for (int r = 0; r < mr; r++) {
            ap[dst + r] = a[src + r];
          }
          for (int r = mr; r < tall; r++) {
            ap[dst + r] = 0f;
          }
        }
      } else {
        // A stored m×k: walk each row contiguously, write with stride tall.
        for (int r = 0; r < mr; r++) {
          int src = aOff + (i0 + ir + r) * lda + p0;
          for (int p = 0; p < kc; p++) {
            ap[idx + p * tall + r] = a[src + p];
          }
        }
        for (int r = mr; r < tall; r++) {
          for (int p = 0; p < kc; p++) {
            ap[idx + p * tall + r] = 0f;
          }
        }
      }
      idx += kc * tall;
    }
  }

  // Lane indices for selectFrom(v1, v2) (v2's lanes count from 16): within every 128-bit block t of
  // four lanes, the unpack-low/high and move-low/high steps of a 4×4 transpose.
  private static final float[] UNPACK_LO = new float[16];
  private static final float[] UNPACK_HI = new float[16];
  private static final float[] MOVE_LH = new float[16];
  private static final float[] MOVE_HL = new float[16];

  static {
    for (int t = 0; t < 4; t++) {
      int q = 4 * t;
      float[][] rows = {
          {q, 16 + q, q + 1, 17 + q}, {q + 2, 18 + q, q + 3, 19 + q},
          {q, q + 1, 16 + q, 17 + q}, {q + 2, q + 3, 18 + q, 19 + q}};
      System.arraycopy(rows[0], 0, UNPACK_LO, q, 4);
      System.arraycopy(rows[1], 0, UNPACK_HI, q, 4);
      System.arraycopy(rows[2], 0, MOVE_LH, q, 4);
      System.arraycopy(rows[3], 0, MOVE_HL, q, 4);
    }
  }

  /**
   * One full 12-row panel of A stored m×k (16 lanes only): ap[dst + p·12 + r] = a[src + r·lda + p]
   * for r &lt; 12, p &lt; kc, exactly the scalar packing's values. The scalar loop writes with stride
   * 12 and cost an eighth of a 512³ SGEMM; here each block of 16 values of p is transposed in
   * registers instead: per group of four rows, a 4×4 transpose inside every 128-bit block (eight
   * two-vector permutes) leaves, in block t of W_j, the four rows' values at p = 4t + j, which belong
   * at dst + (4t + j)·12 + 4g; a masked store puts each block there. The p past the last multiple
   * of 16 are copied one by one.
   */
  private static void packTallPanel(float[] a, int src, int lda, int kc, float[] ap, int dst) {
    int kv = kc - kc % 16;
    for (int p = 0; p < kv; p += 16) {
      for (int g = 0; g < 3; g++) {
        transposeFourRows(a, src + 4 * g * lda + p, lda, ap, dst + p * 12 + 4 * g, 0);
        transposeFourRows(a, src + 4 * g * lda + p, lda, ap, dst + p * 12 + 4 * g, 1);
      }
    }
    for (int r = 0; r < MR_TALL; r++) {
      for (int p = kv; p < kc; p++) {
        ap[dst + p * MR_TALL + r] = a[src + r * lda + p];
      }
    }
  }

  /**
   * Rows a[row + q·lda, +16) for q &lt; 4 into ap[d + (4t + j)·12 + q] (t &lt; 4; j = 2h, 2h + 1):
   * half of one group of {@link #packTallPanel}. Small enough for C1 at tier 3 (the whole panel,
   * and then a whole group, ran out of virtual registers there); C2 inlines it, the index vectors and
   * masks hoisted, and the second half's loads hit L1.
   */
  private static void transposeFourRows(float[] a, int row, int lda, float[] ap, int d, int h) {
    FloatVector unpack = FloatVector.fromArray(S, h == 0 ? UNPACK_LO : UNPACK_HI, 0);
    FloatVector v0 = FloatVector.fromArray(S, a, row);
    FloatVector v1 = FloatVector.fromArray(S, a, row + lda);
    FloatVector v2 = FloatVector.fromArray(S, a, row + 2 * lda);
    FloatVector v3 = FloatVector.fromArray(S, a, row + 3 * lda);
    FloatVector t01 = unpack.selectFrom(v0, v1);
    FloatVector t23 = unpack.selectFrom(v2, v3);
    FloatVector lo = FloatVector.fromArray(S, MOVE_LH, 0).selectFrom(t01, t23); // w_{2h}
    FloatVector hi = FloatVector.fromArray(S, MOVE_HL, 0).selectFrom(t01, t23); // w_{2h+1}
    // Block t of w_j goes to d + 48t + 12j; the store's lane 4t lands at its offset + 4t.
    int dl = d + 24 * h;
    int dh = dl + 12;
    VectorMask<Float> b0 = VectorMask.fromLong(S, 0xFL);
    VectorMask<Float> b1 = VectorMask.fromLong(S, 0xF0L);
    VectorMask<Float> b2 = VectorMask.fromLong(S, 0xF00L);
    VectorMask<Float> b3 = VectorMask.fromLong(S, 0xF000L);
    lo.intoArray(ap, dl, b0);
    lo.intoArray(ap, dl + 44, b1);
    lo.intoArray(ap, dl + 88, b2);
    lo.intoArray(ap, dl + 132, b3);
    hi.intoArray(ap, dh, b0);
    hi.intoArray(ap, dh + 44, b1);
    hi.intoArray(ap, dh + 88, b2);
    hi.intoArray(ap, dh + 132, b3);
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
   * tile[MR×NR] = Σ_{p<kc} ap[ai + p·MR + r] · b[bi + p·bs + j]   (r < 8, j < 2 vectors)
   *
   * <p>16 vector accumulators; per step of p, 2 vector loads of B and 8 broadcasts of A feed 16
   * FMAs. On this Zen 4 (one 512-bit FMA per cycle, latency 4) 16 independent chains are plenty,
   * and NR = 2 vectors = 32 columns divides the usual power-of-two widths. An 8 × 3-vector tile (24
   * accumulators) was measured 5–30% slower: it wastes a third of its work on ragged edges. Tall
   * problems take {@link #microKernel12} instead: fewer loads of B per FMA, which a core with two
   * 512-bit FMA units needs.
   */
  private static void microKernel(float[] ap, int ai, float[] b, int bi, int bs, int kc, float[] tile) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00;
    FloatVector c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00;
    FloatVector c50 = c00, c51 = c00;
    FloatVector c60 = c00, c61 = c00;
    FloatVector c70 = c00, c71 = c00;
    for (int p = 0; p < kc; p++) {
      int aj = ai + p * MR;
      int bj = bi + p * bs;
      FloatVector b0 = FloatVector.fromArray(S, b, bj);
      FloatVector b1 = FloatVector.fromArray(S, b, bj + VL);
      FloatVector x = FloatVector.broadcast(S, ap[aj]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[aj + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[aj + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[aj + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[aj + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[aj + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, ap[aj + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, ap[aj + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, VL);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + VL);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + VL);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + VL);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + VL);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + VL);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + VL);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + VL);
  }

  /**
   * The tall tile: tile[12×NR] as {@link #microKernel}, from panels packed 12 rows tall (24
   * accumulators). Writing whole tiles straight into C from here instead of through tile was 5 %
   * faster at 512³, but made the method too large for tier 3, C1 with profiling ("out of virtual
   * registers"): where it was called too seldom to reach C2 (the FC layers of a batch-128
   * forward), it stayed in the interpreter, where every vector operation allocates (16 MB per
   * forward + backward). Kernels must stay small enough for every tier ({@code TieredKernelsTest}).
   * B is always packed here (stride NR): with a constant stride C2 hoists the range checks of B out
   * of the loop and keeps the index arithmetic to a few adds (the 512³ SGEMM 2–5 % faster than with
   * the stride as a parameter).
   */
  private static void microKernel12(float[] ap, int ai, float[] b, int bi, int kc, float[] tile) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00;
    FloatVector c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00;
    FloatVector c50 = c00, c51 = c00;
    FloatVector c60 = c00, c61 = c00;
    FloatVector c70 = c00, c71 = c00;
    FloatVector c80 = c00, c81 = c00;
    FloatVector c90 = c00, c91 = c00;
    FloatVector ca0 = c00, ca1 = c00;
    FloatVector cb0 = c00, cb1 = c00;
    for (int p = 0; p < kc; p++) {
      int aj = ai + p * MR_TALL;
      int bj = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, bj);
      FloatVector b1 = FloatVector.fromArray(S, b, bj + VL);
      FloatVector x = FloatVector.broadcast(S, ap[aj]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[aj + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[aj + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[aj + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[aj + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[aj + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, ap[aj + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, ap[aj + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
      x = FloatVector.broadcast(S, ap[aj + 8]);
      c80 = x.fma(b0, c80);
      c81 = x.fma(b1, c81);
      x = FloatVector.broadcast(S, ap[aj + 9]);
      c90 = x.fma(b0, c90);
      c91 = x.fma(b1, c91);
      x = FloatVector.broadcast(S, ap[aj + 10]);
      ca0 = x.fma(b0, ca0);
      ca1 = x.fma(b1, ca1);
      x = FloatVector.broadcast(S, ap[aj + 11]);
      cb0 = x.fma(b0, cb0);
      cb1 = x.fma(b1, cb1);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, VL);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + VL);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + VL);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + VL);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + VL);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + VL);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + VL);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + VL);
    c80.intoArray(tile, 8 * NR);
    c81.intoArray(tile, 8 * NR + VL);
    c90.intoArray(tile, 9 * NR);
    c91.intoArray(tile, 9 * NR + VL);
    ca0.intoArray(tile, 10 * NR);
    ca1.intoArray(tile, 10 * NR + VL);
    cb0.intoArray(tile, 11 * NR);
    cb1.intoArray(tile, 11 * NR + VL);
  }

  /** The 4-row tile: tile[4×NR] as {@link #microKernel}, from panels packed 4 rows tall. */
  private static void microKernel4(float[] ap, int ai, float[] b, int bi, int bs, int kc, float[] tile) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00;
    FloatVector c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00;
    for (int p = 0; p < kc; p++) {
      int aj = ai + p * 4;
      int bj = bi + p * bs;
      FloatVector b0 = FloatVector.fromArray(S, b, bj);
      FloatVector b1 = FloatVector.fromArray(S, b, bj + VL);
      FloatVector x = FloatVector.broadcast(S, ap[aj]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[aj + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[aj + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[aj + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, VL);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + VL);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + VL);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + VL);
  }

  /**
   * C[0:mr, 0:nr] = alpha·tile + beta·C (C not read when beta == 0). Whole vectors of a row use
   * vector operations, the ragged end of a row scalars; both evaluate fma(tile, alpha, beta·c), so
   * results do not depend on where an element falls in a tile.
   */
  private static void writeBack(float[] tile, int mr, int nr, float alpha, float beta,
                                float[] c, int cIdx, int ldc) {
    FloatVector va = FloatVector.broadcast(S, alpha);
    int nv = nr - nr % VL;
    for (int r = 0; r < mr; r++) {
      int row = cIdx + r * ldc;
      int t = r * NR;
      int j = 0;
      if (beta == 0f) {
        for (; j < nv; j += VL) {
          FloatVector.fromArray(S, tile, t + j).mul(va).intoArray(c, row + j);
        }
        for (; j < nr; j++) {
          c[row + j] = tile[t + j] * alpha;
        }
      } else {
        for (; j < nv; j += VL) {
          FloatVector.fromArray(S, tile, t + j)
              .fma(va, FloatVector.fromArray(S, c, row + j).mul(beta)).intoArray(c, row + j);
        }
        for (; j < nr; j++) {
          c[row + j] = Math.fma(tile[t + j], alpha, beta * c[row + j]);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The dot path: C[i,j] = alpha·(A[i,:]·B[j,:]) + beta·C[i,j], A stored m×k and B stored n×k, both
  // rows contiguous in p. Used for the weight gradient dW = dY·colᵀ (m, n small, k = length long),
  // where packing would transpose all of k for little reuse.
  //
  //   acc[i,j][l] = Σ_{p < kv, p ≡ l mod VL} A[i,p]·B[j,p]      (one vector per element, p ascending)
  //   sum = ((acc[0] + acc[1]) + …) + acc[VL-1], then sum = fma(A[i,p], B[j,p], sum) for p ≥ kv
  //
  // The lanes are summed in a fixed scalar order (not reduceLanes, whose order the API leaves open),
  // so every element is the same chain of operations in any block and any thread.

  private static void dots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                           Workspace ws) {
    int kv = k - k % VL;
    float[] acc = ws.dots(m * n * VL);
    Arrays.fill(acc, 0, m * n * VL, 0f);
    for (int p0 = 0; p0 < kv; p0 += PC) {
      int p1 = Math.min(kv, p0 + PC);
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        int j = 0;
        for (; j + 3 <= n; j += 3) {
          dot4x3(a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, p0, p1, acc, (i * n + j) * VL, n * VL);
        }
        for (; j < n; j++) {
          for (int r = i; r < i + 4; r++) {
            dot1x1(a, aOff + r * lda, b, bOff + j * ldb, p0, p1, acc, (r * n + j) * VL);
          }
        }
      }
      for (; i < m; i++) {
        for (int j = 0; j < n; j++) {
          dot1x1(a, aOff + i * lda, b, bOff + j * ldb, p0, p1, acc, (i * n + j) * VL);
        }
      }
    }
    for (int i = 0; i < m; i++) {
      int aRow = aOff + i * lda;
      int cRow = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        int bRow = bOff + j * ldb;
        int t = (i * n + j) * VL;
        float sum = acc[t];
        for (int l = 1; l < VL; l++) {
          sum += acc[t + l];
        }
        for (int p = kv; p < k; p++) {
          sum = Math.fma(a[aRow + p], b[bRow + p], sum);
        }
        c[cRow + j] = beta == 0f ? sum * alpha : Math.fma(sum, alpha, beta * c[cRow + j]);
      }
    }
  }

  /** acc[4×3 elements] += A[4 rows, p0:p1] · B[3 rows, p0:p1]ᵀ, lane-wise; rowStride = n·VL. */
  private static void dot4x3(float[] a, int a0, int lda, float[] b, int b0, int ldb, int p0, int p1,
                             float[] acc, int t, int rowStride) {
    int t1 = t + rowStride;
    int t2 = t1 + rowStride;
    int t3 = t2 + rowStride;
    FloatVector c00 = FloatVector.fromArray(S, acc, t);
    FloatVector c01 = FloatVector.fromArray(S, acc, t + VL);
    FloatVector c02 = FloatVector.fromArray(S, acc, t + 2 * VL);
    FloatVector c10 = FloatVector.fromArray(S, acc, t1);
    FloatVector c11 = FloatVector.fromArray(S, acc, t1 + VL);
    FloatVector c12 = FloatVector.fromArray(S, acc, t1 + 2 * VL);
    FloatVector c20 = FloatVector.fromArray(S, acc, t2);
    FloatVector c21 = FloatVector.fromArray(S, acc, t2 + VL);
    FloatVector c22 = FloatVector.fromArray(S, acc, t2 + 2 * VL);
    FloatVector c30 = FloatVector.fromArray(S, acc, t3);
    FloatVector c31 = FloatVector.fromArray(S, acc, t3 + VL);
    FloatVector c32 = FloatVector.fromArray(S, acc, t3 + 2 * VL);
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    for (int p = p0; p < p1; p += VL) {
      FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
      FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
      FloatVector x = FloatVector.fromArray(S, a, a0 + p);
      c00 = x.fma(y0, c00);
      c01 = x.fma(y1, c01);
      c02 = x.fma(y2, c02);
      x = FloatVector.fromArray(S, a, a1 + p);
      c10 = x.fma(y0, c10);
      c11 = x.fma(y1, c11);
      c12 = x.fma(y2, c12);
      x = FloatVector.fromArray(S, a, a2 + p);
      c20 = x.fma(y0, c20);
      c21 = x.fma(y1, c21);
      c22 = x.fma(y2, c22);
      x = FloatVector.fromArray(S, a, a3 + p);
      c30 = x.fma(y0, c30);
      c31 = x.fma(y1, c31);
      c32 = x.fma(y2, c32);
    }
    c00.intoArray(acc, t);
    c01.intoArray(acc, t + VL);
    c02.intoArray(acc, t + 2 * VL);
    c10.intoArray(acc, t1);
    c11.intoArray(acc, t1 + VL);
    c12.intoArray(acc, t1 + 2 * VL);
    c20.intoArray(acc, t2);
    c21.intoArray(acc, t2 + VL);
    c22.intoArray(acc, t2 + 2 * VL);
    c30.intoArray(acc, t3);
    c31.intoArray(acc, t3 + VL);
    c32.intoArray(acc, t3 + 2 * VL);
  }

  /** acc[one element] += A[row, p0:p1] · B[row, p0:p1], lane-wise: the edge of the 4×3 blocks. */
  private static void dot1x1(float[] a, int aRow, float[] b, int bRow, int p0, int p1, float[] acc, int t) {
    FloatVector s = FloatVector.fromArray(S, acc, t);
    for (int p = p0; p < p1; p += VL) {
      s = FloatVector.fromArray(S, a, aRow + p).fma(FloatVector.fromArray(S, b, bRow + p), s);
    }
    s.intoArray(acc, t);
  }

  private static int roundUp(int x, int multiple) {
    return (x + multiple - 1) / multiple * multiple;
  }
}
