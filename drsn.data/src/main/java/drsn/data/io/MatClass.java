package drsn.data.io;

/**
 * The MATLAB array classes of a MAT v5 file (the low byte of an array's flags word).
 * Only the numeric ones can be read as samples; the others are listed so a user can see what a
 * file holds.
 */
public enum MatClass {
  CELL(1, false),
  STRUCT(2, false),
  OBJECT(3, false),
  CHAR(4, false),
  SPARSE(5, false),
  DOUBLE(6, true),
  SINGLE(7, true),
  INT8(8, true),
  UINT8(9, true),
  INT16(10, true),
  UINT16(11, true),
  INT32(12, true),
  UINT32(13, true),
  INT64(14, true),
  UINT64(15, true);

  private final int code;
  private final boolean numeric;

  MatClass(int code, boolean numeric) {
    this.code = code;
    this.numeric = numeric;
  }

  /** The class code as stored in the file (mxDOUBLE_CLASS = 6, ...). */
  public int code() {
    return code;
  }

  /** Whether arrays of this class hold numbers that {@link MatFile#read(String)} can return. */
  public boolean isNumeric() {
    return numeric;
  }

  /** The class with this code, or null for codes outside 1..15. */
  static MatClass ofCode(int code) {
    return code >= 1 && code <= 15 ? values()[code - 1] : null;
  }
}
