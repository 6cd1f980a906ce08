package drsn.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A MATLAB MAT-file, level 5 (the format of MATLAB 5 to 7.2; the CWRU bearing data is in it).
 *
 * <p>What is supported: real numeric arrays of every numeric class (double, single, int8..uint64)
 * stored with any of the numeric storage types (MATLAB packs doubles into int16, uint8 and so on
 * when that is lossless), both byte orders (the "IM"/"MI" indicator), compressed variables
 * ({@code miCOMPRESSED}, MAT v7) and the small data element format. Other variables (char,
 * struct, cell, sparse, objects) are listed by {@link #variables()} but cannot be read; function
 * handles, opaque objects and nameless system variables are skipped. Complex arrays are listed
 * and refused on reading: silently dropping an imaginary part would hide a mistake.
 * MAT v7.3 files (HDF5) and v4 files are refused with a clear message.
 *
 * <p>The whole file is parsed when it is opened (structure only; samples are decoded by
 * {@link #read(String)}), and every size field is checked against the bytes that remain before
 * anything is allocated from it. Of a compressed variable only the first few hundred bytes (its
 * class, dimensions and name) are inflated at opening; the rest is inflated when the variable is
 * read, so variables nobody reads cost nothing. Inflation grows its buffer only as real data
 * arrives, never beyond the size the element's own tag declares (itself bounded by the deflate
 * format's maximum expansion and by {@link #MAX_INFLATED_BYTES}), and is charged against
 * {@link Limits#MAT_INFLATED_PER_FILE} for the file and, when one is given, against an
 * {@link InflateBudget} shared by every file of a data set load.
 *
 * <p>A variable the file does not hold (by name or suffix) is a {@link SignalFormatException}:
 * the file is not what the caller needs, which is a property of the file, not of the argument.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class MatFile {

  /** The most bytes one compressed variable may inflate to (1 GiB). */
  public static final long MAX_INFLATED_BYTES = 1L << 30;

  private static final int HEADER_BYTES = 128;
  // Deflate cannot expand data by more than about 1032:1; a larger declared size is a lie.
  private static final long MAX_DEFLATE_RATIO = 1032;

  // Storage (data) types of MAT v5 elements.
  static final int MI_INT8 = 1;
  static final int MI_UINT8 = 2;
  static final int MI_INT16 = 3;
  static final int MI_UINT16 = 4;
  static final int MI_INT32 = 5;
  static final int MI_UINT32 = 6;
  static final int MI_SINGLE = 7;
  static final int MI_DOUBLE = 9;
  static final int MI_INT64 = 12;
  static final int MI_UINT64 = 13;
  static final int MI_MATRIX = 14;
  static final int MI_COMPRESSED = 15;

  private static final int FLAG_COMPLEX = 0x0800;
  private static final int FLAG_LOGICAL = 0x0200;

  private final String source;
  private final ByteOrder order;
  private final String headerText;
  private final Map<String, Entry> entries;
  private final Inflation inflation;

  /**
   * A parsed variable and where its real part lies (for numeric, real arrays); or, for a
   * compressed variable not yet inflated, where its compressed bytes lie ({@code data} null).
   */
  private record Entry(MatVariable variable, ByteReader data, int dataType, int dataPos, long elementCount,
      long headerPos, ByteReader compressed, int elementPos) {

    Entry(MatVariable variable, ByteReader data, int dataType, int dataPos, long elementCount, long headerPos) {
      this(variable, data, dataType, dataPos, elementCount, headerPos, null, 0);
    }

    static Entry deferred(MatVariable variable, ByteReader compressed, int elementPos) {
      return new Entry(variable, null, 0, 0, 0, elementPos, compressed, elementPos);
    }
  }

  /** The budgets one file's inflation is charged against: its own, and optionally a data set load's. */
  private record Inflation(InflateBudget file, InflateBudget load) {

    void charge(long bytes, ByteReader where, int elementPos) throws SignalFormatException {
      file.charge(bytes, where.source(), elementPos);
      if (load != null) {
        load.charge(bytes, where.source(), elementPos);
      }
    }
  }

  /** An element tag: storage type, byte count and where the data starts. */
  private record Tag(int type, long size, boolean small, int tagPos, int dataPos) {
  }

  private MatFile(String source, ByteOrder order, String headerText, Map<String, Entry> entries,
      Inflation inflation) {
    this.source = source;
    this.order = order;
    this.headerText = headerText;
    this.entries = entries;
    this.inflation = inflation;
  }

  /** Opens and parses a MAT file. */
  public static MatFile open(Path path) throws IOException {
    return open(path, null);
  }

  /**
   * Opens and parses a MAT file whose inflation is also charged to {@code load} (null: none), the
   * budget of a data set load that reads many files.
   */
  public static MatFile open(Path path, InflateBudget load) throws IOException {
    return parse(SourceBytes.read(path), path.toString(), load);
  }

  /** Parses a MAT file held in memory; {@code name} is used in messages. The array is not copied. */
  public static MatFile open(byte[] bytes, String name) throws SignalFormatException {
    SourceBytes.checkArgs(bytes, name);
    return parse(bytes, name, null);
  }

  /** Reads a whole stream (not closed) and parses it as a MAT file; {@code name} is used in messages. */
  public static MatFile open(InputStream in, String name) throws IOException {
    return parse(SourceBytes.read(in, name), name, null);
  }

  /** The file path or the name given. */
  public String source() {
    return source;
  }

  /** The byte order of the file. */
  public ByteOrder byteOrder() {
    return order;
  }

  /** The descriptive text of the header (platform, date), trailing spaces removed. */
  public String headerText() {
    return headerText;
  }

  /** All named variables, in file order. */
  public List<MatVariable> variables() {
    List<MatVariable> list = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      list.add(e.variable);
    }
    return Collections.unmodifiableList(list);
  }

  /** The variable with exactly this name, if present. */
  public Optional<MatVariable> find(String name) {
    Entry e = entries.get(name);
    return e == null ? Optional.empty() : Optional.of(e.variable);
  }

  /**
   * The unique variable whose name ends with {@code suffix} (for example {@code "_DE_time"}
   * finds {@code X097_DE_time}).
   *
   * @throws SignalFormatException if none or several variables match
   */
  public MatVariable findBySuffix(String suffix) throws SignalFormatException {
    if (suffix == null || suffix.isEmpty()) {
      throw new IllegalArgumentException("suffix must be a non-empty string, got " + (suffix == null ? "null" : "\"\""));
    }
    List<MatVariable> hits = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.variable.name().endsWith(suffix)) {
        hits.add(e.variable);
      }
    }
    if (hits.size() != 1) {
      throw SignalFormatException.ofFile(source, "expected exactly one variable whose name ends with \"" + suffix
          + "\", found " + hits.size() + " among " + names());
    }
    return hits.get(0);
  }

  /**
   * Reads the variable with exactly this name as doubles in column-major order, refusing NaN and
   * infinite values.
   *
   * @throws SignalFormatException if there is no such variable, if it is not a real numeric array,
   *     or if it holds a NaN or infinity
   */
  public MatArray read(String name) throws SignalFormatException {
    return read(name, false);
  }

  /** As {@link #read(String)}, accepting NaN and infinite values when {@code allowNonFinite}. */
  public MatArray read(String name, boolean allowNonFinite) throws SignalFormatException {
    Entry e = entries.get(name);
    if (e == null) {
      throw SignalFormatException.ofFile(source, "no variable named \"" + name + "\"; the file holds " + names());
    }
    return decode(e, allowNonFinite);
  }

  /** Reads the unique variable whose name ends with {@code suffix}; see {@link #findBySuffix(String)}. */
  public MatArray readBySuffix(String suffix) throws SignalFormatException {
    return read(findBySuffix(suffix).name());
  }

  private List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  // ---------------------------------------------------------------- parsing

  private static MatFile parse(byte[] bytes, String source, InflateBudget load) throws SignalFormatException {
    Inflation inflation = new Inflation(InflateBudget.perFile(), load);
    if (bytes.length < HEADER_BYTES) {
      throw SignalFormatException.atByte(source, bytes.length,
          "file is " + bytes.length + " bytes, shorter than the 128-byte MAT-file header");
    }
    String text = new String(bytes, 0, 116, StandardCharsets.ISO_8859_1);
    if (text.startsWith("MATLAB 7.3")) {
      throw SignalFormatException.atByte(source, 0,
          "MAT v7.3 files are HDF5 files and are not supported; save with -v7 or -v6 instead");
    }
    if (!text.startsWith("MATLAB")) {
      throw SignalFormatException.atByte(source, 0,
          "not a MAT v5 file: the header does not start with \"MATLAB\" (wrong magic)");
    }
    ByteOrder order;
    if (bytes[126] == 'I' && bytes[127] == 'M') {
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (bytes[126] == 'M' && bytes[127] == 'I') {
      order = ByteOrder.BIG_ENDIAN;
    } else {
      throw SignalFormatException.atByte(source, 126, "endian indicator must be \"IM\" or \"MI\", got bytes "
          + (bytes[126] & 0xFF) + ", " + (bytes[127] & 0xFF));
    }
    ByteReader r = new ByteReader(bytes, source, order);
    r.seek(124);
    int version = r.u16("version");
    if (version != 0x0100) {
      throw SignalFormatException.atByte(source, 124,
          "unsupported MAT version 0x" + Integer.toHexString(version) + ", expected 0x0100 (level 5)");
    }
    r.seek(HEADER_BYTES);
    Map<String, Entry> entries = new LinkedHashMap<>();
    while (r.hasRemaining()) {
      if (r.remaining() < 8) {
        throw r.error("trailing " + r.remaining() + " bytes are too short for an element tag");
      }
      Tag tag = readTag(r, "top-level element");
      if (tag.type == MI_MATRIX && !tag.small) {
        ByteReader content = r.slice(tag.size, "miMATRIX element");
        addEntry(entries, parseMatrix(content, tag.tagPos));
        skipPadding(r, tag);
      } else if (tag.type == MI_COMPRESSED && !tag.small) {
        ByteReader content = r.slice(tag.size, "miCOMPRESSED element");
        addEntry(entries, compressedEntry(content, tag.tagPos, inflation));
      } else {
        // Not a variable (no such top-level elements are written by MATLAB): skip it.
        r.skip(tag.small ? 0 : tag.size, "element");
        skipPadding(r, tag);
      }
    }
    String header = text.stripTrailing();
    return new MatFile(source, order, header, Collections.unmodifiableMap(entries), inflation);
  }

  /** Bytes inflated at opening to learn a compressed variable's class, dimensions and name. */
  private static final int HEAD_BYTES = 512;

  /**
   * The entry of a compressed variable from the head of its inflated bytes only, deferring the
   * rest to {@link #read}; a variable small enough to fit the head is parsed whole at once.
   */
  private static Entry compressedEntry(ByteReader content, int elementPos, Inflation inflation)
      throws SignalFormatException {
    int start = content.position();
    ByteReader head = inflate(content, elementPos, HEAD_BYTES, inflation);
    // The tag's size is the element's, not the head's: read it without readTag's check against
    // the bytes at hand, which inflate() has already made against the compressed bytes.
    int type = head.i32("compressed element tag");
    long size = head.u32("compressed element size");
    if (type != MI_MATRIX) {
      throw head.error(0, "a compressed element must hold an miMATRIX (type 14), got type " + type);
    }
    if (8 + size <= HEAD_BYTES) {
      head.seek(0);
      Tag innerTag = readTag(head, "compressed element");
      return parseMatrix(head.slice(innerTag.size, "miMATRIX element"), innerTag.tagPos);
    }
    MatVariable v;
    try {
      v = matrixHeader(head, 0);
    } catch (SignalFormatException e) {
      // The head cut the header short (or it is corrupt): parse the whole element, which tells which.
      content.seek(start);
      return inflatedEntry(content, elementPos, inflation);
    }
    content.seek(start);
    return v == null ? null : Entry.deferred(v, content, elementPos);
  }

  /** Inflates a whole compressed element and parses its variable. */
  private static Entry inflatedEntry(ByteReader content, int elementPos, Inflation inflation)
      throws SignalFormatException {
    ByteReader inner = inflate(content, elementPos, Long.MAX_VALUE, inflation);
    Tag innerTag = readTag(inner, "compressed element");
    if (innerTag.type != MI_MATRIX || innerTag.small) {
      throw inner.error(innerTag.tagPos, "a compressed element must hold an miMATRIX (type 14), got type "
          + innerTag.type);
    }
    return parseMatrix(inner.slice(innerTag.size, "miMATRIX element"), innerTag.tagPos);
  }

  private static void addEntry(Map<String, Entry> entries, Entry e) throws SignalFormatException {
    if (e == null) {
      return;
    }
    if (entries.containsKey(e.variable.name())) {
      throw e.data.error(e.headerPos, "duplicate variable name \"" + e.variable.name() + "\"");
    }
    entries.put(e.variable.name(), e);
  }

  /** Reads a tag in the regular (8-byte) or small (4-byte tag + 4 data bytes) format; checks the size. */
  private static Tag readTag(ByteReader r, String what) throws SignalFormatException {
    int tagPos = r.position();
    int first = r.i32(what + " tag");
    if ((first >>> 16) != 0) {
      int size = first >>> 16;
      int type = first & 0xFFFF;
      if (size > 4) {
        throw r.error(tagPos, what + ": small data element declares " + size + " bytes, at most 4 fit");
      }
      int dataPos = r.position();
      r.require(4, what + " small data");
      return new Tag(type, size, true, tagPos, dataPos);
    }
    long size = r.u32(what + " size");
    if (size > r.remaining()) {
      throw r.error(tagPos, what + " of type " + first + " declares " + size + " bytes but only " + r.remaining()
          + " remain");
    }
    return new Tag(first, size, false, tagPos, r.position());
  }

  /** Moves past an element's data and its padding to an 8-byte boundary (clipped to the region). */
  private static void skipPadding(ByteReader r, Tag tag) throws SignalFormatException {
    long next = tag.small ? tag.dataPos + 4 : tag.dataPos + ((tag.size + 7) & ~7L);
    r.seek(Math.min(next, r.end()));
  }

  /** Parses the content of an miMATRIX; returns null for arrays that are not listed. */
  private static Entry parseMatrix(ByteReader r, long headerPos) throws SignalFormatException {
    MatVariable variable = matrixHeader(r, headerPos);
    if (variable == null) {
      return null;
    }
    long count = variable.elementCount();
    String name = variable.name();
    int[] dims = variable.dims();
    if (!variable.isReadable()) {
      return new Entry(variable, r, 0, 0, count, headerPos);
    }

    Tag real = readTag(r, "real part of \"" + name + "\"");
    int width = storageWidth(real.type);
    if (width == 0) {
      throw r.error(real.tagPos, "real part of \"" + name + "\" has storage type " + real.type
          + ", which is not numeric");
    }
    if (count > real.size || real.size != count * width) {
      throw r.error(real.tagPos, "real part of \"" + name + "\" holds " + real.size + " bytes of type "
          + real.type + ", but dimensions " + Arrays.toString(dims) + " need " + count + " values of " + width
          + " bytes");
    }
    if (count > SourceBytes.MAX_BYTES / 8) {
      throw r.error(real.tagPos, "\"" + name + "\" has " + count + " elements, more than a Java array holds");
    }
    return new Entry(variable, r, real.type, real.dataPos, count, headerPos);
  }

  /**
   * Parses an miMATRIX's flags, dimensions and name, leaving {@code r} at the real part; returns
   * null for arrays that are not listed.
   */
  private static MatVariable matrixHeader(ByteReader r, long headerPos) throws SignalFormatException {
    if (!r.hasRemaining()) {
      return null; // an empty miMATRIX is an empty placeholder, not a variable
    }
    Tag flagsTag = readTag(r, "array flags");
    if (flagsTag.type != MI_UINT32 || flagsTag.size != 8) {
      throw r.error(flagsTag.tagPos, "array flags must be miUINT32 of 8 bytes, got type " + flagsTag.type
          + " of " + flagsTag.size + " bytes");
    }
    int flags = r.i32("array flags");
    r.skip(4, "array flags (nzmax)");
    int classCode = flags & 0xFF;
    if (classCode == 16 || classCode == 17) {
      return null; // function handles and opaque (MCOS) objects
    }
    MatClass matClass = MatClass.ofCode(classCode);
    if (matClass == null) {
      throw r.error(flagsTag.dataPos, "unknown array class " + classCode);
    }
    boolean complex = (flags & FLAG_COMPLEX) != 0;
    boolean logical = (flags & FLAG_LOGICAL) != 0;

    Tag dimsTag = readTag(r, "dimensions");
    if (dimsTag.type != MI_INT32 || dimsTag.size % 4 != 0 || dimsTag.size < 8) {
      throw r.error(dimsTag.tagPos, "dimensions must be miINT32 with at least two values, got type "
          + dimsTag.type + " of " + dimsTag.size + " bytes");
    }
    int[] dims = new int[(int) (dimsTag.size / 4)];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      dims[i] = r.i32("dimension");
      if (dims[i] < 0) {
        throw r.error(dimsTag.dataPos + 4L * i, "dimension " + i + " is negative: " + dims[i]);
      }
      count = count > 0 && dims[i] > Long.MAX_VALUE / count ? -1 : count * dims[i];
      if (count < 0) {
        throw r.error(dimsTag.dataPos, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
            + " have more elements than a long can count");
      }
    }
    skipPadding(r, dimsTag);

    Tag nameTag = readTag(r, "array name");
    if (nameTag.type != MI_INT8 && nameTag.type != MI_UINT8) {
      throw r.error(nameTag.tagPos, "array name must be miINT8, got type " + nameTag.type);
    }
    byte[] nameBytes = new byte[(int) nameTag.size];
    r.seek(nameTag.dataPos);
    r.bytes(nameBytes, "array name");
    skipPadding(r, nameTag);
    String name = new String(nameBytes, StandardCharsets.UTF_8);
    if (name.isEmpty()) {
      return null; // MATLAB's nameless subsystem data
    }
    return new MatVariable(name, dims, matClass, complex, logical);
  }

  private static int storageWidth(int type) {
    return switch (type) {
      case MI_INT8, MI_UINT8 -> 1;
      case MI_INT16, MI_UINT16 -> 2;
      case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
      case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
      default -> 0;
    };
  }

  private MatArray decode(Entry entry, boolean allowNonFinite) throws SignalFormatException {
    Entry e = entry;
    if (e.data == null) {
      e = inflatedEntry(e.compressed.copy(), e.elementPos, inflation);
    }
    MatVariable v = e.variable;
    if (!v.matClass().isNumeric()) {
      throw e.data.error(e.headerPos, "variable \"" + v.name() + "\" is of class "
          + v.matClass().name().toLowerCase(Locale.ROOT) + ", not a numeric array");
    }
    if (v.complex()) {
      throw e.data.error(e.headerPos, "variable \"" + v.name() + "\" is complex; only real arrays are supported");
    }
    ByteReader r = e.data;
    int n = (int) e.elementCount;
    int at = e.dataPos;
    double[] out = new double[n];
    switch (e.dataType) {
      case MI_INT8 -> { for (int i = 0; i < n; i++) out[i] = r.getByte(at + i); }
      case MI_UINT8 -> { for (int i = 0; i < n; i++) out[i] = r.getByte(at + i) & 0xFF; }
      case MI_INT16 -> { for (int i = 0; i < n; i++) out[i] = r.getShort(at + 2 * i); }
      case MI_UINT16 -> { for (int i = 0; i < n; i++) out[i] = r.getShort(at + 2 * i) & 0xFFFF; }
      case MI_INT32 -> { for (int i = 0; i < n; i++) out[i] = r.getInt(at + 4 * i); }
      case MI_UINT32 -> { for (int i = 0; i < n; i++) out[i] = r.getInt(at + 4 * i) & 0xFFFF_FFFFL; }
      case MI_SINGLE -> { for (int i = 0; i < n; i++) out[i] = r.getFloat(at + 4 * i); }
      case MI_DOUBLE -> { for (int i = 0; i < n; i++) out[i] = r.getDouble(at + 8 * i); }
      case MI_INT64 -> { for (int i = 0; i < n; i++) out[i] = r.getLong(at + 8 * i); }
      case MI_UINT64 -> { for (int i = 0; i < n; i++) out[i] = unsignedToDouble(r.getLong(at + 8 * i)); }
      default -> throw new IllegalStateException("storage type checked at open: " + e.dataType);
    }
    if (!allowNonFinite) {
      int width = storageWidth(e.dataType);
      for (int i = 0; i < n; i++) {
        if (!Double.isFinite(out[i])) {
          throw r.error(at + (long) width * i, "element " + i + " of \"" + v.name() + "\" is " + out[i]
              + "; NaN and infinite samples are refused");
        }
      }
    }
    return new MatArray(v.name(), v.dims(), v.matClass(), out);
  }

  private static double unsignedToDouble(long v) {
    if (v >= 0) {
      return v;
    }
    // Halve (keeping the low bit so rounding stays correct), convert, double.
    return ((double) ((v >>> 1) | (v & 1))) * 2.0;
  }

  // ---------------------------------------------------------------- compression

  /**
   * Inflates a zlib stream holding exactly one element, without trusting its declared size: the
   * whole element, or, when {@code maxBytes} is smaller, only its first {@code maxBytes} bytes
   * (the stream's end is then not checked). Every byte inflated is charged to {@code inflation}.
   */
  private static ByteReader inflate(ByteReader compressed, int elementPos, long maxBytes, Inflation inflation)
      throws SignalFormatException {
    int off = compressed.position();
    int len = compressed.remaining();
    byte[] in = new byte[len];
    compressed.bytes(in, "compressed data");
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(in);
      byte[] out = new byte[8];
      int n = inflateInto(inflater, out, 0, 8, compressed, elementPos);
      if (n < 8) {
        throw compressed.error(off, "compressed data ends after " + n + " bytes, before the inner element tag");
      }
      ByteBuffer tag = ByteBuffer.wrap(out).order(compressed.order());
      long declared = 8 + (tag.getInt(4) & 0xFFFF_FFFFL);
      if ((tag.getInt(0) >>> 16) != 0) {
        declared = 8; // small format: the tag holds everything; readTag will reject it as a variable
      }
      long ratioCap = len * MAX_DEFLATE_RATIO + 64;
      if (declared > MAX_INFLATED_BYTES || declared > ratioCap) {
        throw compressed.error(elementPos, "compressed element declares " + declared + " inflated bytes from "
            + len + " compressed bytes, more than " + Math.min(MAX_INFLATED_BYTES, ratioCap) + " are allowed");
      }
      boolean whole = declared <= maxBytes;
      int total = (int) Math.min(declared, maxBytes);
      inflation.charge(8, compressed, elementPos);
      while (n < total) {
        // Grow only as data really arrives: a lying size costs at most twice what was inflated.
        if (n == out.length) {
          out = Arrays.copyOf(out, (int) Math.min(total, Math.max(4096L, 2L * out.length)));
        }
        int got = inflateInto(inflater, out, n, out.length - n, compressed, elementPos);
        if (got == 0) {
          throw compressed.error(elementPos, "compressed data inflates to " + n + " bytes, but its element declares "
              + declared);
        }
        inflation.charge(got, compressed, elementPos);
        n += got;
      }
      if (whole && !inflater.finished()) {
        byte[] probe = new byte[1];
        if (inflateInto(inflater, probe, 0, 1, compressed, elementPos) > 0) {
          throw compressed.error(elementPos, "compressed data inflates to more than the " + total
              + " bytes its element declares");
        }
        if (!inflater.finished()) {
          throw compressed.error(elementPos, "compressed data is truncated (the zlib stream does not end)");
        }
      }
      return ByteReader.inflated(out, total, compressed.source(), compressed.order(), elementPos);
    } finally {
      inflater.end();
    }
  }

  /** Inflates up to {@code want} bytes; returns how many were produced (less only at the stream's end). */
  private static int inflateInto(Inflater inflater, byte[] out, int off, int want, ByteReader where, int elementPos)
      throws SignalFormatException {
    int n = 0;
    try {
      while (n < want) {
        int got = inflater.inflate(out, off + n, want - n);
        if (got == 0) {
          if (inflater.finished() || inflater.needsInput()) {
            return n;
          }
          if (inflater.needsDictionary()) {
            throw where.error(elementPos, "compressed data requires a preset dictionary, which MAT files never use");
          }
          // No progress without a reason: treat as corrupt rather than spin.
          throw where.error(elementPos, "compressed data makes no progress");
        }
        n += got;
      }
      return n;
    } catch (DataFormatException ex) {
      throw SignalFormatException.atByte(where.source(), elementPos,
          "corrupt compressed data (" + ex.getMessage() + ")", ex);
    }
  }
}
