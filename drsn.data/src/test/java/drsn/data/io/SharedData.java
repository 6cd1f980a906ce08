package drsn.data.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the project's shared real data ({@code ../shared/data}): the directory named by the
 * environment variable DRSN_SHARED_DATA, else the first {@code shared/data} with a README.md
 * found walking up from the working directory.
 */
final class SharedData {

  private SharedData() {
  }

  static Optional<Path> find() {
    String env = System.getenv("DRSN_SHARED_DATA");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      return Files.isRegularFile(p.resolve("README.md")) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data");
      if (Files.isRegularFile(candidate.resolve("README.md"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The shared data directory, or skips the calling test with a message saying why. */
  static Path require(String sub) {
    Optional<Path> root = find();
    Assumptions.assumeTrue(root.isPresent(), "skipped: real data not found (no shared/data/README.md above "
        + System.getProperty("user.dir") + " and DRSN_SHARED_DATA unset or wrong)");
    Path p = root.get().resolve(sub);
    Assumptions.assumeTrue(Files.isDirectory(p), "skipped: " + p + " is absent");
    return p;
  }
}
