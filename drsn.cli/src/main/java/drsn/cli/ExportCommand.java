package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.ModelFiles;
import drsn.nn.Model;
import drsn.nn.onnx.OnnxExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Writes a model in a format other runtimes read: ONNX (IR 7, opset 13).",
        "Input 'signal' [N, channels, length] (images [N, channels, height, width]) of raw values, "
            + "normalised inside the model; outputs 'probabilities' [N, classes], as drsn predict gives "
            + "them, and 'logits'. N, the batch, is dynamic."})
final class ExportCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, paramLabel = "FILE", defaultValue = "drsn-out/model.safetensors",
      description = "Model file or training output folder (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
      description = "Output format; onnx is the one there is (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true,
      description = "The file to write (written whole or not at all; an existing file is replaced).")
  Path out;

  @Override
  public Integer call() {
    if (!format.toLowerCase(Locale.ROOT).equals("onnx")) {
      throw CliException.usage("unsupported --format '" + format + "'; expected onnx");
    }
    if (Files.isDirectory(out)) {
      throw CliException.usage("--out " + out + " is a folder; give a file name such as model.onnx");
    }
    Model m = ModelFiles.load(model);
    try {
      OnnxExport.write(m, out);
    } catch (IOException e) {
      throw new CliException("cannot write " + out + ": " + e.getMessage(), e);
    }
    out().printf(Locale.ROOT, "wrote %s (ONNX, %s, %d classes, %,d bytes)%n", out, m.architecture().family().id(),
        m.architecture().classes(), sizeOf(out));
    out().flush();
    return 0;
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }
}
