package drsn.cli.internal;

import drsn.data.ChannelStats;
import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Family;
import java.util.ArrayList;
import java.util.List;

/** The network a training run builds for its data: the paper's skeleton, sized to the data. */
public final class Architectures {

  private Architectures() {
  }

  /**
   * The paper's Table II skeleton (stem Conv(k=3, stride 2), stages with widths and units, strided
   * first units) for 1-D examples C×L, with input normalisation fitted on the training split.
   */
  public static Architecture forData(Family family, Dataset train, List<Integer> widths, List<Integer> units) {
    int[] shape = train.exampleShape();
    if (shape.length != 2) {
      throw new CliException("training needs 1-D examples (channels x length), got shape "
          + java.util.Arrays.toString(shape));
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
    return new Architecture(family, 1, shape[0], 1, shape[1], widths, units, 3, 2, 2, train.numClasses(),
        train.classNames(), mean, std, 4, false);
  }
}
