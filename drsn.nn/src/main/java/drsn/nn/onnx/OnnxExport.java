package drsn.nn.onnx;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.TensorSpec;
import drsn.nn.internal.AtomicFile;
import drsn.nn.layer.BatchNorm;
import drsn.nn.layer.ShrinkageUnit;
import drsn.nn.onnx.OnnxGraph.Attribute;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as an ONNX file (IR version 7, opset 13) that computes what {@link drsn.nn.Predictor}
 * computes: input {@code signal} [N, C, L] (2-D: [N, C, H, W]) of raw values, with the model's
 * input normalisation inside; outputs {@code probabilities} [N, classes] (first) and the
 * {@code logits} before the softmax; N is symbolic. Batch norm
 * is in inference mode (running statistics, ε = 1e-5); parameters keep their checkpoint (PyTorch)
 * names. The skeleton is {@link Architecture}'s; per family, after each unit's branch
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

  /** One export: the graph and the running name of the current value. */
  private static final class Builder {
    private final Model model;
    private final Architecture arch;
    private final boolean twoD;
    private final OnnxGraph g;
    private final Map<String, List<Integer>> shapes = new HashMap<>();
    private final long[] spatialAxes;
    private String spatialAxesConstant;
    private String minAlpha;

    Builder(Model model) {
      this.model = model;
      this.arch = model.architecture();
      this.twoD = arch.dimensions() == 2;
      this.g = new OnnxGraph("drsn-" + arch.family().id());
      for (TensorSpec s : arch.layout()) {
        shapes.put(s.name(), s.shape());
      }
      this.spatialAxes = twoD ? new long[] {2, 3} : new long[] {2};
    }

    byte[] build() {
      int c = arch.inputChannels();
      String x = twoD ? g.input("signal", "N", c, arch.inputHeight(), arch.inputWidth())
          : g.input("signal", "N", c, arch.inputWidth());
      x = normalise(x);
      String cur = conv("stem", x, arch.stemStride(), arch.kernel());
      int prev = arch.widths().getFirst();
      int i = 0;
      for (int s = 0; s < arch.widths().size(); s++) {
        int width = arch.widths().get(s);
        for (int u = 0; u < arch.unitsPerStage().get(s); u++, i++) {
          cur = unit("units." + i, cur, u == 0 ? prev : width, width, u == 0 ? arch.stageStride() : 1);
        }
        prev = width;
      }
      cur = g.node("head.relu", "Relu", List.of(batchNorm("bn", cur)));
      cur = g.node("head.pool", "ReduceMean", List.of(cur), Attribute.ints("axes", spatialAxes),
          Attribute.of("keepdims", 0L));
      String logits = g.node("logits", "Gemm", List.of(cur, parameter("fc.weight"), parameter("fc.bias")),
          Attribute.of("transB", 1L));
      g.node("probabilities", "Softmax", List.of(logits), Attribute.of("axis", 1L));
      g.output("probabilities", "N", arch.classes());
      g.output("logits", "N", arch.classes());
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

    private String unit(String p, String x, int in, int out, int stride) {
      String a1 = g.node(p + ".relu1", "Relu", List.of(batchNorm(p + ".bn1", x)));
      String c1 = conv(p + ".conv1", a1, stride, arch.kernel());
      String a2 = g.node(p + ".relu2", "Relu", List.of(batchNorm(p + ".bn2", c1)));
      String c2 = conv(p + ".conv2", a2, 1, arch.kernel());
      Family f = arch.family();
      if (f == Family.CONVNET) {
        return c2;
      }
      String branch = switch (f) {
        case SENET -> squeezeExcitation(p, c2);
        case DRSN_CS, DRSN_CW -> shrinkage(p, c2, f == Family.DRSN_CW);
        default -> c2;
      };
      return g.node(p + ".out", "Add", List.of(branch, shortcut(p, x, in, out, stride)));
    }

    private String squeezeExcitation(String p, String x) {
      String pooled = g.node(p + ".se.pool", "ReduceMean", List.of(x), Attribute.ints("axes", spatialAxes),
          Attribute.of("keepdims", 0L));
      String h = g.node(p + ".se.relu", "Relu", List.of(linear(p + ".fc1", pooled)));
      String s = g.node(p + ".se.sigmoid", "Sigmoid", List.of(linear(p + ".fc2", h)));
      return g.node(p + ".se.scaled", "Mul", List.of(x, unsqueezeSpatial(p + ".se.weights", s)));
    }

    private String shrinkage(String p, String x, boolean channelWise) {
      String abs = g.node(p + ".shrink.abs", "Abs", List.of(x));
      String gap = g.node(p + ".shrink.gap", "ReduceMean", List.of(abs), Attribute.ints("axes", spatialAxes),
          Attribute.of("keepdims", 0L));
      String r = g.node(p + ".shrink.relu", "Relu", List.of(batchNorm(p + ".bnf", linear(p + ".fc1", gap))));
      String sigmoid = g.node(p + ".shrink.sigmoid", "Sigmoid", List.of(linear(p + ".fc2", r)));
      if (minAlpha == null) {
        minAlpha = g.floats("shrink.min_alpha", new long[0], new float[] {ShrinkageUnit.MIN_ALPHA});
      }
      String alpha = g.node(p + ".shrink.alpha", "Max", List.of(sigmoid, minAlpha));
      String scale = channelWise ? gap : g.node(p + ".shrink.gap_mean", "ReduceMean", List.of(gap),
          Attribute.ints("axes", 1), Attribute.of("keepdims", 1L));
      String tau = unsqueezeSpatial(p + ".shrink.tau", g.node(p + ".shrink.tau_nc", "Mul", List.of(alpha, scale)));
      String excess = g.node(p + ".shrink.excess", "Relu",
          List.of(g.node(p + ".shrink.abs_minus_tau", "Sub", List.of(abs, tau))));
      return g.node(p + ".shrink.out", "Mul", List.of(g.node(p + ".shrink.sign", "Sign", List.of(x)), excess));
    }

    /**
     * The shortcut as drsn's {@code Shortcut}: the 1×1 projection where the model has one, else
     * positions 0, s, 2s, … of every spatial axis and (out − in)/2 zero channels before, the rest after.
     */
    private String shortcut(String p, String x, int in, int out, int stride) {
      if (shapes.containsKey(p + ".shortcut.weight")) {
        return conv(p + ".shortcut", x, stride, 1);
      }
      String cur = x;
      if (stride != 1) {
        int axes = spatialAxes.length;
        long[] starts = new long[axes];
        long[] ends = new long[axes];
        long[] steps = new long[axes];
        for (int a = 0; a < axes; a++) {
          ends[a] = Long.MAX_VALUE;
          steps[a] = stride;
        }
        // In 1-D only the length is subsampled; in 2-D both axes, as the convolutions stride.
        cur = g.node(p + ".shortcut.subsampled", "Slice", List.of(cur, g.int64s(p + ".shortcut.starts", starts),
            g.int64s(p + ".shortcut.ends", ends), g.int64s(p + ".shortcut.axes", spatialAxes),
            g.int64s(p + ".shortcut.steps", steps)));
      }
      if (out != in) {
        int rank = 2 + spatialAxes.length;
        long[] pads = new long[2 * rank];
        pads[1] = (out - in) / 2;
        pads[rank + 1] = out - in - (out - in) / 2;
        cur = g.node(p + ".shortcut.padded", "Pad", List.of(cur, g.int64s(p + ".shortcut.pads", pads)),
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

    private String conv(String name, String x, int stride, int kernel) {
      int pad = (kernel - 1) / 2;
      long[] k = twoD ? new long[] {kernel, kernel} : new long[] {kernel};
      long[] strides = twoD ? new long[] {stride, stride} : new long[] {stride};
      long[] pads = twoD ? new long[] {pad, pad, pad, pad} : new long[] {pad, pad};
      return g.node(name, "Conv", List.of(x, parameter(name + ".weight"), parameter(name + ".bias")),
          Attribute.ints("kernel_shape", k), Attribute.ints("strides", strides), Attribute.ints("pads", pads));
    }

    private String batchNorm(String name, String x) {
      return g.node(name, "BatchNormalization", List.of(x, parameter(name + ".weight"), parameter(name + ".bias"),
          parameter(name + ".running_mean"), parameter(name + ".running_var")),
          Attribute.of("epsilon", (float) BatchNorm.EPS));
    }

    /** x [N, in] · weightᵀ + bias, weight [out, in]. */
    private String linear(String name, String x) {
      return g.node(name, "Gemm", List.of(x, parameter(name + ".weight"), parameter(name + ".bias")),
          Attribute.of("transB", 1L));
    }

    /** The model's tensor of that name as an initializer of the same name. */
    private String parameter(String name) {
      List<Integer> shape = shapes.get(name);
      if (shape == null) {
        throw new IllegalStateException("the architecture's layout has no tensor " + name);
      }
      long[] dims = new long[shape.size()];
      for (int d = 0; d < dims.length; d++) {
        dims[d] = shape.get(d);
      }
      return g.floats(name, dims, model.tensor(name));
    }
  }
}
