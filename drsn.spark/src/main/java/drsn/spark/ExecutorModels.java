package drsn.spark;

import drsn.nn.Checkpoint;
import drsn.nn.Model;
import drsn.nn.Predictor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models an executor JVM has decoded, keyed by the SHA-256 of their file bytes: every task of
 * every job that scores with the same model shares one decoded {@link Model} and one thread-safe
 * {@link Predictor} (its pool of workspaces bounded by the JVM's processors), however many tasks
 * run at once. A few models are kept, the least recently used dropped first.
 */
final class ExecutorModels {

  /** Models kept per JVM: a job scores with one; a few let pipelines of several share the cache. */
  static final int CAPACITY = 4;

  private record Loaded(Model model, Predictor predictor) {
  }

  private static final Map<String, Loaded> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
      return size() > CAPACITY;
    }
  };

  /** Times a model was decoded in this JVM (tests check that it is once per model). */
  private static long decodes;

  private ExecutorModels() {
  }

  static Model model(ModelBytes b) {
    return entry(b).model();
  }

  static Predictor predictor(ModelBytes b) {
    return entry(b).predictor();
  }

  static synchronized long decodes() {
    return decodes;
  }

  private static synchronized Loaded entry(ModelBytes b) {
    Loaded e = CACHE.get(b.digest());
    if (e == null) {
      Model m;
      try {
        m = Checkpoint.load(b.bytes(), b.source());
      } catch (IOException ex) {
        // Decoded on the driver before the job started; bytes that changed on the way are a bug.
        throw new IllegalStateException("model " + b.source() + " no longer decodes on this executor: "
            + ex.getMessage(), ex);
      }
      decodes++;
      e = new Loaded(m, m.predictor());
      CACHE.put(b.digest(), e);
    }
    return e;
  }
}
