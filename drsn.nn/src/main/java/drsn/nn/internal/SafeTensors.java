package drsn.nn.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The one safetensors reader and writer, for files of F32 tensors and string metadata: drsn.nn's
 * {@code Checkpoint} reads and writes models with it (validating against the architecture through
 * an {@link Expectation}), drsn.train its training state:
 * <pre>
 *   [8 bytes: header length n, little-endian]  [n bytes: JSON header, space-padded to 8]
 *   [data: little-endian float32, tensors back to back in header order]
 * </pre>
 * Writing is atomic: a temporary file in the target's folder, forced to disk, then renamed over
 * the target with ATOMIC_MOVE, so the previous file survives any failure. Reading validates the
 * whole header (length within the file and {@link #MAX_HEADER_BYTES}, JSON, dtypes, shapes,
 * contiguous non-overlapping offsets covering exactly the data, the caller's expectation) before
 * allocating tensors.
 */
public final class SafeTensors {

  /** Largest accepted header: 16 MiB, thousands of times what a network's or a training state's needs. */
  public static final long MAX_HEADER_BYTES = 16L << 20;
  private static final int MAX_DEPTH = 6;
  /** JSON values in a header: a few per tensor; far above any real state, far below a heap's worth. */
  private static final long MAX_VALUES = 1 << 20;
  private static final int CHUNK = 1 << 16;
  private static final Set<String> KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16",
      "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64");

  /** One named tensor: shape and values (row-major). */
  public record Tensor(long[] shape, float[] values) {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
        }
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
            + " values, got " + values.length);
      }
    }

    /** A 1-D tensor over the values (not copied). */
    public static Tensor vector(float[] values) {
      return new Tensor(new long[] {values.length}, values);
    }
  }

  /** Metadata and tensors of a file, in file order. */
  public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {
  }

  private SafeTensors() {
  }

  /** Writes the file atomically; tensors in map order. */
  public static void write(Path path, Map<String, String> metadata, Map<String, Tensor> tensors) throws IOException {
    write(path, metadata, tensors, UnaryOperator.identity());
  }

  /** As {@link #write(Path, Map, Map)}, with the output channel wrapped (tests inject failures here). */
  public static void write(Path path, Map<String, String> metadata, Map<String, Tensor> tensors,
                           UnaryOperator<WritableByteChannel> wrap)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> meta = new LinkedHashMap<>(metadata);
    meta.put(Checksum.KEY, checksum(metadata, tensors));
    root.put("__metadata__", meta);
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException("'__metadata__' is not a valid tensor name");
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dtype", "F32");
      List<Object> shape = new ArrayList<>();
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      info.put("shape", shape);
      long end = offset + 4L * e.getValue().values().length;
      info.put("data_offsets", List.of(offset, end));
      root.put(e.getKey(), info);
      offset = end;
    }
    StringBuilder json = new StringBuilder(Json.write(root, Json.Format.NON_FINITE_AS_NULL));
    int len = json.toString().getBytes(StandardCharsets.UTF_8).length;
    json.append(" ".repeat((8 - len % 8) % 8));
    byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);

    AtomicFile.write(path, fc -> {
      WritableByteChannel out = wrap.apply(fc);
      ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip());
      writeFully(out, ByteBuffer.wrap(header));
      for (Tensor t : tensors.values()) {
        for (float v : t.values()) {
          if (!buf.hasRemaining()) {
            writeFully(out, buf.flip());
            buf.clear();
          }
          buf.putFloat(v);
        }
      }
      writeFully(out, buf.flip());
    });
  }

  /** The checksum of metadata and tensors as they will be written (tensors back to back in map order). */
  private static String checksum(Map<String, String> metadata, Map<String, Tensor> tensors) {
    Checksum sum = Checksum.begin(metadata);
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      sum.tensor(e.getKey(), e.getValue().shape());
    }
    ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor t : tensors.values()) {
      for (float v : t.values()) {
        if (!buf.hasRemaining()) {
          sum.data(buf.flip());
          buf.clear();
        }
        buf.putFloat(v);
      }
    }
    sum.data(buf.flip());
    return sum.hex();
  }

  /**
   * Deletes temporary files a save of {@code target} left behind when its process was killed
   * between creating and renaming them (see {@link AtomicFile#removeStaleTemporaries}).
   */
  public static void removeStaleTemporaries(Path target) throws IOException {
    AtomicFile.removeStaleTemporaries(target);
  }

  private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private record Entry(String name, long[] shape, long begin, long end) {
  }

  // A class rather than a lambda or Comparator.comparingLong: reading a model is on the start-up
  // path of every program that embeds drsn, and each lambda costs a freshly started JVM a class spun
  // at run time.
  private static final Comparator<Entry> BY_BEGIN = new Comparator<>() {
    @Override
    public int compare(Entry a, Entry b) {
      return Long.compare(a.begin(), b.begin());
    }
  };

  /**
   * What a reader expects of a file, checked in this order before any tensor data is read (except
   * {@link #values}): the metadata decides how much data the file may hold, then each tensor's
   * name and shape, then the set of names. Each check throws an {@link IOException} naming the
   * problem (the caller's own subclass passes through unchanged).
   */
  @FunctionalInterface
  public interface Expectation {

    /** Given the metadata (checksum removed), the most bytes of tensor data the file may hold, or throws. */
    long maxBytes(Map<String, String> metadata) throws IOException;

    /** Checks one tensor's name and shape (in header order). */
    default void tensor(String name, long[] shape) throws IOException {
    }

    /** Checks the names of all tensors (for example that none is missing). */
    default void names(Set<String> names) throws IOException {
    }

    /** Checks one tensor's values once read, before the checksum is verified. */
    default void values(String name, float[] values) throws IOException {
    }
  }

  /** Reads and validates a file; see {@link #read(Source, String, Expectation)}. */
  public static Contents read(Path path, Expectation expectation) throws IOException {
    try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
      return read(source(fc, path), path.toString(), expectation);
    }
  }

  /**
   * Reads and validates a safetensors file: the header (length within the file and
   * {@link #MAX_HEADER_BYTES}, UTF-8, JSON within the depth and value limits, an object with a
   * {@code __metadata__} object of strings), every tensor entry (F32, shape, offsets in range and
   * matching the shape), the caller's expectation, contiguous non-overlapping offsets covering
   * exactly the data; only then are tensors allocated and read, and the checksum verified. Errors
   * are {@link IOException}s whose message starts with {@code what} and names the problem.
   */
  public static Contents read(Source src, String what, Expectation expectation) throws IOException {
    Header h = header(src, what);
    long n = h.length();
    long dataSize = h.dataSize();
    Map<?, ?> root = h.root();
    if (!(root.get("__metadata__") instanceof Map<?, ?> m)) {
      throw new IOException(what + ": header lacks the '__metadata__' object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<?, ?> me : m.entrySet()) {
      if (!(me.getValue() instanceof String v)) {
        throw new IOException(what + ": __metadata__ value of '" + me.getKey() + "' must be a string");
      }
      metadata.put((String) me.getKey(), v);
    }
    Map<String, String> withoutChecksum = new LinkedHashMap<>(metadata);
    withoutChecksum.remove(Checksum.KEY);
    long maxTensorBytes = expectation.maxBytes(Collections.unmodifiableMap(withoutChecksum));
    if (dataSize > maxTensorBytes) {
      throw new IOException(what + ": " + dataSize + " bytes of tensor data, more than the " + maxTensorBytes
          + " its metadata allows");
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : root.entrySet()) {
      String name = (String) e.getKey();
      if (!name.equals("__metadata__")) {
        Entry en = entry(what, name, e.getValue(), dataSize);
        expectation.tensor(name, en.shape().clone());
        entries.add(en);
      }
    }
    Set<String> names = new LinkedHashSet<>();
    for (Entry en : entries) {
      names.add(en.name());
    }
    expectation.names(Collections.unmodifiableSet(names));
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(BY_BEGIN);
    long expect = 0;
    for (Entry en : byOffset) {
      if (en.begin() != expect) {
        throw new IOException(what + ": tensor '" + en.name() + "' starts at data offset " + en.begin()
            + ", expected " + expect + " (tensors must be contiguous and must not overlap)");
      }
      expect = en.end();
    }
    if (expect != dataSize) {
      throw new IOException(what + ": tensors cover " + expect + " bytes of data, the file has " + dataSize);
    }
    // Read in data order, so that the checksum sees the bytes as they lie in the file.
    Checksum sum = Checksum.begin(metadata);
    for (Entry en : byOffset) {
      sum.tensor(en.name(), en.shape());
    }
    Map<String, float[]> read = new HashMap<>();
    ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (Entry en : byOffset) {
      float[] values = new float[(int) ((en.end() - en.begin()) / 4)];
      int done = 0;
      while (done < values.length) {
        int count = Math.min(CHUNK / 4, values.length - done);
        buf.clear().limit(count * 4);
        src.read(8 + n + en.begin() + 4L * done, buf);
        buf.flip();
        sum.data(buf);
        buf.asFloatBuffer().get(values, done, count);
        done += count;
      }
      expectation.values(en.name(), values);
      read.put(en.name(), values);
    }
    sum.verify(metadata, what);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry en : entries) {
      tensors.put(en.name(), new Tensor(en.shape(), read.get(en.name())));
    }
    return new Contents(withoutChecksum, tensors);
  }

  private static Entry entry(String what, String name, Object info, long dataSize) throws IOException {
    if (!(info instanceof Map<?, ?> m) || m.size() != 3 || !(m.get("dtype") instanceof String dtype)
        || !(m.get("shape") instanceof List<?> shapeList) || !(m.get("data_offsets") instanceof List<?> offsets)) {
      throw new IOException(what + ": tensor '" + name + "' must be an object with exactly dtype, shape and "
          + "data_offsets");
    }
    if (!dtype.equals("F32")) {
      throw new IOException(what + ": tensor '" + name + "' has "
          + (KNOWN_DTYPES.contains(dtype) ? "dtype " + dtype + "; drsn files hold F32 tensors only"
          : "unknown dtype " + Json.write(dtype, Json.Format.STRICT)));
    }
    if (shapeList.size() > 8) {
      throw new IOException(what + ": tensor '" + name + "' has " + shapeList.size() + " dimensions, at most 8 "
          + "expected");
    }
    long[] shape = new long[shapeList.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
        throw new IOException(what + ": tensor '" + name + "' shape must hold integers in [0, 2^31), got "
            + shapeList);
      }
      shape[i] = d;
      elements *= d;
      if (elements > Integer.MAX_VALUE - 8) {
        throw new IOException(what + ": tensor '" + name + "' shape " + shapeList + " is too large");
      }
    }
    if (offsets.size() != 2 || !(offsets.get(0) instanceof Long b) || !(offsets.get(1) instanceof Long e)) {
      throw new IOException(what + ": tensor '" + name + "' data_offsets must be [begin, end] integers");
    }
    if (b < 0 || b > e || e > dataSize) {
      throw new IOException(what + ": tensor '" + name + "' data_offsets [" + b + ", " + e + "] out of range: "
          + "expected 0 <= begin <= end <= " + dataSize);
    }
    if (e - b != 4 * elements) {
      throw new IOException(what + ": tensor '" + name + "' spans " + (e - b) + " bytes, its F32 shape "
          + shapeList + " needs " + 4 * elements);
    }
    return new Entry(name, shape, b, e);
  }

  /** Random-access bytes to read a file from: a file channel, or memory in tests. */
  public interface Source {
    long size() throws IOException;

    /** Reads exactly dst.remaining() bytes at pos into dst, or throws. */
    void read(long pos, ByteBuffer dst) throws IOException;
  }

  /** A validated header: its length in bytes, the JSON object, and the bytes of tensor data after it. */
  private record Header(long length, Map<?, ?> root, long dataSize) {
  }

  /**
   * Reads and checks the 8-byte length and the JSON header (length within the file and
   * {@link #MAX_HEADER_BYTES}, UTF-8, JSON within the depth and value limits, an object).
   */
  private static Header header(Source src, String what) throws IOException {
    long size = src.size();
    if (size < 8) {
      throw new IOException(what + ": " + size + " bytes is too short for a safetensors file (needs at least the "
          + "8-byte header length)");
    }
    ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    src.read(0, lb);
    long n = lb.flip().getLong();
    if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
      throw new IOException(what + ": header length " + Long.toUnsignedString(n) + " is invalid: expected 2.."
          + Math.min(MAX_HEADER_BYTES, size - 8) + " for a file of " + size + " bytes");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    src.read(8, hb);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb.flip()).toString();
    } catch (CharacterCodingException e) {
      throw new IOException(what + ": header is not valid UTF-8");
    }
    Object parsed;
    try {
      parsed = Json.parse(text, MAX_DEPTH, MAX_VALUES);
    } catch (Json.JsonException e) {
      throw new IOException(what + ": header: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> root)) {
      throw new IOException(what + ": header must be a JSON object");
    }
    return new Header(n, root, size - 8 - n);
  }

  private static Source source(FileChannel fc, Path path) {
    return new Source() {
      @Override
      public long size() throws IOException {
        return fc.size();
      }

      @Override
      public void read(long pos, ByteBuffer dst) throws IOException {
        readFully(fc, dst, pos, path);
      }
    };
  }

  private static void readFully(FileChannel fc, ByteBuffer dst, long pos, Path path) throws IOException {
    long p = pos;
    while (dst.hasRemaining()) {
      int r = fc.read(dst, p);
      if (r < 0) {
        throw new IOException(path + ": file ended early at byte " + p);
      }
      p += r;
    }
  }
}
