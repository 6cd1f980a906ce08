package drsn.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.NetworkPlan;
import drsn.nn.ParameterSet;
import drsn.nn.TestLayers;
import drsn.tensor.KernelProvider;
import drsn.tensor.SoftThreshold;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A shrinkage unit's output, computed by soft thresholding and adding the shortcut in one pass per
 * channel plane ({@link SoftThreshold#forwardAdd}) where the shortcut allows it, has the bits of the
 * two steps apart: the batched soft threshold of the branch output, then {@link Shortcut#forwardAdd}.
 * Over RSBU-CW and RSBU-CS, signals and images, strides 1 and 2, channels kept and grown (zero
 * channels padded before and after), batches of 1–3, training and evaluation mode.
 */
class ShrinkageShortcutFusionTest {

  @Test
  void fusedThresholdAndShortcutGiveTheBitsOfTheTwoStepsApart() {
    qt().withExamples(60).forAll(booleans().all(), booleans().all(), integers().between(1, 3),
            longs().between(0, 1 << 20))
        .checkAssert((cw, image, n, seed) -> {
          int c0 = 1 + (int) (seed % 5);
          int c1 = c0 + (int) (seed % 4); // grows by 0–3 channels: padding before, after, or both
          int width = 5 + (int) (seed % 29);
          int height = image ? 2 + (int) (seed % 5) : 1;
          int stride = 1 + (int) (seed / 7 % 2);
          Architecture arch = new Architecture(cw ? Family.DRSN_CW : Family.DRSN_CS, image ? 2 : 1, 1, height, width,
              List.of(c0, c1), List.of(1, 1), 3, 1, stride, 2, Architecture.defaultNames(2), List.of(0f),
              List.of(1f), 4, false);
          ParameterSet p = ParameterSet.initialise(arch, seed);
          SplittableRandom r = new SplittableRandom(seed);
          float[] v = p.values();
          for (int i = 0; i < v.length; i++) {
            v[i] += (float) (0.3 * r.nextGaussian());
          }
          for (NetworkPlan.UnitPlan plan : arch.plan().units()) {
            ShrinkageUnit u = (ShrinkageUnit) TestLayers.unit(TestLayers.binding(p, new float[v.length]), plan,
                KernelProvider.get());
            u.prepare(n);
            float[] x = new float[n * u.inSize()];
            for (int i = 0; i < x.length; i++) {
              x[i] = (float) r.nextGaussian();
            }
            boolean training = n > 1 && r.nextBoolean();
            float[] y = u.forward(n, x, training, new float[u.workspaceSize(n)],
                new float[n * Math.max(u.inSize(), u.outSize())]);

            float[] tau = new float[n * u.outC];
            u.thresholds(n, tau, 0);
            float[] apart = new float[n * u.outSize()];
            KernelProvider.get().softThreshold().forwardPerChannel(n, u.outC, u.outSpatial, u.c2, 0, tau, 0,
                apart, 0);
            u.shortcut.forwardAdd(n, x, apart, null, null);
            for (int i = 0; i < apart.length; i++) {
              assertEquals(Float.floatToIntBits(apart[i]), Float.floatToIntBits(y[i]),
                  "element " + i + " of " + (cw ? "CW" : "CS") + (image ? " image " : " signal ") + c0 + "->"
                      + u.outC + " stride " + stride + " n " + n);
            }
          }
        });
  }
}
