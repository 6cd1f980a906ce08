package drsn.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling for SGEMM on this machine: one thread doing nothing but independent vector FMAs on
 * registers (12 chains, no memory traffic). GFLOP/s = ITERATIONS · 12 · lanes · 2 / time.
 * Compare {@link SgemmBenchmark}'s GFLOP/s with this, not with a data-sheet number.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** FMAs per call: ITERATIONS · 12 vectors of S.length() lanes; flops are twice that. */
  public static final int ITERATIONS = 1 << 20;

  private final float x = 0.999999f;
  private final float y = 1e-7f;

  @Benchmark
  public float fmaChains() {
    FloatVector vx = FloatVector.broadcast(S, x);
    FloatVector vy = FloatVector.broadcast(S, y);
    FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
    for (int i = 0; i < ITERATIONS; i++) {
      a0 = a0.fma(vx, vy);
      a1 = a1.fma(vx, vy);
      a2 = a2.fma(vx, vy);
      a3 = a3.fma(vx, vy);
      a4 = a4.fma(vx, vy);
      a5 = a5.fma(vx, vy);
      a6 = a6.fma(vx, vy);
      a7 = a7.fma(vx, vy);
      a8 = a8.fma(vx, vy);
      a9 = a9.fma(vx, vy);
      a10 = a10.fma(vx, vy);
      a11 = a11.fma(vx, vy);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .lane(0);
  }

  /** Lanes of the preferred species, for converting time to GFLOP/s. */
  public static int lanes() {
    return S.length();
  }
}
