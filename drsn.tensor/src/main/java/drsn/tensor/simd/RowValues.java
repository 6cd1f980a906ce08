package drsn.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One value per row, laid out per position: the short-row kernels take a block of rows narrower
 * than a vector a vector at a time, and each lane needs its own row's coefficient (a channel's
 * batch-norm shift, a row's τ). Written a whole vector per row, not by Arrays.fill, whose stub
 * costs more than a row's few floats.
 */
final class RowValues {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** Floats past the last row that {@link #spread} may write: dst must hold them. */
  static final int SLACK = S.length();

  private RowValues() {
  }

  /**
   * dst[at + r·l, at + (r + 1)·l) = v[vOff + r·vStride] for r &lt; rows. Each row's value is
   * stored as a whole vector from the row's start, spilling into the next row's slots, which that
   * row's store then overwrites; the last spills up to {@link #SLACK} − l floats past the rows.
   * v must not overlap the rows written.
   */
  static void spread(float[] v, int vOff, int vStride, int rows, int l, float[] dst, int at) {
    for (int r = 0; r < rows; r++) {
      FloatVector.broadcast(S, v[vOff + r * vStride]).intoArray(dst, at + r * l);
    }
  }
}
