package drsn.spark;

import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Small models and signal files for the tests. */
final class TestFiles {

  private TestFiles() {
  }

  /** A seeded, untrained shrinkage network for 1 × {@code length} signals and three named classes. */
  static Model model(int channels, int length, long seed) {
    List<Float> zeros = java.util.Collections.nCopies(channels, 0f);
    List<Float> ones = java.util.Collections.nCopies(channels, 1f);
    Architecture a = new Architecture(Family.DRSN_CW, 1, channels, 1, length, List.of(4, 8), List.of(1, 1), 3, 2, 2,
        3, List.of("healthy", "inner race", "outer"), zeros, ones, 4, false);
    return Model.of(a, ParameterSet.initialise(a, seed));
  }

  static Path save(Model m, Path file) throws IOException {
    Checkpoint.save(m, file);
    return file;
  }

  /** Gaussian noise with a sine of {@code period} samples: signals the classes tell apart differently. */
  static float[] signal(int length, int period, long seed) {
    Random r = new Random(seed);
    float[] x = new float[length];
    for (int t = 0; t < length; t++) {
      x[t] = (float) (Math.sin(2 * Math.PI * t / period) + 0.5 * r.nextGaussian());
    }
    return x;
  }

  /** {@code values} as a little-endian float32 NPY file (version 1.0) of {@code shape}. */
  static Path npy(Path file, float[] values, int... shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(',');
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (float v : values) {
      b.putFloat(v);
    }
    Files.write(file, b.array());
    return file;
  }
}
