package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** drsn export: ONNX files, one-line errors, never a half-written or stray file. (ONNX Runtime runs them in drsn.bench.) */
class ExportCommandTest {

  @TempDir
  Path dir;

  private Path model(Family f) throws IOException {
    Path p = dir.resolve(f.id() + ".safetensors");
    Checkpoint.save(Network.create(Architecture.paper(f, 128, 3), 1).toModel(), p);
    return p;
  }

  @Test
  void everyFamilyExportsAnOnnxModel() throws IOException {
    for (Family f : Family.values()) {
      Path out = dir.resolve(f.id() + ".onnx");
      Cli.Result r = Cli.run("export", "--model", model(f).toString(), "--format", "onnx", "--out", out.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("wrote " + out), r.out());
      byte[] bytes = Files.readAllBytes(out);
      // ModelProto field 1 (ir_version, varint) = 7 comes first, then the producer name.
      assertArrayEquals(new byte[] {0x08, 0x07, 0x12, 0x04}, java.util.Arrays.copyOf(bytes, 4));
      assertEquals("drsn", new String(bytes, 4, 4, StandardCharsets.US_ASCII));
      assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("units.0.conv1.weight"));
    }
    assertEquals(java.util.List.of(), strays());
  }

  @Test
  void aCorruptModelIsOneLineAndWritesNothing() throws IOException {
    Path corrupt = dir.resolve("corrupt.safetensors");
    byte[] good = Files.readAllBytes(model(Family.DRSN_CW));
    Files.write(corrupt, java.util.Arrays.copyOf(good, good.length / 2));
    Path out = dir.resolve("m.onnx");
    Files.writeString(out, "previous export");
    Cli.Result r = Cli.run("export", "--model", corrupt.toString(), "--out", out.toString());
    assertEquals(1, r.code());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().startsWith("drsn: error: cannot load model"), r.err());
    assertEquals("previous export", Files.readString(out), "a failed export leaves the old file as it was");
    assertEquals(java.util.List.of(), strays());
  }

  @Test
  void anUnsupportedFormatOrAnUnwritableTargetIsOneLine() throws IOException {
    Path m = model(Family.RESNET);
    Cli.Result r = Cli.run("export", "--model", m.toString(), "--format", "tflite", "--out",
        dir.resolve("m.tflite").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains("unsupported --format 'tflite'"), r.err());
    Path notAFolder = dir.resolve("file");
    Files.writeString(notAFolder, "x");
    r = Cli.run("export", "--model", m.toString(), "--out", notAFolder.resolve("m.onnx").toString());
    assertEquals(1, r.code());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().startsWith("drsn: error: cannot write"), r.err());
    r = Cli.run("export", "--model", m.toString(), "--out", dir.toString());
    assertEquals(2, r.code(), "a folder as --out: " + r.err());
    assertEquals(2, Cli.run("export", "--model", m.toString()).code(), "--out is required");
    assertEquals(java.util.List.of(), strays());
  }

  /** Temporary files left in the folder (an atomic write removes its own). */
  private java.util.List<Path> strays() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
