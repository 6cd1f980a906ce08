package drsn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ONNX Runtime (its Java API) as the peer of drsn's exported models: a session on one intra-op
 * thread with all graph optimisations, and models whose every parameter and running statistic is
 * non-trivial, so that an export that drops or misplaces any of them shows.
 */
final class OnnxPeer implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final Architecture arch;

  /** A session on the ONNX bytes of a model of {@code arch}. */
  OnnxPeer(byte[] onnx, Architecture arch) throws OrtException {
    this.arch = arch;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(onnx, options);
    }
  }

  /** The input shape of a batch of n: [n, C, L] or [n, C, H, W]. */
  long[] shape(int n) {
    return arch.dimensions() == 2
        ? new long[] {n, arch.inputChannels(), arch.inputHeight(), arch.inputWidth()}
        : new long[] {n, arch.inputChannels(), arch.inputWidth()};
  }

  /** A direct input tensor over {@code buffer} (n samples), to be reused across runs. */
  OnnxTensor tensor(FloatBuffer buffer, int n) throws OrtException {
    return OnnxTensor.createTensor(env, buffer, shape(n));
  }

  /** A direct output tensor for the probabilities of n samples (ONNX Runtime writes into it). */
  OnnxTensor outputTensor(int n) throws OrtException {
    FloatBuffer b = ByteBuffer.allocateDirect(4 * n * arch.classes()).order(ByteOrder.nativeOrder()).asFloatBuffer();
    return OnnxTensor.createTensor(env, b, new long[] {n, arch.classes()});
  }

  /** The session, for callers that run it on their own tensors. */
  OrtSession session() {
    return session;
  }

  /** A direct, native-order buffer for n samples. */
  FloatBuffer buffer(int n) {
    return ByteBuffer.allocateDirect(4 * n * arch.inputSize()).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Probabilities [n, classes] of n samples laid out one after another in x. */
  float[] predict(float[] x, int n) throws OrtException {
    FloatBuffer b = buffer(n);
    b.put(x, 0, n * arch.inputSize()).rewind();
    try (OnnxTensor t = tensor(b, n)) {
      return run(t);
    }
  }

  /** Logits [n, classes] of n samples laid out one after another in x. */
  float[] logits(float[] x, int n) throws OrtException {
    FloatBuffer b = buffer(n);
    b.put(x, 0, n * arch.inputSize()).rewind();
    try (OnnxTensor t = tensor(b, n)) {
      return run(t, 1);
    }
  }

  /** Probabilities of the batch in {@code input}, flattened. */
  float[] run(OnnxTensor input) throws OrtException {
    return run(input, 0);
  }

  private float[] run(OnnxTensor input, int output) throws OrtException {
    try (OrtSession.Result r = session.run(Map.of("signal", input))) {
      float[][] out = (float[][]) r.get(output).getValue();
      float[] flat = new float[out.length * arch.classes()];
      for (int s = 0; s < out.length; s++) {
        System.arraycopy(out[s], 0, flat, s * arch.classes(), arch.classes());
      }
      return flat;
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  /**
   * A model of {@code arch} with seeded random weights moved off their initial values (batch-norm
   * scales and shifts not 1 and 0) and random running statistics (means not 0, variances not 1).
   */
  static Model randomModel(Architecture arch, long seed) {
    ParameterSet p = ParameterSet.initialise(arch, seed);
    SplittableRandom r = new SplittableRandom(seed * 31 + 7);
    for (TensorSpec spec : p.specs()) {
      ParameterSet.Slot slot = p.slot(spec.name());
      float[] a = p.arrayOf(slot);
      for (int i = slot.offset(); i < slot.offset() + slot.size(); i++) {
        if (spec.name().endsWith("running_var")) {
          a[i] = (float) (0.3 + r.nextDouble());
        } else if (spec.name().endsWith("running_mean")) {
          a[i] = (float) (0.3 * r.nextGaussian());
        } else {
          a[i] += (float) (0.1 * r.nextGaussian());
        }
      }
    }
    return Model.of(arch, p);
  }
}
