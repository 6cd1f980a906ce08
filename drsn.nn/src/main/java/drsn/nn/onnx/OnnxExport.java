package drsn.nn.onnx;

import drsn.nn.Architecture;
import drsn.nn.Model;
import drsn.nn.NetworkPlan.ConvLayer;
import drsn.nn.NetworkPlan.DenseLayer;
import drsn.nn.NetworkPlan.NormLayer;
import drsn.nn.NetworkPlan.UnitKind;
import drsn.nn.NetworkPlan.UnitPlan;
import drsn.nn.NetworkPlan;
import drsn.nn.TensorSpec;
import drsn.nn.internal.AtomicFile;
import drsn.nn.layer.BatchNorm;
import drsn.nn.layer.ShrinkageUnit;
import drsn.nn.onnx.OnnxGraph.Attribute;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model as an ONNX file (IR version 7, opset 13) that computes what {@link drsn.nn.Predictor}
 * computes: input {@code signal} [N, C, L] (2-D: [N, C, H, W]) of raw values, with the model's
 * input normalisation inside; outputs {@code probabilities} [N, classes] (first) and the
 * {@code logits} before the softmax; N is symbolic. Batch norm
 * is in inference mode (running statistics, ε = 1e-5); parameters keep their checkpoint (PyTorch)
 * names. The graph is a walk over the model's {@link NetworkPlan}; per unit kind, after the branch
 * BN → ReLU → Conv → BN → ReLU → Conv (output x):
 * <pre>
 *   ConvNet   x
 *   ResNet    x + shortcut
 *   SENet     x · Sigmoid(FC2(ReLU(FC1(ReduceMean(x))))) + shortcut
 *   DRSN      g = ReduceMean(|x|);  α = Max(Sigmoid(FC2(ReLU(BN(FC1(g))))), 2^-24)
 *             τ = α·g (CW) or α·mean_c(g) (CS);  Sign(x)·Relu(|x| − τ) + shortcut
 * </pre>
 * (ONNX's Shrink takes only a constant threshold, hence Sign·Relu·Abs for the per-sample τ.) The
 * shortcut subsamples with Slice and pads channels with Pad, or is the 1×1 projection Conv.
 */
public final class OnnxExport {

  private OnnxExport() {
  }

  /** Writes {@code model} to {@code out} as ONNX, atomically: on failure no file, or the previous one, is there. */
  public static void write(Model model, Path out) throws IOException {
    byte[] bytes = encode(model);
    AtomicFile.write(out, channel -> {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        channel.write(b);
      }
    });
  }

  /** The model's ONNX encoding (a ModelProto). */
  public static byte[] encode(Model model) {
    return new Builder(model).build();
  }

  /** One export: a walk over the model's {@link NetworkPlan}, building the graph. */
  private static final class Builder {
    private final Model model;
    private final Architecture arch;
    private final NetworkPlan plan;
    private final boolean twoD;
    private final OnnxGraph g;
    private final long[] spatialAxes;
    private String spatialAxesConstant;
    private String minAlpha;

    Builder(Model model) {
      this.model = model;
      this.arch = model.architecture();
      this.plan = arch.plan();
      this.twoD = plan.dimensions() == 2;
      this.g = new OnnxGraph("drsn-" + arch.family().id());
      this.spatialAxes = twoD ? new long[] {2, 3} : new long[] {2};
    }

    byte[] build() {
      int c = arch.inputChannels();
      String x = twoD ? g.input("signal", "N", c, arch.inputHeight(), arch.inputWidth())
          : g.input("signal", "N", c, arch.inputWidth());
      String cur = conv(plan.stem(), normalise(x));
      for (UnitPlan u : plan.units()) {
        cur = unit(u, cur);
      }
      NetworkPlan.Head head = plan.head();
      cur = g.node("head.relu", "Relu", List.of(batchNorm(head.norm(), cur)));
      cur = g.node("head.pool", "ReduceMean", List.of(cur), Attribute.ints("axes", spatialAxes),
          Attribute.of("keepdims", 0L));
      String logits = linear(head.classifier(), cur, "logits");
      g.node("probabilities", "Softmax", List.of(logits), Attribute.of("axis", 1L));
      g.output("probabilities", "N", head.classes());
      g.output("logits", "N", head.classes());
      return g.toModel("0.1.0", "drsn " + arch.family().id() + ": raw signals in, class probabilities out; "
          + "classes " + String.join(", ", arch.classNames()));
    }

    /** (x − mean[c]) · (1 / std[c]), as the network does (the reciprocal in float, then a product). */
    private String normalise(String x) {
      int c = arch.inputChannels();
      float[] mean = new float[c];
      float[] invStd = new float[c];
      for (int k = 0; k < c; k++) {
        mean[k] = arch.inputMean().get(k);
        invStd[k] = 1f / arch.inputStd().get(k);
      }
      long[] shape = twoD ? new long[] {c, 1, 1} : new long[] {c, 1};
      String centred = g.node("input.centred", "Sub", List.of(x, g.floats("input.mean", shape, mean)));
      return g.node("input.normalised", "Mul", List.of(centred, g.floats("input.inv_std", shape, invStd)));
    }

    private String unit(UnitPlan u, String x) {
      String p = u.name();
      String a1 = g.node(p + ".relu1", "Relu", List.of(batchNorm(u.bn1(), x)));
      String c1 = conv(u.conv1(), a1);
      String a2 = g.node(p + ".relu2", "Relu", List.of(batchNorm(u.bn2(), c1)));
      String c2 = conv(u.conv2(), a2);
      String branch = switch (u.kind()) {
        case PLAIN, RESIDUAL -> c2;
        case SQUEEZE_EXCITATION -> squeezeExcitation(u, c2);
        case SHRINKAGE_CHANNEL_SHARED, SHRINKAGE_CHANNEL_WISE -> shrinkage(u, c2);
      };
      return switch (u.shortcut()) {
        case NONE -> branch;
        case SUBSAMPLE_PAD, PROJECTION -> g.node(p + ".out", "Add", List.of(branch, shortcut(u, x)));
      };
    }

    private String squeezeExcitation(UnitPlan u, String x) {
      String p = u.name();
      String pooled = g.node(p + ".se.pool", "ReduceMean", List.of(x), Attribute.ints("axes", spatialAxes),
          Attribute.of("keepdims", 0L));
      String h = g.node(p + ".se.relu", "Relu", List.of(linear(u.fc1(), pooled, u.fc1().name())));
      String s = g.node(p + ".se.sigmoid", "Sigmoid", List.of(linear(u.fc2(), h, u.fc2().name())));
      return g.node(p + ".se.scaled", "Mul", List.of(x, unsqueezeSpatial(p + ".se.weights", s)));
    }

    private String shrinkage(UnitPlan u, String x) {
      String p = u.name();
      String abs = g.node(p + ".shrink.abs", "Abs", List.of(x));
      String gap = g.node(p + ".shrink.gap", "ReduceMean", List.of(abs), Attribute.ints("axes", spatialAxes),
          Attribute.of("keepdims", 0L));
      String r = g.node(p + ".shrink.relu", "Relu",
          List.of(batchNorm(u.bnf(), linear(u.fc1(), gap, u.fc1().name()))));
      String sigmoid = g.node(p + ".shrink.sigmoid", "Sigmoid", List.of(linear(u.fc2(), r, u.fc2().name())));
      if (minAlpha == null) {
        minAlpha = g.floats("shrink.min_alpha", new long[0], new float[] {ShrinkageUnit.MIN_ALPHA});
      }
      String alpha = g.node(p + ".shrink.alpha", "Max", List.of(sigmoid, minAlpha));
      // Channel-wise: τ = α·g per channel; channel-shared: τ = α·mean_c(g), one per sample.
      String scale = u.kind() == UnitKind.SHRINKAGE_CHANNEL_WISE ? gap
          : g.node(p + ".shrink.gap_mean", "ReduceMean", List.of(gap), Attribute.ints("axes", 1),
              Attribute.of("keepdims", 1L));
      String tau = unsqueezeSpatial(p + ".shrink.tau", g.node(p + ".shrink.tau_nc", "Mul", List.of(alpha, scale)));
      String excess = g.node(p + ".shrink.excess", "Relu",
          List.of(g.node(p + ".shrink.abs_minus_tau", "Sub", List.of(abs, tau))));
      return g.node(p + ".shrink.out", "Mul", List.of(g.node(p + ".shrink.sign", "Sign", List.of(x)), excess));
    }

    /**
     * The 1×1 projection, or positions 0, s, 2s, … of every spatial axis (only the length for
     * signals) with (out − in)/2 zero channels before and the rest after.
     */
    private String shortcut(UnitPlan u, String x) {
      if (u.shortcut() == NetworkPlan.Shortcut.PROJECTION) {
        return conv(u.projection(), x);
      }
      String p = u.name() + ".shortcut";
      String cur = x;
      if (u.stride() != 1) {
        long[] starts = new long[spatialAxes.length];
        long[] ends = new long[spatialAxes.length];
        long[] steps = new long[spatialAxes.length];
        Arrays.fill(ends, Long.MAX_VALUE);
        Arrays.fill(steps, u.stride());
        cur = g.node(p + ".subsampled", "Slice", List.of(cur, g.int64s(p + ".starts", starts),
            g.int64s(p + ".ends", ends), g.int64s(p + ".axes", spatialAxes), g.int64s(p + ".steps", steps)));
      }
      int grow = u.outChannels() - u.inChannels();
      if (grow != 0) {
        int rank = 2 + spatialAxes.length;
        long[] pads = new long[2 * rank];
        pads[1] = u.shortcutPadBefore();
        pads[rank + 1] = grow - u.shortcutPadBefore();
        cur = g.node(p + ".padded", "Pad", List.of(cur, g.int64s(p + ".pads", pads)),
            Attribute.of("mode", "constant"));
      }
      return cur;
    }

    private String unsqueezeSpatial(String name, String nc) {
      if (spatialAxesConstant == null) {
        spatialAxesConstant = g.int64s("spatial_axes", spatialAxes);
      }
      return g.node(name, "Unsqueeze", List.of(nc, spatialAxesConstant));
    }

    private String conv(ConvLayer l, String x) {
      long k = l.kernel();
      long s = l.stride();
      long pad = l.padding();
      return g.node(l.name(), "Conv", parameters(l, x),
          Attribute.ints("kernel_shape", twoD ? new long[] {k, k} : new long[] {k}),
          Attribute.ints("strides", twoD ? new long[] {s, s} : new long[] {s}),
          Attribute.ints("pads", twoD ? new long[] {pad, pad, pad, pad} : new long[] {pad, pad}));
    }

    /** Inference mode: the running statistics, ε as the network's. */
    private String batchNorm(NormLayer l, String x) {
      return g.node(l.name(), "BatchNormalization", parameters(l, x), Attribute.of("epsilon", (float) BatchNorm.EPS));
    }

    /** x [N, in] · weightᵀ + bias, weight [out, in], into the value {@code output}. */
    private String linear(DenseLayer l, String x, String output) {
      return g.node(output, "Gemm", parameters(l, x), Attribute.of("transB", 1L));
    }

    /** x, then the layer's tensors in checkpoint order as initializers of the same names. */
    private List<String> parameters(NetworkPlan.Layer layer, String x) {
      List<String> in = new ArrayList<>();
      in.add(x);
      for (TensorSpec t : layer.tensors()) {
        long[] dims = new long[t.shape().size()];
        for (int d = 0; d < dims.length; d++) {
          dims[d] = t.shape().get(d);
        }
        in.add(g.floats(t.name(), dims, model.tensor(t.name())));
      }
      return in;
    }
  }
}
