package drsn.nn;

import drsn.nn.internal.Checksum;
import drsn.nn.internal.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>Loading validates everything before it allocates the parameters: the header length against
 * the file size and {@link #MAX_HEADER_BYTES}, well-formed JSON (depth-limited), the architecture,
 * each tensor's dtype (F32 only), shape and offsets (in range, contiguous, not overlapping, every
 * byte of the data covered), no missing or extra tensors; then values must be finite (running
 * variances ≥ 0). Any violation is a {@link CheckpointException}; no partial model escapes.
 * Saving is atomic (through the one safetensors writer, {@code drsn.nn.internal.SafeTensors}, which
 * drsn.train's training state uses too): a temporary file in the same folder, forced to disk, then
 * renamed over the target.
 */
public final class Checkpoint {

  /** Largest accepted JSON header: 16 MiB. */
  public static final long MAX_HEADER_BYTES = 16L << 20;
  private static final int MAX_JSON_DEPTH = 8;
  /** Values in a header: a few per tensor; far above any real network, far below a heap's worth. */
  private static final long MAX_JSON_VALUES = 1 << 20;
  private static final Set<String> KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16",
      "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64");
  private static final int CHUNK = 1 << 16;

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
    try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
      return load(new SafeTensors.Source() {
        @Override
        public long size() throws IOException {
          return fc.size();
        }

        @Override
        public void read(long pos, ByteBuffer dst) throws IOException {
          long p = pos;
          while (dst.hasRemaining()) {
            int r = fc.read(dst, p);
            if (r < 0) {
              throw new CheckpointException(path + ": file ended early at byte " + p);
            }
            p += r;
          }
        }
      }, path.toString());
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
    return load(new SafeTensors.Source() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public void read(long pos, ByteBuffer dst) throws IOException {
        if (pos < 0 || pos + dst.remaining() > bytes.length) {
          throw new CheckpointException("read beyond the end");
        }
        dst.put(bytes, (int) pos, dst.remaining());
      }
    }, what);
  }

  private record Entry(TensorSpec spec, long begin, long end) {
  }

  static Model load(SafeTensors.Source src, String what) throws IOException {
    SafeTensors.Header h;
    try {
      h = SafeTensors.header(src, what, MAX_HEADER_BYTES, MAX_JSON_DEPTH, MAX_JSON_VALUES);
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    long n = h.length();
    Map<?, ?> root = h.root();
    Architecture arch = architecture(root.get("__metadata__"), what);
    long dataSize = h.dataSize();
    List<TensorSpec> layout = arch.layout();
    long expectedBytes = 0;
    Map<String, TensorSpec> byName = new HashMap<>();
    for (TensorSpec s : layout) {
      expectedBytes += 4 * s.elementCount();
      byName.put(s.name(), s);
    }
    if (dataSize != expectedBytes) {
      throw new CheckpointException(what + ": the architecture needs " + expectedBytes + " bytes of tensor data, "
          + "the file has " + dataSize);
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : root.entrySet()) {
      String name = (String) e.getKey();
      if (name.equals("__metadata__")) {
        continue;
      }
      TensorSpec spec = byName.get(name);
      if (spec == null) {
        throw new CheckpointException(what + ": unexpected tensor '" + name + "' for a " + arch.family()
            + " network");
      }
      entries.add(entry(spec, e.getValue(), dataSize, what));
    }
    if (entries.size() != layout.size()) {
      Set<String> present = new java.util.HashSet<>();
      entries.forEach(en -> present.add(en.spec().name()));
      List<String> missing = layout.stream().map(TensorSpec::name).filter(x -> !present.contains(x)).limit(5)
          .toList();
      throw new CheckpointException(what + ": missing tensors " + missing
          + (layout.size() - present.size() > 5 ? " and more" : ""));
    }
    entries.sort(Comparator.comparingLong(Entry::begin));
    long expect = 0;
    for (Entry en : entries) {
      if (en.begin() != expect) {
        throw new CheckpointException(what + ": tensor '" + en.spec().name() + "' starts at data offset "
            + en.begin() + ", expected " + expect + " (tensors must be contiguous and must not overlap)");
      }
      expect = en.end();
    }
    // Everything checks out: only now allocate and read the data, in file order for the checksum.
    Map<String, String> metadata = strings(root.get("__metadata__"), what);
    Checksum sum = Checksum.begin(metadata);
    for (Entry en : entries) {
      sum.tensor(en.spec().name(), en.spec().shape().stream().mapToLong(Integer::longValue).toArray());
    }
    ParameterSet params = ParameterSet.allocate(layout);
    ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    long base = 8 + n;
    for (Entry en : entries) {
      ParameterSet.Slot slot = params.slot(en.spec().name());
      float[] arr = params.arrayOf(slot);
      boolean variance = en.spec().name().endsWith(".running_var");
      int done = 0;
      while (done < slot.size()) {
        int count = Math.min(CHUNK / 4, slot.size() - done);
        buf.clear().limit(count * 4);
        src.read(base + en.begin() + 4L * done, buf);
        buf.flip();
        sum.data(buf);
        for (int i = 0; i < count; i++) {
          float v = buf.getFloat();
          if (!Float.isFinite(v) || (variance && v < 0f)) {
            throw new CheckpointException(what + ": tensor '" + en.spec().name() + "' has the invalid value " + v
                + " at index " + (done + i) + (variance ? " (running variances must be finite and >= 0)"
                : " (parameters must be finite)"));
          }
          arr[slot.offset() + done + i] = v;
        }
        done += count;
      }
    }
    try {
      sum.verify(metadata, what);
    } catch (IOException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    return new Model(arch, params);
  }

  private static Map<String, String> strings(Object meta, String what) throws CheckpointException {
    if (!(meta instanceof Map<?, ?> m)) {
      throw new CheckpointException(what + ": header lacks the '__metadata__' object that describes the "
          + "architecture");
    }
    Map<String, String> strings = new HashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof String v)) {
        throw new CheckpointException(what + ": __metadata__ value of '" + e.getKey() + "' must be a string");
      }
      strings.put((String) e.getKey(), v);
    }
    return strings;
  }

  private static Architecture architecture(Object meta, String what) throws CheckpointException {
    Map<String, String> strings = strings(meta, what);
    try {
      return Architecture.fromMetadata(strings);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(what + ": invalid architecture in __metadata__: " + e.getMessage(), e);
    }
  }

  private static Entry entry(TensorSpec spec, Object info, long dataSize, String what) throws CheckpointException {
    String name = spec.name();
    if (!(info instanceof Map<?, ?> m) || m.size() != 3 || !m.containsKey("dtype") || !m.containsKey("shape")
        || !m.containsKey("data_offsets")) {
      throw new CheckpointException(what + ": tensor '" + name + "' must be an object with exactly dtype, shape "
          + "and data_offsets");
    }
    Object dtype = m.get("dtype");
    if (!"F32".equals(dtype)) {
      if (dtype instanceof String d && KNOWN_DTYPES.contains(d)) {
        throw new CheckpointException(what + ": tensor '" + name + "' has dtype " + d + "; drsn checkpoints hold "
            + "F32 parameters only");
      }
      throw new CheckpointException(what + ": tensor '" + name + "' has unknown dtype " + dtype);
    }
    List<Long> shape = longs(m.get("shape"), name, "shape", 8, what);
    List<Long> expected = spec.shape().stream().map(Long::valueOf).toList();
    if (!shape.equals(expected)) {
      throw new CheckpointException(what + ": tensor '" + name + "' has shape " + shape + ", the architecture "
          + "expects " + expected);
    }
    List<Long> off = longs(m.get("data_offsets"), name, "data_offsets", 2, what);
    if (off.size() != 2) {
      throw new CheckpointException(what + ": tensor '" + name + "' data_offsets must be [begin, end]");
    }
    long b = off.get(0);
    long e = off.get(1);
    if (b < 0 || b > e || e > dataSize) {
      throw new CheckpointException(what + ": tensor '" + name + "' data_offsets [" + b + ", " + e + "] out of "
          + "range: expected 0 <= begin <= end <= " + dataSize);
    }
    if (e - b != 4 * spec.elementCount()) {
      throw new CheckpointException(what + ": tensor '" + name + "' spans " + (e - b) + " bytes, its F32 shape "
          + expected + " needs " + 4 * spec.elementCount());
    }
    return new Entry(spec, b, e);
  }

  private static List<Long> longs(Object v, String name, String field, int max, String what)
      throws CheckpointException {
    if (!(v instanceof List<?> list) || list.size() > max) {
      throw new CheckpointException(what + ": tensor '" + name + "' " + field + " must be an array of at most "
          + max + " integers");
    }
    List<Long> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Long l) || l < 0) {
        throw new CheckpointException(what + ": tensor '" + name + "' " + field + " must hold non-negative "
            + "integers, got " + o);
      }
      out.add(l);
    }
    return out;
  }
}
