package drsn.nn.layer;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.GradCheck;
import drsn.nn.NetworkPlan;
import drsn.nn.ParameterSet;
import drsn.nn.TensorSpec;
import drsn.nn.TestLayers;
import drsn.nn.internal.CrossEntropy;
import drsn.tensor.ConvShape;
import drsn.tensor.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of each layer and unit on its own (training mode), with respect to its
 * input and every parameter tensor; loss = Σ r·output with fixed random r. Method and tolerances:
 * {@link GradCheck}.
 */
class LayerGradientTest {

  static final KernelProvider K = KernelProvider.get();
  final SplittableRandom random = new SplittableRandom(2024);

  static TensorSpec t(String name, Integer... shape) {
    return new TensorSpec(name, List.of(shape), TensorSpec.Kind.TRAINABLE);
  }

  static TensorSpec s(String name, Integer... shape) {
    return new TensorSpec(name, List.of(shape), TensorSpec.Kind.STATISTIC);
  }

  static void bn(List<TensorSpec> l, String name, int c) {
    l.add(t(name + ".weight", c));
    l.add(t(name + ".bias", c));
    l.add(s(name + ".running_mean", c));
    l.add(s(name + ".running_var", c));
  }

  static void conv(List<TensorSpec> l, String name, int out, int in, int k, boolean twoD) {
    l.add(twoD ? t(name + ".weight", out, in, k, k) : t(name + ".weight", out, in, k));
    l.add(t(name + ".bias", out));
  }

  static void fc(List<TensorSpec> l, String name, int out, int in) {
    l.add(t(name + ".weight", out, in));
    l.add(t(name + ".bias", out));
  }

  /** Parameters, their gradients, and the binding layers read them through. */
  record Bound(ParameterSet params, float[] grads, ParamBinding binding) {
  }

