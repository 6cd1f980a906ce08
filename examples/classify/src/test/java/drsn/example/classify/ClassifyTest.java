package drsn.example.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Checkpoint;
import drsn.nn.Model;
import drsn.nn.Predictor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyTest {

  @TempDir
  Path dir;

  record Result(int status, List<String> out, List<String> err) {
  }

  static Result run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Classify.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void everyLineIsAnsweredWithThePredictorsMostProbableClass() throws IOException {
    SampleModel.write(dir, 128, 4, 12);
    Path model = dir.resolve("model.safetensors");
    List<String> signals = Files.readAllLines(dir.resolve("signals.txt"));
    Result r = run("", "--model", model.toString(), dir.resolve("signals.txt").toString());
    assertEquals(0, r.status(), String.join("\n", r.err()));
    assertEquals(signals.size(), r.out().size());
    Model m = Checkpoint.load(model);
    Predictor p = m.predictor();
    for (int i = 0; i < signals.size(); i++) {
      float[] x = new float[128];
      assertEquals(null, SignalLine.parse(signals.get(i), x));
      float[] probs = p.predict(x);
      int best = 0;
      for (int k = 1; k < probs.length; k++) {
        best = probs[k] > probs[best] ? k : best;
      }
      String[] answer = r.out().get(i).split("\t");
      assertEquals(m.architecture().classNames().get(best), answer[0]);
      assertEquals(probs[best], Float.parseFloat(answer[1]), 1e-5f); // scalar or SIMD kernels: last bits differ
    }
  }

  @Test
  void badLinesAreNamedAndTheOthersStillAnswered() throws IOException {
    SampleModel.write(dir, 16, 3, 2);
    String good = Files.readAllLines(dir.resolve("signals.txt")).get(0);
    String stdin = good + "\n1 2 3\n" + good.replaceFirst("^\\S+", "x\u0007y") + "\n\n"
        + good.replaceFirst("^\\S+", "NaN") + "\n" + good + ",4\n" + good.replace(' ', ',') + "\n";
    Result r = run(stdin, "--model", dir.resolve("model.safetensors").toString());
    assertEquals(1, r.status());
    assertEquals(2, r.out().size(), "the first and the comma-separated line: " + r.out());
    assertEquals(List.of(
        "line 2: expected 16 numbers, got 3",
        "line 3: value 1 is not a number: 'x?y'",
        "line 5: value 1 is not finite: 'NaN'",
        "line 6: expected 16 numbers, got more"), r.err());
  }

  @Test
  void aModelThatDoesNotLoadIsOneLine() throws IOException {
    Path corrupt = dir.resolve("corrupt.safetensors");
    Files.write(corrupt, new byte[] {1, 2, 3});
    Result r = run("", "--model", corrupt.toString());
    assertEquals(1, r.status());
    assertEquals(1, r.err().size(), r.err().toString());
    assertTrue(r.err().get(0).startsWith("classify: cannot load model " + corrupt), r.err().get(0));
    Result missing = run("", "--model", dir.resolve("none").toString());
    assertEquals(1, missing.status());
    assertEquals(1, missing.err().size());
    assertEquals(2, run("").status(), "no model: usage");
    assertEquals(2, run("", "--model", "m", "--bogus").status());
  }
}
