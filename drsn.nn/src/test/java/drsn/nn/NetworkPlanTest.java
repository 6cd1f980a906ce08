package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.tensor.ConvShape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan is one consistent walk: shapes chain from unit to unit, and its tensors are the layout. */
class NetworkPlanTest {

  static List<Architecture> variety() {
    List<Architecture> out = new java.util.ArrayList<>();
    for (Family f : Family.values()) {
      for (boolean projection : new boolean[] {false, true}) {
        out.add(new Architecture(f, 1, 2, 1, 37, List.of(3, 4, 8), List.of(2, 1, 2), 5, 2, 2, 3,
            Architecture.defaultNames(3), List.of(0f, 0f), List.of(1f, 1f), 2, projection));
        out.add(new Architecture(f, 2, 3, 11, 9, List.of(4, 6), List.of(1, 2), 3, 1, 3, 4,
            Architecture.defaultNames(4), List.of(0f, 0f, 0f), List.of(1f, 1f, 1f), 3, projection));
      }
    }
    return out;
  }

  @Test
  void shapesChainFromTheStemThroughEveryUnitToTheHead() {
    for (Architecture a : variety()) {
      NetworkPlan plan = a.plan();
      String what = a.family() + " " + a.dimensions() + "-D projection=" + a.projectionShortcut();
      NetworkPlan.ConvLayer stem = plan.stem();
      assertEquals(a.inputChannels(), stem.inChannels(), what);
      assertEquals(a.inputHeight(), stem.height(), what);
      assertEquals(a.inputWidth(), stem.width(), what);
      int c = stem.outChannels();
      int h = stem.outHeight();
      int w = stem.outWidth();
      assertEquals(a.unitCount(), plan.units().size(), what);
      for (NetworkPlan.UnitPlan u : plan.units()) {
        assertEquals("units." + u.index(), u.name(), what);
        assertEquals(NetworkPlan.UnitKind.of(a.family()), u.kind(), what);
        assertEquals(c, u.inChannels(), what + " " + u.name());
        assertEquals(h, u.inHeight(), what + " " + u.name());
        assertEquals(w, u.inWidth(), what + " " + u.name());
        assertEquals(u.outChannels(), u.bn2().channels(), what);
        assertEquals(u.outHeight() * u.outWidth(), u.bn2().spatial(), what);
        assertEquals(u.inHeight() * u.inWidth(), u.bn1().spatial(), what);
        boolean reshapes = u.inChannels() != u.outChannels() || u.stride() != 1;
        NetworkPlan.Shortcut expected = u.kind() == NetworkPlan.UnitKind.PLAIN ? NetworkPlan.Shortcut.NONE
            : a.projectionShortcut() && reshapes ? NetworkPlan.Shortcut.PROJECTION : NetworkPlan.Shortcut.SUBSAMPLE_PAD;
        assertEquals(expected, u.shortcut(), what + " " + u.name());
        if (u.shortcut() == NetworkPlan.Shortcut.PROJECTION) {
          assertEquals(u.outHeight(), u.projection().outHeight(), what);
          assertEquals(u.outWidth(), u.projection().outWidth(), what);
        } else {
          assertNull(u.projection(), what);
        }
        if (u.shortcut() == NetworkPlan.Shortcut.SUBSAMPLE_PAD) {
          int after = u.outChannels() - u.inChannels() - u.shortcutPadBefore();
          assertTrue(u.shortcutPadBefore() >= 0 && after >= u.shortcutPadBefore() && after <= u.shortcutPadBefore() + 1,
              what + " " + u.name() + ": zero channels split evenly, the odd one after");
        }
        switch (u.kind()) {
          case SQUEEZE_EXCITATION -> assertEquals(Math.max(1, u.outChannels() / a.seReduction()), u.seHidden());
          case SHRINKAGE_CHANNEL_WISE -> assertEquals(u.outChannels(), u.thresholdsPerSample());
          case SHRINKAGE_CHANNEL_SHARED -> assertEquals(1, u.thresholdsPerSample());
          default -> assertEquals(0, u.seHidden() + u.thresholdsPerSample());
        }
        c = u.outChannels();
        h = u.outHeight();
        w = u.outWidth();
      }
      assertEquals(c, plan.head().channels(), what);
      assertEquals(h * w, plan.head().spatial(), what);
      assertEquals(a.classes(), plan.head().classes(), what);
    }
  }

  @Test
  void everyConvolutionsOutputSizeIsTheKernelsOwn() {
    for (Architecture a : variety()) {
      for (NetworkPlan.Layer l : a.plan().layers()) {
        if (l instanceof NetworkPlan.ConvLayer conv) {
          ConvShape shape = conv.shape();
          assertEquals(shape.outHeight(), conv.outHeight(), conv.name());
          assertEquals(shape.outWidth(), conv.outWidth(), conv.name());
          assertEquals(shape.is1d(), a.dimensions() == 1, conv.name());
        }
      }
    }
  }

  @Test
  void tensorsAreTheLayoutWithUniqueNamesUnderTheirLayersAndTheCountIsTheirs() {
    for (Architecture a : variety()) {
      NetworkPlan plan = a.plan();
      assertEquals(a.layout(), plan.tensors());
      Set<String> names = new HashSet<>();
      long trainable = 0;
      for (NetworkPlan.Layer l : plan.layers()) {
        for (TensorSpec t : l.tensors()) {
          assertTrue(t.name().startsWith(l.name() + "."), t.name() + " under " + l.name());
          assertTrue(names.add(t.name()), "duplicate " + t.name());
          trainable += t.kind() == TensorSpec.Kind.TRAINABLE ? t.elementCount() : 0;
        }
      }
      assertEquals(trainable, plan.parameterCount());
      assertEquals(ParameterSet.initialise(a, 1).trainableCount(), plan.parameterCount());
    }
  }

  @Test
  void theSizeLimitCountsExactlyBeyondTheIntRange() {
    // 16 units of 4096 channels with 63×63 kernels: each conv weight alone exceeds 2^31 elements.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Architecture(
        Family.RESNET, 2, 1, 64, 64, List.of(4096), List.of(16), 63, 1, 1, 2, Architecture.defaultNames(2),
        List.of(0f), List.of(1f), 4, false));
    long conv = 4096L * 4096 * 63 * 63 + 4096;
    long expected = (4096L * 63 * 63 + 4096) + 16 * (2 * 4096L + conv + 2 * 4096L + conv) + 2 * 4096L + 2 * 4096L + 2;
    assertTrue(e.getMessage().contains("has " + expected + " parameters"), e.getMessage());
  }

  @Test
  void thePaperNetworksPlanNamesEveryUnitAndItsLayers() {
    NetworkPlan plan = Architecture.paper(Family.DRSN_CW, 2048, 8).plan();
    NetworkPlan.UnitPlan u = plan.units().get(4);
    assertEquals("units.4", u.name());
    assertEquals(List.of("units.4.bn1", "units.4.conv1", "units.4.bn2", "units.4.conv2", "units.4.fc1", "units.4.bnf",
        "units.4.fc2"), u.layers().stream().map(NetworkPlan.Layer::name).toList());
    assertEquals(4, u.inChannels());
    assertEquals(8, u.outChannels());
    assertEquals(2, u.stride());
    // 2048 → stem (stride 2) 1024 → units.0 (stride 2) 512 → units.4 (stride 2) 256.
    assertEquals(512, u.inWidth());
    assertEquals(256, u.outWidth());
    assertNotNull(u.bnf());
    assertEquals("RSBU-CW", u.kind().label());
  }
}
