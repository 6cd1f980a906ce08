package drsn.nn;

import drsn.nn.internal.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Models as safetensors files:
 * <pre>
 *   [8 bytes: header length n, unsigned little-endian]
 *   [n bytes: UTF-8 JSON header, padded with spaces to a multiple of 8]
 *     { "__metadata__": { architecture, see Architecture#toMetadata (string values) },
 *       "&lt;name&gt;": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, … }
 *   [data: the tensors' little-endian float32 values; offsets relative to the data's start]
 * </pre>
 * Names and shapes follow {@link Architecture#layout()} (PyTorch conventions), so the file loads
 * into the equivalent PyTorch module with {@code load_state_dict}.
 *
 * <p>Loading (through the one safetensors reader, {@code drsn.nn.internal.SafeTensors}) validates
 * everything before it allocates the parameters: the header length against the file size and the
 * reader's cap, well-formed JSON (depth-limited), the architecture,
 * each tensor's dtype (F32 only), shape and offsets (in range, contiguous, not overlapping, every
 * byte of the data covered), no missing or extra tensors; then values must be finite (running
 * variances ≥ 0). Any violation is a {@link CheckpointException}; no partial model escapes.
 * Saving is atomic (through the one safetensors writer, {@code drsn.nn.internal.SafeTensors}, which
 * drsn.train's training state uses too): a temporary file in the same folder, forced to disk, then
 * renamed over the target.
 */
public final class Checkpoint {

  private Checkpoint() {
  }

  // ---- save ----

  /** Writes the model to path atomically (the old file, if any, stays intact if anything fails). */
  public static void save(Model model, Path path) throws IOException {
    save(model, path, UnaryOperator.identity());
  }

  /** As {@link #save(Model, Path)}, with the output channel wrapped (tests inject failures here). */
  static void save(Model model, Path path, UnaryOperator<WritableByteChannel> wrap) throws IOException {
    if (model == null || path == null) {
      throw new IllegalArgumentException("model and path must not be null");
    }
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    ParameterSet p = model.parameters();
    for (TensorSpec spec : p.specs()) {
      long[] shape = spec.shape().stream().mapToLong(Integer::longValue).toArray();
      tensors.put(spec.name(), new SafeTensors.Tensor(shape, p.copyOf(spec.name())));
    }
    SafeTensors.write(path, model.architecture().toMetadata(), tensors, wrap);
  }

  // ---- load ----

  /** Loads and validates a model file. */
  public static Model load(Path path) throws IOException {
    if (path == null) {
      throw new IllegalArgumentException("path must not be null");
    }
    LayoutExpectation expected = new LayoutExpectation(path.toString());
    try {
      return model(expected, SafeTensors.read(path, expected));
    } catch (IOException e) {
      throw readProblem(e);
    }
  }

  /** Loads from bytes in memory (for tests and embedded models). */
  static Model load(byte[] bytes) throws IOException {
    return load(bytes, "<memory>");
  }

  /**
   * Loads and validates a model file's bytes held in memory (a model shipped to the executors of
   * a cluster, say); {@code what} names them in error messages.
   */
  public static Model load(byte[] bytes, String what) throws IOException {
    if (bytes == null) {
      throw new IllegalArgumentException("model bytes must not be null");
    }
    SafeTensors.Source memory = new SafeTensors.Source() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public void read(long pos, ByteBuffer dst) throws IOException {
        if (pos < 0 || pos + dst.remaining() > bytes.length) {
          throw new IOException(what + ": read beyond the end");
        }
        dst.put(bytes, (int) pos, dst.remaining());
      }
    };
    LayoutExpectation expected = new LayoutExpectation(what);
    try {
      return model(expected, SafeTensors.read(memory, what, expected));
    } catch (IOException e) {
      throw readProblem(e);
    }
  }

  /**
   * A file that cannot be opened keeps its exception (no such file, access denied); anything wrong
   * with its contents is a CheckpointException.
   */
  private static IOException readProblem(IOException e) {
    return e instanceof CheckpointException || e instanceof FileSystemException ? e
        : new CheckpointException(e.getMessage(), e);
  }

  /** The model of a file's contents, read under its expectation. */
  private static Model model(LayoutExpectation expected, SafeTensors.Contents contents) {
    ParameterSet params = ParameterSet.allocate(expected.layout);
    for (Map.Entry<String, SafeTensors.Tensor> t : contents.tensors().entrySet()) {
      ParameterSet.Slot slot = params.slot(t.getKey());
      System.arraycopy(t.getValue().values(), 0, params.arrayOf(slot), slot.offset(), slot.size());
    }
    return new Model(expected.architecture, params);
  }

  /**
   * A model file's expectation: the architecture in its metadata, exactly the tensors of its plan
   * (names and shapes) and no more data than they need, finite values and running variances ≥ 0.
   */
  private static final class LayoutExpectation implements SafeTensors.Expectation {

    private final String what;
    private Architecture architecture;
    private List<TensorSpec> layout;
    private Map<String, TensorSpec> byName;

    LayoutExpectation(String what) {
      this.what = what;
    }

    @Override
    public long maxBytes(Map<String, String> metadata) throws CheckpointException {
      try {
        architecture = Architecture.fromMetadata(metadata);
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(what + ": invalid architecture in __metadata__: " + e.getMessage(), e);
      }
      layout = architecture.layout();
      byName = new HashMap<>();
      long bytes = 0;
      for (TensorSpec spec : layout) {
        bytes += 4 * spec.elementCount();
        byName.put(spec.name(), spec);
      }
      return bytes;
    }

    @Override
    public void tensor(String name, long[] shape) throws CheckpointException {
      TensorSpec spec = byName.get(name);
      if (spec == null) {
        throw new CheckpointException(what + ": unexpected tensor '" + name + "' for a " + architecture.family()
            + " network");
      }
      List<Integer> expected = spec.shape();
      boolean same = shape.length == expected.size();
      for (int d = 0; same && d < shape.length; d++) {
        same = shape[d] == expected.get(d);
      }
      if (!same) {
        throw new CheckpointException(what + ": tensor '" + name + "' has shape " + Arrays.toString(shape)
            + ", the architecture expects " + expected);
      }
    }

    @Override
    public void names(Set<String> names) throws CheckpointException {
      if (names.size() != layout.size()) {
        List<String> missing = layout.stream().map(TensorSpec::name).filter(x -> !names.contains(x)).limit(5)
            .toList();
        throw new CheckpointException(what + ": missing tensors " + missing
            + (layout.size() - names.size() > 5 ? " and more" : ""));
      }
    }

    @Override
    public void values(String name, float[] values) throws CheckpointException {
      boolean variance = name.endsWith(".running_var");
      for (int i = 0; i < values.length; i++) {
        float v = values[i];
        if (!Float.isFinite(v) || (variance && v < 0f)) {
          throw new CheckpointException(what + ": tensor '" + name + "' has the invalid value " + v + " at index "
              + i + (variance ? " (running variances must be finite and >= 0)" : " (parameters must be finite)"));
        }
      }
    }
  }
}
