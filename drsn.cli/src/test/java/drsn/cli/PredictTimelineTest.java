package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * predict on long recordings and in other units: a timeline that finds a change of state within a
 * hop, and the same recording as WAV and as CSV classified alike or refused with a reason.
 */
class PredictTimelineTest {

  static final int RATE = 8000;
  static final int WINDOW = 128;
  static final double LOW = 0.03;
  static final double HIGH = 0.2;

  @TempDir
  static Path dir;
  static Path model;

  /** A tone of f cycles per sample with a little noise, amplitude 0.5 (inside a WAV's range). */
  static float[] tone(double f, int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double phase = rnd.nextDouble() * 2 * Math.PI;
    float[] x = new float[n];
    for (int t = 0; t < n; t++) {
      x[t] = (float) (0.5 * Math.sin(2 * Math.PI * f * t + phase) + 0.02 * rnd.nextGaussian());
    }
    return x;
  }

  /** A model trained on WAV recordings at 8 kHz of two states: a low and a high tone. */
  @BeforeAll
  static void train() throws IOException {
    Path data = dir.resolve("wav");
    for (String state : List.of("low", "high")) {
      Path d = Files.createDirectories(data.resolve(state));
      for (int r = 0; r < 4; r++) {
        double f = (state.equals("low") ? LOW : HIGH) * (1 + 0.05 * r);
        Cli.writeWav16(d.resolve(r + ".wav"), tone(f, 2048, r), RATE);
      }
    }
    Path out = dir.resolve("run");
    Cli.Result r = Cli.run("train", "--data", data.toString(), "--length", Integer.toString(WINDOW), "--widths", "8",
        "--units", "1", "--epochs", "4", "--batch", "16", "--threads", "2", "--quiet", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    model = out;
  }

  @Test
  void aRecordingThatChangesStateHalfwayShowsTheChangeWithinOneHop() throws IOException {
    int n = 4096;
    int hop = 32;
    float[] x = new float[n];
    System.arraycopy(tone(LOW, n / 2, 11), 0, x, 0, n / 2);
    System.arraycopy(tone(HIGH, n / 2, 12), 0, x, n / 2, n / 2);
    Path wav = dir.resolve("change.wav");
    Cli.writeWav16(wav, x, RATE);
    Cli.Result r = Cli.run("predict", "--model", model.toString(), "--hop", Integer.toString(hop), "--json",
        wav.toString());
    assertEquals(0, r.code(), r.err());
    Map<?, ?> t = (Map<?, ?>) Json.parse(r.out().strip(), 8, 1_000_000);
    List<?> windows = (List<?>) t.get("windows");
    assertEquals((n - WINDOW) / hop + 1, windows.size(), "every window, none cropped");
    assertEquals("low", ((Map<?, ?>) windows.getFirst()).get("class"));
    assertEquals("high", ((Map<?, ?>) windows.getLast()).get("class"));
    List<?> changes = (List<?>) t.get("changes");
    assertEquals(1, changes.size(), r.out());
    Map<?, ?> change = (Map<?, ?>) changes.getFirst();
    assertEquals("low", change.get("from"));
    double at = Json.asDouble(change.get("sample"));
    assertTrue(Math.abs(at - n / 2.0) <= hop, "change reported at sample " + at + ", the state changed at " + n / 2);
    assertEquals((n / 2.0) / RATE, Json.asDouble(change.get("seconds")), (double) hop / RATE + 1e-9);
    Map<?, ?> share = (Map<?, ?>) t.get("share");
    assertEquals(0.5, Json.asDouble(share.get("low")), 0.1);

    // Text: one line per window with its time, then the summary; CSV: a header and one row per window.
    Cli.Result text = Cli.run("predict", "--model", model.toString(), "--hop", "1024", wav.toString());
    assertEquals(0, text.code(), text.err());
    String[] lines = text.out().strip().split("\n");
    assertEquals(5 + 1, lines.length, text.out()); // windows at 0, 1024, 2048, 3072, one ending at the last sample
    assertTrue(lines[1].contains("@ 0.128 s: low"), lines[1]);
    assertTrue(lines[lines.length - 1].contains("1 change: low -> high at"), text.out());
    Cli.Result csv = Cli.run("predict", "--model", model.toString(), "--hop", "1024", "--format", "csv",
        wav.toString());
    String[] rows = csv.out().strip().split("\n");
    assertEquals("input,start_sample,start_seconds,class,p_high,p_low", rows[0]);
    assertEquals(5, rows.length - 1, csv.out());
  }

  @Test
  void theSameRecordingAsWavAndAsCsvGetsTheSameClassOrARefusal() throws IOException {
    float[] x = tone(HIGH, WINDOW, 5);
    Path wav = dir.resolve("same.wav");
    Cli.writeWav16(wav, x, RATE);
    // The CSV holds exactly the WAV's samples as the WAV reader scales them.
    StringBuilder csv = new StringBuilder("x\n");
    for (float v : x) {
      csv.append(Math.max(-32768, Math.min(32767, Math.round(v * 32768))) / 32768f).append('\n');
    }
    Path csvFile = dir.resolve("same.csv");
    Files.writeString(csvFile, csv);
    Cli.Result fromWav = Cli.run("predict", "--model", model.toString(), "--json", wav.toString());
    assertEquals(0, fromWav.code(), fromWav.err());
    Cli.Result refused = Cli.run("predict", "--model", model.toString(), "--json", csvFile.toString());
    assertEquals(1, refused.code());
    assertEquals(1, refused.errLines().length, refused.err());
    assertTrue(refused.err().contains("same.csv holds raw values") && refused.err().contains("--input-scale"),
        refused.err());
    Cli.Result declared = Cli.run("predict", "--model", model.toString(), "--json", "--input-scale", "full-scale",
        csvFile.toString());
    assertEquals(0, declared.code(), declared.err());
    Map<?, ?> w = (Map<?, ?>) Json.parse(fromWav.out().strip(), 8, 1_000_000);
    Map<?, ?> c = (Map<?, ?>) Json.parse(declared.out().strip(), 8, 1_000_000);
    assertEquals(w.get("class"), c.get("class"));
    assertEquals(w.get("probabilities").toString(), c.get("probabilities").toString());

    // Another rate: an integer multiple is decimated (with a note), anything else is refused.
    Path fast = dir.resolve("fast.wav");
    Cli.writeWav16(fast, tone(HIGH / 2, 1024, 6), 2 * RATE);
    Cli.Result resampled = Cli.run("predict", "--model", model.toString(), "--json", fast.toString());
    assertEquals(0, resampled.code(), resampled.err());
    assertTrue(resampled.err().contains("resampled from 16000 Hz to the model's 8000 Hz"), resampled.err());
    assertEquals("high", ((Map<?, ?>) Json.parse(resampled.out().strip(), 8, 1_000_000)).get("class"));
    Path odd = dir.resolve("odd.wav");
    Cli.writeWav16(odd, tone(HIGH, 1024, 6), 11025);
    Cli.Result wrongRate = Cli.run("predict", "--model", model.toString(), odd.toString());
    assertEquals(1, wrongRate.code());
    assertTrue(wrongRate.err().contains("odd.wav is sampled at 11025 Hz, the model at 8000 Hz"), wrongRate.err());
  }

  /** Little-endian 16-bit PCM of samples in [-1, 1), as a WAV file's data. */
  static byte[] pcm16(float[] x) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 * x.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : x) {
      b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
    }
    return b.array();
  }

  @Test
  void aStreamGivesTheSameWindowsAsTheFileInEveryFormat() throws IOException {
    int n = 1024;
    float[] x = new float[n];
    System.arraycopy(tone(LOW, n / 2, 21), 0, x, 0, n / 2);
    System.arraycopy(tone(HIGH, n / 2, 22), 0, x, n / 2, n / 2);
    Path wav = dir.resolve("stream.wav");
    Cli.writeWav16(wav, x, RATE);
    Cli.Result file = Cli.run("predict", "--model", model.toString(), "--hop", "64", "--json", wav.toString());
    assertEquals(0, file.code(), file.err());
    List<?> expected = (List<?>) ((Map<?, ?>) Json.parse(file.out().strip(), 8, 1_000_000)).get("windows");

    byte[] pcm = pcm16(x);
    Cli.Result s16 = runWithStdinBytes(pcm, "predict", "--model", model.toString(), "--stream", "--stream-format",
        "s16", "--hop", "64", "--json");
    assertEquals(0, s16.code(), s16.err());
    String[] lines = s16.out().strip().split("\n");
    assertEquals((n - WINDOW) / 64 + 1, lines.length);
    for (int i = 0; i < lines.length; i++) {
      Map<?, ?> got = (Map<?, ?>) Json.parse(lines[i], 4, 10_000);
      Map<?, ?> want = (Map<?, ?>) expected.get(i);
      assertEquals(want.get("start"), got.get("start"));
      assertEquals(want.get("class"), got.get("class"));
      assertEquals(Json.asDouble(want.get("probability")), Json.asDouble(got.get("probability")), 1e-6);
    }
    // Text and float32 hold raw numbers: refused for a model trained on WAV unless declared full-scale.
    StringBuilder text = new StringBuilder();
    java.nio.ByteBuffer f32 = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      float v = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768))) / 32768f;
      text.append(v).append(i % 7 == 6 ? "\n" : " ");
      f32.putFloat(v);
    }
    Cli.Result refused = Cli.runWithStdin(text.toString(), "predict", "--model", model.toString(), "--stream");
    assertEquals(1, refused.code());
    assertEquals(1, refused.errLines().length, refused.err());
    assertTrue(refused.err().contains("raw values"), refused.err());
    for (Cli.Result r : List.of(
        Cli.runWithStdin(text.toString(), "predict", "--model", model.toString(), "--stream", "--hop", "64",
            "--input-scale", "full-scale", "--format", "csv"),
        runWithStdinBytes(f32.array(), "predict", "--model", model.toString(), "--stream", "--stream-format", "f32",
            "--hop", "64", "--input-scale", "full-scale", "--format", "csv"))) {
      assertEquals(0, r.code(), r.err());
      String[] rows = r.out().strip().split("\n");
      assertEquals(lines.length + 1, rows.length);
      for (int i = 0; i < lines.length; i++) {
        assertEquals(((Map<?, ?>) expected.get(i)).get("class"), rows[i + 1].split(",")[3]);
      }
    }
    Cli.Result broken = Cli.runWithStdin("0.1 0.2 zap\n", "predict", "--model", model.toString(), "--stream",
        "--input-scale", "full-scale");
    assertEquals(1, broken.code());
    assertTrue(broken.err().contains("stdin value 3: 'zap' is not a number"), broken.err());
  }

  @Test
  void aStreamAnswersAWindowBeforeTheInputEnds() throws Exception {
    var predictor = drsn.nn.Checkpoint.load(model.resolve("model.safetensors")).predictor();
    var results = new java.util.concurrent.LinkedBlockingQueue<Long>();
    var classifier = new drsn.nn.StreamingClassifier(predictor, WINDOW, (start, p) -> results.add(start));
    var pipe = new java.io.PipedInputStream(1 << 16);
    var writer = new java.io.PipedOutputStream(pipe);
    Thread reader = Thread.ofVirtual().start(() -> {
      try {
        new drsn.cli.internal.SampleStream(drsn.cli.internal.SampleStream.Format.S16, classifier).run(pipe);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.write(pcm16(tone(LOW, WINDOW, 3)));
    writer.flush();
    // The stream stays open: the first window's result must come without waiting for the end.
    Long first = results.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(0L, first, "the first window is answered while the input is still open");
    writer.write(pcm16(tone(LOW, WINDOW / 2, 4)));
    writer.flush();
    assertEquals(null, results.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS), "half a window: no result");
    writer.close();
    reader.join();
  }

  @Test
  void linesOnStandardInputAreAnsweredOneByOneAsTheyArrive() throws Exception {
    var lines = new java.util.concurrent.LinkedBlockingQueue<String>();
    java.io.Writer sink = new java.io.Writer() {
      private final StringBuilder line = new StringBuilder();

      @Override
      public void write(char[] c, int off, int len) {
        for (int i = off; i < off + len; i++) {
          if (c[i] == '\n') {
            lines.add(line.toString());
            line.setLength(0);
          } else {
            line.append(c[i]);
          }
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    var pipe = new java.io.PipedInputStream(1 << 16);
    var feed = new java.io.PipedOutputStream(pipe);
    var saved = System.in;
    System.setIn(pipe);
    int[] code = {-1};
    Thread run = new Thread(() -> code[0] = Main.run(new java.io.PrintWriter(sink),
        new java.io.PrintWriter(new java.io.StringWriter()), "predict", "--model", model.toString(), "--input-scale",
        "full-scale"));
    try {
      run.start();
      for (int k = 1; k <= 2; k++) {
        StringBuilder text = new StringBuilder();
        for (float v : tone(k == 1 ? LOW : HIGH, WINDOW, k)) {
          text.append(v).append(' ');
        }
        feed.write((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        feed.flush();
        // The input stays open: the line's answer must not wait for its end.
        String answer = lines.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(answer != null && answer.startsWith("stdin line " + k + ": " + (k == 1 ? "low" : "high")),
            "answer to line " + k + ": " + answer);
      }
      feed.close();
      run.join();
      assertEquals(0, code[0]);
    } finally {
      System.setIn(saved);
    }
  }

  static Cli.Result runWithStdinBytes(byte[] stdin, String... args) {
    var saved = System.in;
    System.setIn(new java.io.ByteArrayInputStream(stdin));
    try {
      return Cli.run(args);
    } finally {
      System.setIn(saved);
    }
  }
}
