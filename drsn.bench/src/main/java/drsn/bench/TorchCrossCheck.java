package drsn.bench;

import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.Network;
import drsn.tensor.KernelProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes, for each family, the paper's network (L = 2048, 8 classes; parameters moved off their
 * initialisation and running statistics off 0/1 by a few training-mode passes) as
 * {@code <family>.safetensors}, a batch of inputs {@code x.npy} and drsn's evaluation-mode logits
 * {@code <family>-logits.npy}, so that PyTorch can check them:
 * <pre>
 *   java -cp drsn.bench/target/benchmarks.jar drsn.bench.TorchCrossCheck /tmp/xc [seed]
 *   /usr/bin/python3 drsn.bench/python/drsn_torch.py logits /tmp/xc/drsn-cw.safetensors /tmp/xc/x.npy \
 *       --expected /tmp/xc/drsn-cw-logits.npy
 *   /usr/bin/python3 drsn.bench/python/grad_check.py /tmp/xc
 * </pre>
 * and {@code <family>-grads.npy}: the training-mode gradients of the mean cross-entropy for labels
 * 0, 1, …, flat in parameter order (the order of PyTorch's {@code parameters()}).
 */
public final class TorchCrossCheck {

  private TorchCrossCheck() {
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : ".");
    Files.createDirectories(dir);
    int n = 4;
    int length = 2048;
    SplittableRandom r = new SplittableRandom(args.length > 1 ? Long.parseLong(args[1]) : 3);
    float[] x = new float[n * length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    npy(dir.resolve("x.npy"), x, n, 1, length);
    for (Family f : Family.values()) {
      Network net = Network.create(Architecture.paper(f, length, 8), 7).training(true);
      float[] v = net.parameters().values();
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) (0.05 * r.nextGaussian());
      }
      for (int i = 0; i < 5; i++) {
        net.forward(x, n);
      }
      Model m = net.toModel();
      Checkpoint.save(m, dir.resolve(f.id() + ".safetensors"));
      float[] logits = m.newNetwork(KernelProvider.get()).forward(x, n);
      npy(dir.resolve(f.id() + "-logits.npy"), Arrays.copyOf(logits, n * 8), n, 8);
      // Training mode (batch statistics) from the saved parameters: loss and gradients for labels 0..n-1.
      Network train = m.newNetwork(KernelProvider.get()).training(true);
      train.forward(x, n);
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i % 8;
      }
      train.loss(labels);
      train.backward();
      npy(dir.resolve(f.id() + "-grads.npy"), train.gradients(), train.gradients().length);
    }
  }

  /** A little-endian float32 .npy file (format version 1.0). */
  static void npy(Path p, float[] data, int... shape) throws IOException {
    StringBuilder h = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
    for (int d : shape) {
      h.append(d).append(", ");
    }
    h.append("), }");
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(10 + header.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
        .putShort((short) header.length).put(header);
    for (float v : data) {
      b.putFloat(v);
    }
    Files.write(p, b.array());
  }
}
