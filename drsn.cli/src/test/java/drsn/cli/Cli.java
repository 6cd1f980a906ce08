package drsn.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the drsn command in-process with captured output, and writes small signal files for tests. */
final class Cli {

  record Result(int code, String out, String err) {
    String[] errLines() {
      return err.isBlank() ? new String[0] : err.strip().split("\n");
    }
  }

  private Cli() {
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs with the given text on System.in (restored afterwards). */
  static Result runWithStdin(String stdin, String... args) {
    var saved = System.in;
    System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      return run(args);
    } finally {
      System.setIn(saved);
    }
  }

  /** A float32 little-endian C-order NPY file of the given shape (NPY format version 1.0). */
  static void writeNpy(Path p, float[] data, int... shape) throws IOException {
    StringBuilder sh = new StringBuilder("(");
    for (int d : shape) {
      sh.append(d).append(", ");
    }
    if (shape.length > 1) {
      sh.setLength(sh.length() - 1);
    }
    sh.append(")");
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.write(header.length() & 0xff);
    b.write(header.length() >> 8);
    b.write(header.getBytes(StandardCharsets.US_ASCII));
    ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      bb.putFloat(f);
    }
    b.write(bb.array());
    Files.write(p, b.toByteArray());
  }

  /** A mono 16-bit PCM WAV file of samples in [-1, 1). */
  static void writeWav16(Path p, float[] samples, int rate) throws IOException {
    int dataBytes = samples.length * 2;
    ByteBuffer bb = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    bb.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
    bb.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
    bb.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (float s : samples) {
      bb.putShort((short) Math.max(-32768, Math.min(32767, Math.round(s * 32768))));
    }
    Files.write(p, bb.array());
  }

  static float[] signal(long seed, int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.5 * Math.sin(i * 0.3 + seed) + 0.1 * r.nextGaussian());
    }
    return x;
  }
}
