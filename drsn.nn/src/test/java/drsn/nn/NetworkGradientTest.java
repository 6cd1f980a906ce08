package drsn.nn;

import drsn.tensor.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of whole small networks of every family, in training mode (batch
 * statistics), with respect to inputs and to two coordinates of every parameter tensor, so every
 * layer's backward is exercised. See {@link GradCheck} for the method and tolerances.
 */
class NetworkGradientTest {

  static Architecture small1d(Family f, boolean projection) {
    // Widths 3 → 6 give an odd... no: (6 − 3)/2 = 1 zero channel before, 2 after (the odd one at the end).
    return new Architecture(f, 1, 2, 1, 19, List.of(3, 6), List.of(2, 1), 3, 2, 2, 3, Architecture.defaultNames(3),
        List.of(0.5f, -1f), List.of(2f, 0.5f), 2, projection);
  }

  static Architecture small2d(Family f) {
    return new Architecture(f, 2, 2, 7, 6, List.of(2, 5), List.of(1, 2), 3, 1, 2, 4, Architecture.defaultNames(4),
        List.of(0f, 0f), List.of(1f, 1f), 2, false);
  }

  static void check(Architecture arch, long seed) {
    int n = 3;
    Network net = new Network(arch, ParameterSet.initialise(arch, seed), KernelProvider.get()).training(true);
    SplittableRandom r = new SplittableRandom(seed + 1);
    // Perturb BN affine parameters and biases away from their init so that no symmetry hides a bug.
    float[] v = net.parameters().values();
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (0.1 * r.nextGaussian());
    }
    float[] x = new float[n * arch.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    double[] weights = new double[n * arch.classes()];
    float[] wf = new float[weights.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = r.nextGaussian();
      wf[i] = (float) weights[i];
    }
    java.util.function.DoubleSupplier loss = () -> {
      float[] z = net.forward(x, n);
      double s = 0;
      for (int i = 0; i < weights.length; i++) {
        s += weights[i] * z[i];
      }
      return s;
    };
    loss.getAsDouble();
    net.zeroGradients();
    float[] dx = net.backward(wf).clone();
    float[] grads = net.gradients().clone();
    List<GradCheck.Coordinate> coords = new ArrayList<>();
    for (int k = 0; k < 16; k++) {
      int i = r.nextInt(x.length);
      coords.add(new GradCheck.Coordinate("x", x, i, dx[i]));
    }
    for (TensorSpec spec : net.parameters().specs()) {
      if (spec.kind() != TensorSpec.Kind.TRAINABLE) {
        continue;
      }
      ParameterSet.Slot slot = net.parameters().slot(spec.name());
      for (int k = 0; k < 2; k++) {
        int i = slot.offset() + r.nextInt(slot.size());
        coords.add(new GradCheck.Coordinate(spec.name(), v, i, grads[i]));
      }
    }
    GradCheck.check(arch.family() + " " + arch.dimensions() + "-D", coords, loss);
  }

  @Test
  void convnet() {
    check(small1d(Family.CONVNET, false), 11);
    check(small2d(Family.CONVNET), 12);
  }

  @Test
  void resnet() {
    check(small1d(Family.RESNET, false), 21);
    check(small1d(Family.RESNET, true), 22);
    check(small2d(Family.RESNET), 23);
  }

  @Test
  void senet() {
    check(small1d(Family.SENET, false), 31);
    check(small2d(Family.SENET), 32);
  }

  @Test
  void drsnCs() {
    check(small1d(Family.DRSN_CS, false), 41);
    check(small2d(Family.DRSN_CS), 42);
  }

  @Test
  void drsnCw() {
    check(small1d(Family.DRSN_CW, false), 51);
    check(small1d(Family.DRSN_CW, true), 52);
    check(small2d(Family.DRSN_CW), 53);
  }
}
