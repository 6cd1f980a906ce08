package drsn.data;

/**
 * What a split of windowed recordings keeps whole, so that nothing on one side can be a near-copy
 * of something on the other.
 */
public enum SplitUnit {
  /**
   * Every recording is cut at a time boundary: its earlier windows on one side, its later ones on
   * the other, and windows that would straddle the boundary dropped. Each recording contributes to
   * both sides; fits few long recordings (one per class, as CWRU).
   */
  TIME,
  /**
   * Whole recordings (or whole groups of recordings: see {@link WindowOrigin#recording()}) go to
   * one side, stratified by class. Stricter — it also tests on recordings never seen in training —
   * and needs at least two recordings of every class.
   */
  RECORDING
}
