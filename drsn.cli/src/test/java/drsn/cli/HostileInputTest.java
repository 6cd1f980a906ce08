package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.internal.Json;
import drsn.nn.internal.SafeTensors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted hostile inputs, generated here (nothing large is committed), run through the app in one
 * child JVM with a 128 MB heap: each must end within seconds in a one-line error that names what
 * was wrong (the limit, where there is one) and quotes at most a short excerpt, or be handled
 * correctly; never an OutOfMemoryError, a stack trace or an integer overflow. The cases are small
 * files whose declared or implied sizes are huge: the amplification a limit has to stop before
 * allocating.
 */
class HostileInputTest {

  static final int HEAP_MB = 128;
  static final int LEN = 256;

  @TempDir
  static Path dir;
  static Path model;

  /** One run of the app: its arguments, the file to read as standard input (or null) and the expectation. */
  record Case(String what, List<String> args, Path stdin, int code, String mentions) {
  }

  static final List<Case> CASES = new ArrayList<>();

  @BeforeAll
  static void craft() throws IOException {
    model = dir.resolve("model.safetensors");
    Architecture a = new Architecture(Family.DRSN_CW, 1, 1, 1, LEN, List.of(4, 8), List.of(1, 1), 3, 2, 2, 3,
        List.of("a", "b", "c"), List.of(0f), List.of(1f), 4, false);
    Checkpoint.save(drsn.nn.Model.of(a, drsn.nn.ParameterSet.initialise(a, 5)), model);
    String m = model.toString();

    // A CSV of one row of 150,000 one-sample columns: 300 KB asking for 150,000 signals.
    Path wide = write("wide.csv", "0,".repeat(149_999) + "0\n");
    add("wide CSV", List.of("predict", "-m", m, wide.toString()), null, 1, "drsn.limit.signals-per-file");
    // An NPY of 10^6 signals of length 1 (4 MB): the signal count is refused from the header.
    Path tall = dir.resolve("tall.npy");
    Cli.writeNpy(tall, new float[1_000_000], 1_000_000, 1);
    add("tall NPY", List.of("predict", "-m", m, tall.toString()), null, 1, "drsn.limit.signals-per-file");
    // An NPY claiming 10^9 signals of length 0: no data at all, so nothing to check against.
    Path zero = dir.resolve("zero.npy");
    Cli.writeNpy(zero, new float[0], 1_000_000_000, 0);
    add("zero-length NPY axis", List.of("predict", "-m", m, zero.toString()), null, 1, "holds no samples");
    // 20,000 short signals: each is refused for its length before any batch is laid out...
    Path shortOnes = dir.resolve("short.npy");
    Cli.writeNpy(shortOnes, new float[20_000 * 3], 20_000, 3);
    add("many short signals", List.of("predict", "-m", m, shortOnes.toString()), null, 1, "--fit");
    // ...and with --fit all 20,000 are padded and predicted a bounded batch at a time.
    add("many short signals, --fit", List.of("predict", "-m", m, "--fit", shortOnes.toString()), null, 0, null);
    // Standard input: 150,000 lines of one number.
    Path lines = write("lines.txt", "0.5\n".repeat(150_000));
    // Lines are answered as they arrive: the first one (too short for the model) is refused at once,
    // before the rest is read.
    add("stdin lines", List.of("predict", "-m", m), lines, 1, "stdin line 1: the model expects");
    // A 5 MB bad token on stdin and a 5 MB bad cell in a CSV: quoted as a short excerpt.
    Path token = write("token.txt", "1 2 " + "x".repeat(5_000_000) + "\n");
    add("stdin huge bad token", List.of("predict", "-m", m), token, 1, "is not a number");
    Path cell = write("cell.csv", "signal\n1\n" + "y".repeat(5_000_000) + "\n");
    add("CSV huge bad cell", List.of("predict", "-m", m, cell.toString()), null, 1, "is not a number");
    // Empty signals.
    Path header = write("header.csv", "left,right\n");
    add("CSV with only a header", List.of("predict", "-m", m, header.toString()), null, 1, "only a header");
    Path wav = dir.resolve("empty.wav");
    Cli.writeWav16(wav, new float[0], 8000);
    add("WAV without data", List.of("predict", "-m", m, wav.toString()), null, 1, "no samples");
    Path emptyNpy = dir.resolve("empty.npy");
    Cli.writeNpy(emptyNpy, new float[0], 0);
    add("empty NPY", List.of("predict", "-m", m, emptyNpy.toString()), null, 1, "no samples");
    // A MAT file of 100 KB whose wanted variable inflates to 64 MB, in a CWRU folder.
    Path cwru = Files.createDirectories(dir.resolve("cwru"));
    writeMat(cwru.resolve("normal_0_97.mat"), "X097_DE_time", 8 << 20);
    writeMat(cwru.resolve("12k_Drive_End_IR007_0_105.mat"), "X105_DE_time", 1000);
    add("MAT bomb", List.of("train", "--data", "cwru:" + cwru, "--epochs", "1", "--out",
        dir.resolve("out-mat").toString()), null, 1, "drsn.limit.mat-inflated-per-file");
    // Degenerate UCR sets: one class; a test label never seen in training.
    Path one = ucr("One", "1\t0.1\t0.2\t0.3\n1\t0.3\t0.2\t0.1\n", "1\t0.1\t0.2\t0.3\n");
    add("single-class UCR", List.of("train", "--data", "ucr:" + one, "--out", dir.resolve("o1").toString()), null, 1,
        "at least 2");
    Path unseen = ucr("Unseen", "1\t0.1\t0.2\t0.3\n2\t0.3\t0.2\t0.1\n", "1\t0.1\t0.2\t0.3\n3\t1\t1\t1\n");
    add("unseen UCR test label", List.of("train", "--data", "ucr:" + unseen, "--out", dir.resolve("o2").toString()),
        null, 1, "never occur in the training");
    // A model file whose class names would forge output lines or repeat: refused on loading.
    add("duplicate class names", List.of("inspect", "-m", modelWithNames(List.of("a", "a", "c")).toString()), null, 1,
        "more than once");
    add("escape codes in a class name", List.of("inspect", "-m",
        modelWithNames(List.of("a", "b\u001b[2J\nc: 1.000", "c")).toString()), null, 1, "unprintable");
    // Invalid option values are usage errors.
    add("bad --grace", List.of("serve", "-m", m, "--grace", "-1"), null, 2, "--grace");
    add("bad --top", List.of("predict", "-m", m, "--top", "many"), null, 2, "--top");
  }

