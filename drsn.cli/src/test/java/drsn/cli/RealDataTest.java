package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train and eval on the real CWRU and UCR files of the project's shared data folder
 * ($DRSN_SHARED_DATA or shared/data above the working directory); skipped where it is absent.
 */
class RealDataTest {

  @TempDir
  Path dir;

  static Path require(String name) {
    Optional<Path> root = Optional.empty();
    String env = System.getenv("DRSN_SHARED_DATA");
    if (env != null && !env.isBlank() && Files.isRegularFile(Path.of(env).resolve("README.md"))) {
      root = Optional.of(Path.of(env));
    }
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); root.isEmpty() && p != null;
         p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("shared/data/README.md"))) {
        root = Optional.of(p.resolve("shared/data"));
      }
    }
    Assumptions.assumeTrue(root.isPresent(), "shared data not found: skipping a test on real data");
    Path d = root.get().resolve(name);
    Assumptions.assumeTrue(Files.isDirectory(d), "shared data has no " + name + ": skipping");
    return d;
  }

  @Test
  void trainsAndEvaluatesOnCwru() throws IOException {
    Path cwru = require("cwru");
    Path out = dir.resolve("cwru");
    Cli.Result r = Cli.run("train", "--data", "cwru:" + cwru, "--length", "512", "--widths", "4", "--units", "1",
        "--epochs", "1", "--batch", "64", "--out", out.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    Cli.Result e = Cli.run("eval", "--model", out.toString(), "--data", "cwru:" + cwru, "--json");
    assertEquals(0, e.code(), e.err());
    Map<?, ?> j = (Map<?, ?>) Json.parse(e.out(), 8, 100_000);
    assertEquals(10, ((List<?>) j.get("class_names")).size(), "the ten CWRU classes");
    assertTrue(((List<?>) j.get("class_names")).contains("normal"));
  }

  @Test
  void trainsOnAUcrDataSetWithItsOwnSplit() {
    Path trace = require("ucr/Trace");
    Path out = dir.resolve("ucr");
    Cli.Result r = Cli.run("train", "--data", "ucr:" + trace, "--widths", "4", "--units", "1", "--epochs", "1",
        "--batch", "16", "--out", out.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("(100 samples)"), "Trace's official test split has 100 series: " + r.out());
  }
}
