package drsn.example.classify;

import drsn.nn.Checkpoint;
import drsn.nn.Model;
import drsn.nn.Predictor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Classifies signals, one per line, with a drsn model: {@code classify --model M [FILE]} reads
 * FILE (or standard input), each line the model's input size of numbers separated by spaces or
 * commas ([channels × length], in the units the model was trained on), and answers each line with
 * its class name and probability, as soon as the line arrives. A line that is not a signal is
 * answered on standard error ({@code line N: ...}) and the others still are; the exit status is
 * then 1. A model that does not load is one line on standard error and exit status 1.
 *
 * <p>What a service would do per request is in {@link #answer}: one shared {@link Predictor},
 * prediction into preallocated arrays (no allocation per call once warm). The first answers come
 * from the scalar kernels while the SIMD kernels warm up in the background ({@link WarmingPredictor}).
 */
public final class Classify {

  static final String USAGE = "usage: classify --model MODEL [FILE]  (signals one per line; FILE or standard input)";

  private Classify() {
  }

  public static void main(String[] args) {
    int status = run(args, System.in, System.out, System.err);
    // Returning ends the JVM as well (the warm-up thread is a daemon); System.exit would first set
    // up the JDK's logging to report the exit, which costs a short run a noticeable share of its CPU.
    if (status != 0) {
      System.exit(status);
    }
  }

  /** The program with its streams given; returns the exit status. */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Path modelPath = null;
    Path input = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--model") && i + 1 < args.length) {
        modelPath = Path.of(args[++i]);
      } else if (args[i].startsWith("-") && !args[i].equals("-")) {
        err.println("classify: unknown option " + args[i] + "; " + USAGE);
        return 2;
      } else if (input == null) {
        input = args[i].equals("-") ? null : Path.of(args[i]);
        if (input == null && i + 1 < args.length) {
          err.println("classify: one input at most; " + USAGE);
          return 2;
        }
      } else {
        err.println("classify: one input at most; " + USAGE);
        return 2;
      }
    }
    if (modelPath == null) {
      err.println("classify: " + USAGE);
      return 2;
    }
    Model model;
    try {
      model = Checkpoint.load(modelPath);
    } catch (IOException | RuntimeException e) {
      err.println("classify: cannot load model " + modelPath + ": " + e.getMessage());
      return 1;
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        input == null ? in : Files.newInputStream(input), StandardCharsets.UTF_8))) {
      return classifyLines(model, reader, out, err) ? 0 : 1;
    } catch (IOException e) {
      err.println("classify: cannot read " + (input == null ? "standard input" : input) + ": " + e.getMessage());
      return 1;
    }
  }

  /** Answers every line; false when some line was not a signal. */
  private static boolean classifyLines(Model model, BufferedReader reader, PrintStream out, PrintStream err)
      throws IOException {
    WarmingPredictor predictor = new WarmingPredictor(model);
    List<String> names = model.architecture().classNames();
    float[] signal = new float[predictor.inputSize()];
    float[] probabilities = new float[predictor.classes()];
    boolean allGood = true;
    long lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String problem = SignalLine.parse(line, signal);
      if (problem == null) {
        try {
          int k = answer(predictor.current(), signal, probabilities);
          out.println(names.get(k) + "\t" + probabilities[k]);
          out.flush();
          predictor.warmUp(signal); // after the first answer, so that it does not wait for the warm-up
          continue;
        } catch (IllegalArgumentException e) {
          problem = e.getMessage();
        }
      }
      err.println("line " + lineNumber + ": " + problem);
      allGood = false;
    }
    return allGood;
  }

  /** One request: probabilities into the caller's array; returns the most probable class. */
  static int answer(Predictor predictor, float[] signal, float[] probabilities) {
    predictor.predict(signal, probabilities);
    int best = 0;
    for (int k = 1; k < probabilities.length; k++) {
      if (probabilities[k] > probabilities[best]) {
        best = k;
      }
    }
    return best;
  }
}
