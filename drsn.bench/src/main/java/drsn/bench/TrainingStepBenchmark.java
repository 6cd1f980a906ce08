package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.ParameterSet;
import drsn.train.LearningRateSchedule;
import drsn.train.OptimizerSettings;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingStep;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole training step of the paper's networks (L = 2048, 8 classes, batch 128, micro-batches
 * of 32): parallel forward + backward, fixed-order gradient reduction, SGD with momentum and
 * weight decay, running-statistics merge. The score is samples per second (128 operations per
 * step). Targets: ≥ 2,500 samples/s on one thread, two threads ≥ 1.8× one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainingStepBenchmark {

  private static final int LENGTH = 2048;
  private static final int CLASSES = 8;
  private static final int BATCH = 128;

  @Param({"drsn-cw", "resnet"})
  public String family;

  @Param({"1", "2"})
  public int threads;

  @Param({"simd", "scalar"})
  public String path;

  @Param({"32"})
  public int microBatch;

  private Trainer trainer;
  private TrainingStep step;
  private float[] inputs;
  private int[] labels;
  private long count;

  @Setup
  public void setup() {
    Architecture arch = Architecture.paper(Family.fromId(family), LENGTH, CLASSES);
    TrainingConfig config = TrainingConfig.builder().threads(threads).batchSize(BATCH).microBatchSize(microBatch)
        .optimizer(OptimizerSettings.paper()).schedule(LearningRateSchedule.constant(0.01))
        .kernels(Providers.byName(path)).build();
    trainer = new Trainer(arch, config);
    step = trainer.newStep(ParameterSet.initialise(arch, 1));
    SplittableRandom r = new SplittableRandom(2);
    inputs = new float[BATCH * LENGTH];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = (float) r.nextGaussian();
    }
    labels = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = r.nextInt(CLASSES);
    }
  }

  @TearDown
  public void tearDown() {
    trainer.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double trainStep() {
    step.run(inputs, labels, BATCH, count++, 0.01);
    return step.loss();
  }
}
