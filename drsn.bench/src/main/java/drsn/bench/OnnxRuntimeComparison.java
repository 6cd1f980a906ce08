package drsn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Predictor;
import drsn.nn.onnx.OnnxExport;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * drsn against ONNX Runtime in one JVM on the same model: the paper's DRSN-CW (L = 2048, 10
 * classes, random weights and running statistics), exported with drsn's ONNX exporter. ONNX
 * Runtime runs on one intra-op thread with all graph optimisations, on direct input and output
 * buffers made once (pinned outputs); drsn runs its {@link Predictor} on the calling thread into a
 * preallocated array. Blocks alternate (which side goes first alternates too), so a busy machine
 * slows both alike. Not JMH: every batch-1 call is timed on its own, for the median and p99.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *       -cp drsn.bench/target/benchmarks.jar:drsn.bench/target/lib/* \
 *       drsn.bench.OnnxRuntimeComparison [seconds per block, default 1] [rounds, default 5]
 * </pre>
 */
public final class OnnxRuntimeComparison {

  private OnnxRuntimeComparison() {
  }

  /** One side of the comparison: a batch-1 call and a batch-128 call on fixed inputs. */
  private interface Side {
    void one() throws OrtException;

    void batch() throws OrtException;
  }

  static final int BATCH = 128;

  public static void main(String[] args) throws Exception {
    double blockSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 1;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Architecture arch = Architecture.paper(Family.DRSN_CW, 2048, 10);
    Model model = OnnxPeer.randomModel(arch, 1);
    float[] x = new float[BATCH * arch.inputSize()];
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    Predictor predictor = model.predictor();
    float[] drsnOne = new float[arch.classes()];
    float[] drsnBatch = new float[BATCH * arch.classes()];
    float[] first = Arrays.copyOf(x, arch.inputSize());
    try (OnnxPeer peer = new OnnxPeer(OnnxExport.encode(model), arch);
         OnnxTensor in1 = peer.tensor(filled(peer.buffer(1), x, arch.inputSize()), 1);
         OnnxTensor inB = peer.tensor(filled(peer.buffer(BATCH), x, BATCH * arch.inputSize()), BATCH);
         OnnxTensor out1 = peer.outputTensor(1);
         OnnxTensor outB = peer.outputTensor(BATCH)) {
      Map<String, OnnxTensor> inputs1 = Map.of("signal", in1);
      Map<String, OnnxTensor> inputsB = Map.of("signal", inB);
      Map<String, OnnxValue> pinned1 = Map.of("probabilities", out1);
      Map<String, OnnxValue> pinnedB = Map.of("probabilities", outB);
      Side drsn = new Side() {
        public void one() {
          predictor.predict(first, drsnOne);
        }

        public void batch() {
          predictor.predictBatch(x, BATCH, drsnBatch);
        }
      };
      Side ort = new Side() {
        public void one() throws OrtException {
          peer.session().run(inputs1, pinned1).close();
        }

        public void batch() throws OrtException {
          peer.session().run(inputsB, pinnedB).close();
        }
      };
      // Both sides compute the same probabilities, or the race is void.
      drsn.batch();
      ort.batch();
      FloatBuffer ortProbs = outB.getFloatBuffer();
      double maxDiff = 0;
      for (int i = 0; i < drsnBatch.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(drsnBatch[i] - ortProbs.get(i)));
      }
      System.out.printf(Locale.ROOT, "agreement: max |drsn - ORT| over %d x %d probabilities = %.2e%n",
          BATCH, arch.classes(), maxDiff);

      warm(drsn, 2);
      warm(ort, 2);
      long[][] latencies = {new long[1 << 20], new long[1 << 20]};
      int[] counts = new int[2];
      double[][] throughput = new double[2][rounds];
      Side[] sides = {drsn, ort};
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < 2; k++) {
          int s = (round + k) % 2; // drsn first in even rounds, ORT first in odd ones
          counts[s] = timeOnes(sides[s], blockSeconds, latencies[s], counts[s]);
        }
        for (int k = 0; k < 2; k++) {
          int s = (round + k) % 2;
          throughput[s][round] = batchesPerSecond(sides[s], blockSeconds) * BATCH;
        }
      }
      String[] names = {"drsn", "ONNX Runtime 1.23.2"};
      System.out.printf(Locale.ROOT, "%d rounds of %.1f s blocks, alternating%n", rounds, blockSeconds);
      System.out.println("| runtime | batch-1 median | batch-1 p99 | batch-128 throughput (median of blocks) |");
      System.out.println("|---|---|---|---|");
      for (int s = 0; s < 2; s++) {
        long[] l = Arrays.copyOf(latencies[s], counts[s]);
        Arrays.sort(l);
        double[] t = throughput[s].clone();
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "| %s | %.0f µs | %.0f µs | %,.0f samples/s |%n", names[s],
            l[l.length / 2] / 1e3, l[(int) (l.length * 0.99)] / 1e3, t[t.length / 2]);
      }
    }
  }

  private static FloatBuffer filled(FloatBuffer b, float[] x, int count) {
    b.put(x, 0, count).rewind();
    return b;
  }

  private static void warm(Side side, double seconds) throws OrtException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      side.one();
      side.batch();
    }
  }

  /** Times batch-1 calls for a block, appending each call's nanoseconds; returns the new count. */
  private static int timeOnes(Side side, double seconds, long[] into, int count) throws OrtException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long t = System.nanoTime();
    while (t < end && count < into.length) {
      side.one();
      long after = System.nanoTime();
      into[count++] = after - t;
      t = after;
    }
    return count;
  }

  private static double batchesPerSecond(Side side, double seconds) throws OrtException {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int batches = 0;
    long t;
    do {
      side.batch();
      batches++;
      t = System.nanoTime();
    } while (t < end);
    return batches / ((t - start) / 1e9);
  }
}
