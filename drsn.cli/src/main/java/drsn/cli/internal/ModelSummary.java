package drsn.cli.internal;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer-by-layer summary of an architecture: output shape, trainable parameters and forward
 * FLOPs (2 per multiply-add, the usual convention; element-wise work such as BN, ReLU and soft
 * thresholding counted as one FLOP per element per operation).
 */
public final class ModelSummary {

  /** One row: a layer name, what it is, its output shape per sample, parameters and FLOPs. */
  public record Row(String name, String kind, int[] outShape, long parameters, long flops) {
  }

  private ModelSummary() {
  }

  public static List<Row> rows(Architecture a) {
    Map<String, Long> paramsByPrefix = new LinkedHashMap<>();
    for (TensorSpec s : a.layout()) {
      if (s.kind() != TensorSpec.Kind.TRAINABLE) {
        continue;
      }
      String n = s.name();
      String prefix = n.startsWith("units.") ? n.substring(0, n.indexOf('.', 6)) : n.substring(0, n.indexOf('.'));
      paramsByPrefix.merge(prefix, s.elementCount(), Long::sum);
    }
    boolean twoD = a.dimensions() == 2;
    long kk = twoD ? (long) a.kernel() * a.kernel() : a.kernel();
    int h = a.inputHeight();
    int w = a.inputWidth();
    List<Row> rows = new ArrayList<>();
    int c = a.widths().getFirst();
    h = twoD ? down(h, a.stemStride()) : h;
    w = down(w, a.stemStride());
    long sp = (long) h * w;
    rows.add(new Row("stem", "Conv(" + c + ", k=" + a.kernel() + ", stride " + a.stemStride() + ")",
        shape(c, h, w, twoD), paramsByPrefix.getOrDefault("stem", 0L), 2L * c * a.inputChannels() * kk * sp));
    int prev = c;
    int i = 0;
    for (int s = 0; s < a.widths().size(); s++) {
      int width = a.widths().get(s);
      for (int u = 0; u < a.unitsPerStage().get(s); u++, i++) {
        int in = u == 0 ? prev : width;
        int stride = u == 0 ? a.stageStride() : 1;
        long inSp = (long) h * w;
        if (twoD) {
          h = down(h, stride);
        }
        w = down(w, stride);
        sp = (long) h * w;
        long flops = 2L * in * inSp + 2L * width * in * kk * sp + 2L * width * sp + 2L * width * width * kk * sp;
        flops += switch (a.family()) {
          case CONVNET -> 0;
          case RESNET -> width * sp;
          case SENET -> 2L * width * sp + 4L * width * a.seHidden(width) + 2L * width * sp;
          case DRSN_CS, DRSN_CW -> 2L * width * sp + 4L * width * width + 3L * width * sp + width * sp;
        };
        String kind = switch (a.family()) {
          case CONVNET -> "CBU";
          case RESNET -> "RBU";
          case SENET -> "SE unit";
          case DRSN_CS -> "RSBU-CS";
          case DRSN_CW -> "RSBU-CW";
        } + "(" + width + (stride > 1 ? ", stride " + stride : "") + ")";
        rows.add(new Row("units." + i, kind, shape(width, h, w, twoD), paramsByPrefix.getOrDefault("units." + i, 0L),
            flops));
      }
      prev = width;
    }
    sp = (long) h * w;
    rows.add(new Row("bn", "BN + ReLU", shape(prev, h, w, twoD), paramsByPrefix.getOrDefault("bn", 0L), 3L * prev * sp));
    rows.add(new Row("gap", "global average pooling", new int[] {prev}, 0, (long) prev * sp));
    rows.add(new Row("fc", "FC(" + a.classes() + ")", new int[] {a.classes()}, paramsByPrefix.getOrDefault("fc", 0L),
        2L * prev * a.classes()));
    return rows;
  }

  private static int[] shape(int c, int h, int w, boolean twoD) {
    return twoD ? new int[] {c, h, w} : new int[] {c, w};
  }

  private static int down(int len, int stride) {
    return (len + stride - 1) / stride;
  }

  /** A JSON-ready description of the architecture. */
  public static Map<String, Object> describe(Architecture a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("family", a.family().id());
    m.put("input_shape", a.dimensions() == 2
        ? new int[] {a.inputChannels(), a.inputHeight(), a.inputWidth()}
        : new int[] {a.inputChannels(), a.inputWidth()});
    m.put("classes", a.classNames());
    m.put("widths", a.widths());
    m.put("units_per_stage", a.unitsPerStage());
    m.put("kernel", a.kernel());
    m.put("parameters", a.parameterCount());
    long flops = 0;
    for (Row r : rows(a)) {
      flops += r.flops();
    }
    m.put("flops", flops);
    m.put("shrinkage", a.family() == Family.DRSN_CS || a.family() == Family.DRSN_CW);
    return m;
  }
}