  Bound binding(List<TensorSpec> specs) {
    ParameterSet p = ParameterSet.allocate(specs);
    float[] v = p.values();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (0.5 * random.nextGaussian());
    }
    float[] grads = new float[v.length];
    return new Bound(p, grads, TestLayers.binding(p, grads));
  }

  float[] gaussian(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  /** Builds the loss, runs backward once for the analytic gradients, and checks input and all parameters. */
  void check(String what, Bound b, float[] x, int outLen, java.util.function.Supplier<float[]> forward,
             java.util.function.Function<float[], float[]> backward) {
    float[] r = gaussian(outLen);
    DoubleSupplier loss = () -> {
      float[] y = forward.get();
      double sum = 0;
      for (int i = 0; i < outLen; i++) {
        sum += (double) r[i] * y[i];
      }
      return sum;
    };
    loss.getAsDouble();
    java.util.Arrays.fill(b.grads(), 0f);
    float[] dx = backward.apply(r).clone();
    float[] grads = b.grads().clone();
    List<GradCheck.Coordinate> coords = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      int i = random.nextInt(x.length);
      coords.add(new GradCheck.Coordinate("x", x, i, dx[i]));
    }
    for (TensorSpec spec : b.params().specs()) {
      if (spec.kind() == TensorSpec.Kind.TRAINABLE) {
        ParameterSet.Slot slot = b.params().slot(spec.name());
        for (int k = 0; k < 3; k++) {
          int i = slot.offset() + random.nextInt(slot.size());
          coords.add(new GradCheck.Coordinate(spec.name(), b.params().values(), i, grads[i]));
        }
      }
    }
    GradCheck.check(what, coords, loss);
  }

  @Test
  void conv() {
    for (boolean twoD : new boolean[] {false, true}) {
      List<TensorSpec> l = new ArrayList<>();
      conv(l, "c", 3, 2, 3, twoD);
      Bound b = binding(l);
      ConvShape shape = twoD ? ConvShape.of2d(2, 3, 5, 6, 3, 2, 1, 1) : ConvShape.of1d(2, 3, 11, 3, 2, 1, 1);
      Conv c = new Conv(b.binding(), "c", shape, K);
      int n = 2;
      float[] x = gaussian(n * shape.inputSize());
      float[] y = new float[n * shape.outputSize()];
      float[] dx = new float[x.length];
      float[] ws = new float[c.workspaceSize(n)];
      check("conv " + (twoD ? "2-D" : "1-D"), b, x, y.length, () -> {
        c.forward(n, x, y, ws);
        return y;
      }, dy -> {
        c.backward(n, x, dy, dx, ws);
        return dx;
      });
    }
  }

  @Test
  void batchNormInTraining() {
    List<TensorSpec> l = new ArrayList<>();
    bn(l, "bn", 3);
    Bound b = binding(l);
    BatchNorm bn = new BatchNorm(b.binding(), "bn", 3, 5, K);
    int n = 4;
    bn.prepare(n);
    float[] x = gaussian(n * 3 * 5);
    float[] y = new float[x.length];
    float[] dx = new float[x.length];
    check("batch norm", b, x, y.length, () -> {
      bn.forward(n, x, y, true);
      return y;
    }, dy -> {
      bn.backward(n, x, dy, dx);
      return dx;
    });
  }

  @Test
  void batchNormInEvaluation() {
    List<TensorSpec> l = new ArrayList<>();
    bn(l, "bn", 3);
    Bound b = binding(l);
    float[] stats = b.params().statistics();
    for (int i = 0; i < stats.length; i++) {
      stats[i] = 0.5f + (float) Math.abs(random.nextGaussian());
    }
    BatchNorm bn = new BatchNorm(b.binding(), "bn", 3, 4, K);
    int n = 2;
    float[] x = gaussian(n * 3 * 4);
    float[] y = new float[x.length];
    float[] dx = new float[x.length];
    check("batch norm (evaluation)", b, x, y.length, () -> {
      bn.forward(n, x, y, false);
      return y;
    }, dy -> {
      bn.backward(n, x, dy, dx);
      return dx;
    });
  }

  @Test
  void linear() {
    List<TensorSpec> l = new ArrayList<>();
    fc(l, "fc", 4, 5);
    Bound b = binding(l);
    Linear fc = new Linear(b.binding(), "fc", 5, 4, K);
    int n = 3;
    float[] x = gaussian(n * 5);
    float[] y = new float[n * 4];
    float[] dx = new float[x.length];
    check("linear", b, x, y.length, () -> {
      fc.forward(n, x, y);
      return y;
    }, dy -> {
      fc.backward(n, x, dy, dx);
      return dx;
    });
  }

  @Test
  void globalAveragePoolingAndSoftmaxCrossEntropy() {
    Bound b = binding(List.of(t("unused", 1)));
    int n = 3;
    int c = 4;
    int len = 5;
    float[] x = gaussian(n * c * len);
    float[] pooled = new float[n * c];
    float[] dz = new float[n * c];
    float[] dx = new float[x.length];
    int[] labels = {1, 3, 0};
    // loss = cross-entropy(GAP(x) as logits) + Σ r·CE is checked through its gradient w.r.t. x.
    check("GAP + softmax cross-entropy", b, x, 1, () -> {
      GlobalAvgPool.forward(K.reductions(), n, c, len, x, pooled);
      return new float[] {(float) (CrossEntropy.lossAndGradient(pooled, n, c, labels, 0, n, dz, null) / n)};
    }, dy -> {
      GlobalAvgPool.forward(K.reductions(), n, c, len, x, pooled);
      CrossEntropy.lossAndGradient(pooled, n, c, labels, 0, n, dz, null);
      for (int i = 0; i < dz.length; i++) {
        dz[i] *= dy[0];
      }
      GlobalAvgPool.backward(n, c, len, dz, dx);
      return dx;
    });
  }

  /**
   * Each unit kind, strided with channel growth 3 → 6 (zero padding 1 before, 2 after) or a
   * projection: the second unit of a plan (widths 3, 6, every stage strided), built as the network builds it.
   */
  void unit(String kind, boolean twoD, boolean projection) {
    Family family = switch (kind) {
      case "plain" -> Family.CONVNET;
      case "residual" -> Family.RESNET;
      case "se" -> Family.SENET;
      case "cs" -> Family.DRSN_CS;
      default -> Family.DRSN_CW;
    };
    // Input 25 (1-D) or 9×11 (2-D); the first unit halves it to 13 or 5×6.
    Architecture arch = new Architecture(family, twoD ? 2 : 1, 3, twoD ? 9 : 1, twoD ? 11 : 25, List.of(3, 6),
        List.of(1, 1), 3, 1, 2, 2, Architecture.defaultNames(2), List.of(0f, 0f, 0f), List.of(1f, 1f, 1f), 3,
        projection);
    NetworkPlan.UnitPlan plan = arch.plan().units().get(1);
    Bound b = binding(plan.tensors());
    Unit u = TestLayers.unit(b.binding(), plan, K);
    int n = 3;
    u.prepare(n);
    float[] x = gaussian(n * u.inSize());
    int scratch = n * Math.max(u.inSize(), u.outSize());
    float[] dIn = new float[n * u.inSize()];
    float[] t1 = new float[scratch];
    float[] t2 = new float[scratch];
    float[] dOut = new float[n * u.outSize()];
    float[] ws = new float[u.workspaceSize(n)];
    check(kind + (twoD ? " 2-D" : " 1-D") + (projection ? " projection" : ""), b, x, n * u.outSize(),
        () -> u.forward(n, x, true, ws, t1), dy -> {
          System.arraycopy(dy, 0, dOut, 0, dOut.length);
          u.backward(n, dOut, dIn, t1, t2, ws);
          return dIn;
        });
  }

  @Test
  void units() {
    for (String kind : new String[] {"plain", "residual", "se", "cs", "cw"}) {
      for (boolean twoD : new boolean[] {false, true}) {
        unit(kind, twoD, false);
        if (!kind.equals("plain")) {
          unit(kind, twoD, true);
        }
      }
    }
  }
}
