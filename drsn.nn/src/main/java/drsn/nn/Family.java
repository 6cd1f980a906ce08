package drsn.nn;

import java.util.Locale;

/**
 * The network families of the paper, all built over the same skeleton (see {@link Architecture})
 * so that they compare fairly. They differ only in what each unit does after its residual branch.
 */
public enum Family {
  /** ConvNet baseline: the branch alone (CBU), no shortcut. */
  CONVNET("convnet"),
  /** ResNet baseline: branch + shortcut (RBU). */
  RESNET("resnet"),
  /** SE-ResNet: channel weights from a squeeze-and-excitation subnetwork scale the branch. */
  SENET("senet"),
  /** DRSN with channel-shared thresholds (RSBU-CS): one threshold per sample. */
  DRSN_CS("drsn-cs"),
  /** DRSN with channel-wise thresholds (RSBU-CW): one threshold per sample and channel. */
  DRSN_CW("drsn-cw");

  private final String id;

  Family(String id) {
    this.id = id;
  }

  /** The name used in checkpoints and on the command line, such as {@code "drsn-cw"}. */
  public String id() {
    return id;
  }

  /** True for the residual shrinkage families, whose units learn thresholds. */
  public boolean shrinks() {
    return this == DRSN_CS || this == DRSN_CW;
  }

  /** Parses {@link #id()} (case-insensitive; '_' accepted for '-'). */
  public static Family fromId(String id) {
    if (id == null) {
      throw new IllegalArgumentException("family must not be null; expected one of convnet, resnet, senet, "
          + "drsn-cs, drsn-cw");
    }
    String norm = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Family f : values()) {
      if (f.id.equals(norm)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown family '" + id
        + "'; expected one of convnet, resnet, senet, drsn-cs, drsn-cw");
  }

  @Override
  public String toString() {
    return id;
  }
}
