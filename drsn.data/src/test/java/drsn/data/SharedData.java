package drsn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project's shared real-data folder: $DRSN_SHARED_DATA, or the first directory
 * {@code shared/data} containing README.md found walking up from the working directory. Tests that
 * need it skip (via Assumptions) where it is absent, as on a user's machine.
 */
final class SharedData {

  private SharedData() {
  }

  static Optional<Path> locate() {
    String env = System.getenv("DRSN_SHARED_DATA");
    if (env != null && !env.isBlank() && Files.isRegularFile(Path.of(env).resolve("README.md"))) {
      return Optional.of(Path.of(env));
    }
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isRegularFile(candidate.resolve("README.md"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The sub-folder {@code name} of the shared data, or a skipped test with a clear message. */
  static Path require(String name) {
    Optional<Path> root = locate();
    org.junit.jupiter.api.Assumptions.assumeTrue(root.isPresent(),
        "shared data not found (no shared/data/README.md above " + System.getProperty("user.dir")
            + " and DRSN_SHARED_DATA unset): skipping a test on real data");
    Path dir = root.get().resolve(name);
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir), "shared data has no folder " + dir + ": skipping");
    return dir;
  }
}
