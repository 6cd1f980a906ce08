package drsn.cli.internal;

import drsn.data.ChannelStats;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** The network a training run builds for its data: the paper's skeleton, sized to the data. */
public final class Architectures {

  private Architectures() {
  }

  /** Series at least this long get the paper's network by default; shorter ones the compact one. */
  public static final int PAPER_MIN_LENGTH = Defaults.LONG_WINDOW;
  public static final List<Integer> PAPER_WIDTHS = List.of(4, 8, 16);
  public static final List<Integer> PAPER_UNITS = List.of(4, 4, 4);
  public static final List<Integer> COMPACT_WIDTHS = List.of(32, 64, 64);
  public static final List<Integer> COMPACT_UNITS = List.of(1, 1, 1);
  /** The compact preset's kernel and stem stride: wider filters, and no subsampling before the first unit. */
  public static final int COMPACT_KERNEL = 7;
  public static final int COMPACT_STEM_STRIDE = 1;

  /**
   * The paper's Table II skeleton (stem Conv(k=3, stride 2), stages with widths and units, strided
   * first units) for 1-D examples C×L, with input normalisation fitted on the training split.
   * Widths and units left null are chosen from the data: the paper's network (4, 8, 16 channels,
   * 4 units per stage) for windows of {@value #PAPER_MIN_LENGTH} samples or more, the setting it
   * was designed for (long vibration windows, many of them); for shorter series the compact preset:
   * wider and shallower (32, 64, 64 channels, one unit per stage), kernels of 7 and a stem of stride
   * 1, because a few narrow filters on a series subsampled at once cannot hold the shapes that tell
   * short series apart (on the six shared UCR sets, one seed: 4 of 6 within 2 points of the published
   * ResNet, against 2 of 6 with kernels of 3 and a stride-2 stem — docs/results.md). Given widths
   * or units keep the paper's kernel of 3 and strides.
   */
  public static Architecture forData(Family family, Dataset train, List<Integer> widths, List<Integer> units) {
    int[] shape = train.exampleShape();
    if (shape.length != 2) {
      throw new CliException("training needs 1-D examples (channels x length), got shape "
          + Arrays.toString(shape));
    }
    boolean paper = shape[1] >= PAPER_MIN_LENGTH;
    boolean compact = !paper && widths == null && units == null;
    if (widths == null) {
      widths = units != null && units.size() != 3 ? repeat(paper ? 16 : 64, units.size())
          : paper ? PAPER_WIDTHS : COMPACT_WIDTHS;
    }
    if (units == null) {
      units = widths.size() != 3 ? repeat(paper ? 4 : 1, widths.size()) : paper ? PAPER_UNITS : COMPACT_UNITS;
    }
    for (int w : widths) {
      if (w < 1 || w > 4096) {
        throw new CliException("--widths must be channel counts in [1, 4096], got " + widths);
      }
    }
    for (int u : units) {
      if (u < 1 || u > 1024) {
        throw new CliException("--units must be unit counts in [1, 1024], got " + units);
      }
    }
    if (widths.size() != units.size()) {
      throw new CliException("--widths " + widths + " and --units " + units + " must have the same number of stages");
    }
    ChannelStats st = ChannelStats.fit(train);
    List<Float> mean = new ArrayList<>();
    List<Float> std = new ArrayList<>();
    for (int c = 0; c < shape[0]; c++) {
      mean.add(st.mean()[c]);
      std.add(st.std()[c] > 0 ? st.std()[c] : 1f);
    }
    return new Architecture(family, 1, shape[0], 1, shape[1], widths, units, compact ? COMPACT_KERNEL : 3,
        compact ? COMPACT_STEM_STRIDE : 2, 2, train.numClasses(),
        train.classNames(), mean, std, 4, false);
  }

  private static List<Integer> repeat(int v, int n) {
    return Collections.nCopies(n, v);
  }
}
