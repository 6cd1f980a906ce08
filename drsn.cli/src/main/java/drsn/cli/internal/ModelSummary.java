package drsn.cli.internal;

import drsn.nn.Architecture;
import drsn.nn.NetworkPlan;
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

  /** One row per stem, unit, head layer, pooling and classifier, walking the architecture's plan. */
  public static List<Row> rows(Architecture a) {
    NetworkPlan plan = a.plan();
    boolean twoD = a.dimensions() == 2;
    List<Row> rows = new ArrayList<>();
    NetworkPlan.ConvLayer stem = plan.stem();
    long sp = (long) stem.outHeight() * stem.outWidth();
    long taps = twoD ? (long) stem.kernel() * stem.kernel() : stem.kernel();
    rows.add(new Row("stem", "Conv(" + stem.outChannels() + ", k=" + stem.kernel() + ", stride " + stem.stride() + ")",
        shape(stem.outChannels(), stem.outHeight(), stem.outWidth(), twoD), stem.parameterCount(),
        2L * stem.outChannels() * stem.inChannels() * taps * sp));
    for (NetworkPlan.UnitPlan u : plan.units()) {
      long in = u.inChannels();
      long width = u.outChannels();
      long kk = twoD ? (long) u.kernel() * u.kernel() : u.kernel();
      long inSp = (long) u.inHeight() * u.inWidth();
      sp = (long) u.outHeight() * u.outWidth();
      long flops = 2L * in * inSp + 2L * width * in * kk * sp + 2L * width * sp + 2L * width * width * kk * sp;
      flops += switch (u.kind()) {
        case PLAIN -> 0;
        case RESIDUAL -> width * sp;
        case SQUEEZE_EXCITATION -> 2L * width * sp + 4L * width * u.seHidden() + 2L * width * sp;
        case SHRINKAGE_CHANNEL_SHARED, SHRINKAGE_CHANNEL_WISE ->
            2L * width * sp + 4L * width * width + 3L * width * sp + width * sp;
      };
      long parameters = 0;
      for (NetworkPlan.Layer l : u.layers()) {
        parameters += l.parameterCount();
      }
      String kind = u.kind().label() + "(" + width + (u.stride() > 1 ? ", stride " + u.stride() : "") + ")";
      rows.add(new Row(u.name(), kind, shape(u.outChannels(), u.outHeight(), u.outWidth(), twoD), parameters,
          flops));
    }
    NetworkPlan.Head head = plan.head();
    int c = head.channels();
    sp = head.spatial();
    NetworkPlan.UnitPlan last = plan.units().getLast();
    rows.add(new Row(head.norm().name(), "BN + ReLU", shape(c, last.outHeight(), last.outWidth(), twoD),
        head.norm().parameterCount(), 3L * c * sp));
    rows.add(new Row("gap", "global average pooling", new int[] {c}, 0, (long) c * sp));
    rows.add(new Row(head.classifier().name(), "FC(" + head.classes() + ")", new int[] {head.classes()},
        head.classifier().parameterCount(), 2L * c * head.classes()));
    return rows;
  }

  private static int[] shape(int c, int h, int w, boolean twoD) {
    return twoD ? new int[] {c, h, w} : new int[] {c, w};
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
    m.put("shrinkage", a.family().shrinks());
    return m;
  }
}
