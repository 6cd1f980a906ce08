package drsn.example.classify;

import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A model and signals to try the example without training: {@code SampleModel DIR [LENGTH CLASSES
 * LINES]} writes DIR/model.safetensors (the paper's DRSN-CW with seeded random weights, so its
 * answers mean nothing) and DIR/signals.txt (noisy sine waves). The build uses them for the image's
 * ahead-of-time cache training run; a real service loads a model trained with {@code drsn train}.
 */
public final class SampleModel {

  private SampleModel() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 4) {
      System.err.println("usage: SampleModel DIR [LENGTH CLASSES LINES]");
      System.exit(2);
    }
    int length = args.length == 4 ? Integer.parseInt(args[1]) : 2048;
    int classes = args.length == 4 ? Integer.parseInt(args[2]) : 10;
    int lines = args.length == 4 ? Integer.parseInt(args[3]) : 50;
    write(Path.of(args[0]), length, classes, lines);
  }

  /** Writes dir/model.safetensors and dir/signals.txt ({@code lines} signals of {@code length}). */
  static void write(Path dir, int length, int classes, int lines) throws IOException {
    Files.createDirectories(dir);
    Architecture arch = Architecture.paper(Family.DRSN_CW, length, classes);
    Checkpoint.save(Network.create(arch, 1).toModel(), dir.resolve("model.safetensors"));
    SplittableRandom random = new SplittableRandom(2);
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("signals.txt"), StandardCharsets.UTF_8))) {
      for (int line = 0; line < lines; line++) {
        double cycles = 4 + line % 16;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
          double v = Math.sin(2 * Math.PI * cycles * i / length) + 0.3 * random.nextGaussian();
          b.append(i == 0 ? "" : " ").append((float) v);
        }
        w.println(b);
      }
    }
  }
}
