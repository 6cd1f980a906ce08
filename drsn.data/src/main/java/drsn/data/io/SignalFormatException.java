package drsn.data.io;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * A signal file that cannot be read: wrong magic, truncated, a size field larger than the file,
 * a non-numeric cell, a NaN or infinite sample, an unsupported encoding.
 *
 * <p>Checked, because a bad file is an expected condition of reading user data, not a bug.
 * The message always starts with the source name (a file path or the name given with a byte
 * array or stream) and, where one is known, the position: a byte offset for binary formats, a
 * 1-based line and column for text formats.
 */
public final class SignalFormatException extends IOException {

  private static final long NONE = -1;

  private final String source;
  private final long byteOffset;
  private final long line;
  private final long column;

  private SignalFormatException(String source, long byteOffset, long line, long column, String message,
      Throwable cause) {
    super(message, cause);
    this.source = source;
    this.byteOffset = byteOffset;
    this.line = line;
    this.column = column;
  }

  /** A problem at a byte offset of a binary file. */
  public static SignalFormatException atByte(String source, long byteOffset, String detail) {
    return atByte(source, byteOffset, detail, null);
  }

  /** A problem at a byte offset of a binary file, caused by {@code cause}. */
  public static SignalFormatException atByte(String source, long byteOffset, String detail, Throwable cause) {
    return new SignalFormatException(source, byteOffset, NONE, NONE,
        source + ": at byte offset " + byteOffset + ": " + detail, cause);
  }

  /** A problem at a 1-based line and column of a text file ({@code column} may be 0 for a whole line). */
  public static SignalFormatException atLine(String source, long line, long column, String detail) {
    String where = column > 0 ? "line " + line + ", column " + column : "line " + line;
    return new SignalFormatException(source, NONE, line, column > 0 ? column : NONE,
        source + ": " + where + ": " + detail, null);
  }

  /** A problem of the file as a whole (for example a required part that is missing). */
  public static SignalFormatException ofFile(String source, String detail) {
    return new SignalFormatException(source, NONE, NONE, NONE, source + ": " + detail, null);
  }

  /** The file path or the name given for a byte array or stream. */
  public String source() {
    return source;
  }

  /** The byte offset in the file, for binary formats. */
  public OptionalLong byteOffset() {
    return byteOffset < 0 ? OptionalLong.empty() : OptionalLong.of(byteOffset);
  }

  /** The 1-based line, for text formats. */
  public OptionalLong line() {
    return line < 0 ? OptionalLong.empty() : OptionalLong.of(line);
  }

  /** The 1-based column (a field index for CSV/TSV), for text formats. */
  public OptionalLong column() {
    return column < 0 ? OptionalLong.empty() : OptionalLong.of(column);
  }
}
