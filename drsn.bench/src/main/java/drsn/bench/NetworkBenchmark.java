package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import drsn.tensor.KernelProvider;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The paper's networks (L = 2048, 8 classes), one thread: inference latency at batch 1 through
 * the {@link Predictor} (median via sample time; run with {@code -prof gc} for bytes per call),
 * and a training step's forward + backward at batch 128. Targets: ≤ 150 µs, ≤ 50 ms, 0 B/op.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class NetworkBenchmark {

  @Param({"drsn-cw", "resnet"})
  public String family;

  @Param({"simd", "scalar"})
  public String path;

  private static final int LENGTH = 2048;
  private static final int CLASSES = 8;
  private static final int BATCH = 128;

  private Predictor predictor;
  private float[] signal;
  private float[] probabilities;
  private Network training;
  private float[] batch;
  private int[] labels;

  @Setup
  public void setup() {
    KernelProvider kernels = Providers.byName(path);
    Architecture arch = Architecture.paper(Family.fromId(family), LENGTH, CLASSES);
    SplittableRandom r = new SplittableRandom(1);
    signal = new float[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      signal[i] = (float) r.nextGaussian();
    }
    batch = new float[BATCH * LENGTH];
    labels = new int[BATCH];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < BATCH; i++) {
      labels[i] = r.nextInt(CLASSES);
    }
    ParameterSet params = ParameterSet.initialise(arch, 7);
    Model model = Model.of(arch, params);
    predictor = model.predictor(kernels);
    probabilities = new float[CLASSES];
    training = new Network(arch, params.copy(), kernels).training(true);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[] inferBatch1() {
    predictor.predict(signal, probabilities);
    return probabilities;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public float forwardBackwardBatch128() {
    training.zeroGradients();
    training.forward(batch, BATCH);
    float loss = training.loss(labels);
    training.backward();
    return loss;
  }
}