  static void add(String what, List<String> args, Path stdin, int code, String mentions) {
    CASES.add(new Case(what, args, stdin, code, mentions));
  }

  static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  static Path ucr(String name, String train, String test) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve(name + "_TRAIN.tsv"), train);
    Files.writeString(d.resolve(name + "_TEST.tsv"), test);
    return d;
  }

  /** A model file as a tampering tool would write it: valid in every way but its class names. */
  static Path modelWithNames(List<String> names) throws IOException {
    SafeTensors.Contents c = SafeTensors.read(model, meta -> Long.MAX_VALUE);
    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
    meta.put("class_names", Json.write(names, Json.Format.STRICT));
    Path p = dir.resolve("names" + names.hashCode() + ".safetensors");
    SafeTensors.write(p, meta, c.tensors());
    return p;
  }

  /** A MAT v5 file of one compressed double column of {@code n} zeros (a few hundred bytes per MB inflated). */
  static void writeMat(Path file, String name, int n) throws IOException {
    ByteArrayOutputStream file0 = new ByteArrayOutputStream();
    byte[] text = String.format("%-116s", "MATLAB 5.0 MAT-file, crafted by HostileInputTest")
        .getBytes(StandardCharsets.US_ASCII);
    file0.write(text);
    file0.write(new byte[8]);
    file0.write(new byte[] {0, 1, 'I', 'M'});
    byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
    int namePadded = (nameBytes.length + 7) & ~7;
    long dataBytes = 8L * n;
    ByteBuffer head = ByteBuffer.allocate(8 + 16 + 16 + 8 + namePadded + 8).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(14).putInt((int) (16 + 16 + 8 + namePadded + 8 + dataBytes));
    head.putInt(6).putInt(8).putInt(6).putInt(0); // flags: class double
    head.putInt(5).putInt(8).putInt(n).putInt(1); // dimensions n x 1
    head.putInt(1).putInt(nameBytes.length).put(nameBytes).put(new byte[namePadded - nameBytes.length]);
    head.putInt(9).putInt((int) dataBytes);
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream d = new DeflaterOutputStream(z)) {
      d.write(head.array());
      byte[] zeros = new byte[1 << 16];
      for (long left = dataBytes; left > 0; left -= zeros.length) {
        d.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    }
    ByteBuffer tag = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(15).putInt(z.size());
    file0.write(tag.array());
    z.writeTo(file0);
    Files.write(file, file0.toByteArray());
  }

  @Test
  void everyCaseEndsInOneLineWithinBoundedMemory() throws Exception {
    Path spec = dir.resolve("cases.txt");
    StringBuilder b = new StringBuilder();
    for (Case c : CASES) {
      b.append(c.stdin() == null ? "-" : c.stdin().toString());
      for (String a : c.args()) {
        b.append('\t').append(a);
      }
      b.append('\n');
    }
    Files.writeString(spec, b);
    Process p = new ProcessBuilder(ChildJvm.command(HEAP_MB, List.of(), Child.class.getName(),
        List.of(spec.toString()))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    List<String> results = out.lines().filter(l -> l.startsWith("CASE\t")).toList();
    assertEquals(CASES.size(), results.size(), out);
    for (int i = 0; i < CASES.size(); i++) {
      Case c = CASES.get(i);
      String[] f = results.get(i).split("\t", 6);
      int code = Integer.parseInt(f[1]);
      int errLines = Integer.parseInt(f[3]);
      int errChars = Integer.parseInt(f[4]);
      String err = f[5];
      assertEquals(c.code(), code, c.what() + ": exit code; stderr: " + err);
      if (c.code() != 0) {
        assertEquals(1, errLines, c.what() + ": one line on stderr: " + err);
        assertTrue(errChars < 600, c.what() + ": a short message, got " + errChars + " characters");
        assertTrue(err.contains(c.mentions()), c.what() + ": should mention '" + c.mentions() + "': " + err);
        assertFalse(err.contains("\u001b"), c.what() + ": no escape codes reach the terminal: " + err);
        assertFalse(err.contains("OutOfMemory") || err.contains("out of memory") || err.contains("overflow"),
            c.what() + ": " + err);
      } else {
        assertEquals(0, errLines, c.what() + ": " + err);
      }
    }
    // The --fit case really predicted every signal.
    int fit = CASES.indexOf(CASES.stream().filter(c -> c.what().endsWith("--fit")).findFirst().orElseThrow());
    assertEquals("20000", results.get(fit).split("\t")[2], "one line of output per signal");
  }

  /** The child JVM: runs each case of the spec file in turn, printing code, output lines and stderr. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      for (String line : Files.readAllLines(Path.of(args[0]))) {
        String[] f = line.split("\t");
        var saved = System.in;
        System.setIn(f[0].equals("-") ? new ByteArrayInputStream(new byte[0])
            : new ByteArrayInputStream(Files.readAllBytes(Path.of(f[0]))));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try {
          code = Main.run(new PrintWriter(out), new PrintWriter(err), java.util.Arrays.copyOfRange(f, 1, f.length));
        } finally {
          System.setIn(saved);
        }
        String e = err.toString().strip();
        System.out.println("CASE\t" + code + "\t" + out.toString().lines().count() + "\t"
            + (e.isEmpty() ? 0 : e.lines().count()) + "\t" + e.length() + "\t"
            + e.replace('\n', ' ').replace('\t', ' '));
      }
    }
  }
}
