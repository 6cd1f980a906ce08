package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.tensor.Convolution;
import drsn.tensor.Elementwise;
import drsn.tensor.Gemm;
import drsn.tensor.KernelProvider;
import drsn.tensor.Reductions;
import drsn.tensor.SoftThreshold;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Where the work runs: on the trainer's own pool of the configured size, never the common pool. */
class ThreadingTest {

  /** The scalar kernels, recording which threads call the fully connected layers' SGEMM. */
  private record RecordingKernels(KernelProvider base, Set<Thread> threads) implements KernelProvider {
    @Override
    public String name() {
      return "recording-" + base.name();
    }

    @Override
    public boolean isSimd() {
      return base.isSimd();
    }

    @Override
    public Gemm gemm() {
      Gemm g = base.gemm();
      return new Gemm() {
        @Override
        public void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
          threads.add(Thread.currentThread());
          g.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        @Override
        public void sgemm(ForkJoinPool pool, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a,
                          int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
          threads.add(Thread.currentThread());
          g.sgemm(pool, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
      };
    }

    @Override
    public Convolution convolution() {
      return base.convolution();
    }

    @Override
    public SoftThreshold softThreshold() {
      return base.softThreshold();
    }

    @Override
    public Reductions reductions() {
      return base.reductions();
    }

    @Override
    public Elementwise elementwise() {
      return base.elementwise();
    }
  }

  @Test
  void computeRunsOnTheTrainersOwnThreadsOnly() {
    Dataset data = TinyData.dataset(64, 0.3, 4);
    Architecture arch = TinyData.arch(Family.DRSN_CW);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(32).microBatchSize(4).threads(3)
        .kernels(new RecordingKernels(KernelProvider.scalar(), threads)).build();
    try (Trainer t = new Trainer(arch, cfg)) {
      t.fit(data, data);
    }
    assertFalse(threads.isEmpty());
    assertTrue(threads.size() <= 3, "at most the configured 3 threads computed, got " + threads);
    for (Thread th : threads) {
      assertTrue(th.getName().startsWith("drsn-train-"), "computed on " + th.getName());
      assertFalse(th.getName().contains("commonPool"), th.getName());
      assertFalse(th.isAlive() && th.getName().startsWith("drsn-train-") && !th.isDaemon(),
          "pool threads must not keep the JVM alive: " + th);
    }
    for (Thread th : threads) {
      try {
        th.join(5_000);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertEquals(false, th.isAlive(), "closing the trainer stops its thread " + th.getName());
    }
  }
}
