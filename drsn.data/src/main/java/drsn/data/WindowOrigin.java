package drsn.data;

/**
 * Where a window was cut from: recording index (in the list given to {@link RecordingWindows}),
 * first sample and length, in samples of the (possibly decimated) recording.
 */
public record WindowOrigin(int recording, int start, int length) {

  /** One past the last sample. */
  public int end() {
    return start + length;
  }

  /** True if both windows come from the same recording and share at least one sample. */
  public boolean overlaps(WindowOrigin other) {
    return recording == other.recording && start < other.end() && other.start < end();
  }
}
