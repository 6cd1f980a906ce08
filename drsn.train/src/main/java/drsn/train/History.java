package drsn.train;

import drsn.nn.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The per-epoch record of a training run, writable as JSON. Immutable. */
public record History(List<EpochSummary> epochs) {

  public History {
    epochs = List.copyOf(epochs);
  }

  /** The history as a JSON document: {@code {"epochs": [ {...}, ... ]}}. */
  public String toJson() {
    List<Object> list = new ArrayList<>();
    for (EpochSummary e : epochs) {
      list.add(e.toJsonObject());
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("epochs", list);
    return Json.write(root, Json.Format.NON_FINITE_AS_NULL);
  }

  /** Writes {@link #toJson()} to a file (UTF-8). */
  public void writeJson(Path path) throws IOException {
    Files.writeString(path, toJson() + "\n", StandardCharsets.UTF_8);
  }
}
