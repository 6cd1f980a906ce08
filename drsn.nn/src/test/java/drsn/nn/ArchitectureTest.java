package drsn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  @Test
  void paperDrsnCwHasTheIssuesParameterCount() {
    Architecture a = Architecture.paper(Family.DRSN_CW, 2048, 8);
    assertEquals(11_552, a.parameterCount());
    assertEquals(11_552, ParameterSet.initialise(a, 1).trainableCount());
  }

  /** Counts from the per-layer formula, written independently of the layout code. */
  static long byFormula(Family f, int inC, int[] widths, int[] units, int k, int classes, int r) {
    long total = (long) widths[0] * inC * k + widths[0];
    int prev = widths[0];
    for (int s = 0; s < widths.length; s++) {
      int c = widths[s];
      for (int u = 0; u < units[s]; u++) {
        int in = u == 0 ? prev : c;
        long bn1 = 2L * in;
        long conv1 = (long) c * in * k + c;
        long bn2 = 2L * c;
        long conv2 = (long) c * c * k + c;
        long head = switch (f) {
          case CONVNET, RESNET -> 0;
          case SENET -> {
            long h = Math.max(1, c / r);
            yield (h * c + h) + (c * h + c);
          }
          case DRSN_CS -> (long) c * c + c + 2L * c + c + 1;
          case DRSN_CW -> 2L * ((long) c * c + c) + 2L * c;
        };
        total += bn1 + conv1 + bn2 + conv2 + head;
      }
      prev = c;
    }
    return total + 2L * prev + (long) prev * classes + classes;
  }

  @Test
  void everyFamilysCountMatchesTheFormula() {
    for (Family f : Family.values()) {
      Architecture a = Architecture.paper(f, 2048, 8);
      long expected = byFormula(f, 1, new int[] {4, 8, 16}, new int[] {4, 4, 4}, 3, 8, 4);
      assertEquals(expected, a.parameterCount(), f.id());
      assertEquals(expected, ParameterSet.initialise(a, 3).trainableCount(), f.id());
    }
    // The baselines are strictly smaller than the shrinkage networks built on the same skeleton.
    assertTrue(Architecture.paper(Family.RESNET, 2048, 8).parameterCount()
        < Architecture.paper(Family.DRSN_CS, 2048, 8).parameterCount());
    assertEquals(Architecture.paper(Family.CONVNET, 2048, 8).parameterCount(),
        Architecture.paper(Family.RESNET, 2048, 8).parameterCount());
  }

  @Test
  void countsMatchFormulaForRandomConfigurations() {
    qt().withExamples(60).forAll(integers().between(0, 4), integers().between(1, 3), integers().between(1, 12),
            integers().between(2, 10))
        .checkAssert((fi, stages, w0, classes) -> {
          int units = 1 + w0 % 3;
          Family f = Family.values()[fi];
          int[] widths = new int[stages];
          int[] us = new int[stages];
          for (int s = 0; s < stages; s++) {
            widths[s] = w0 * (s + 1);
            us[s] = units;
          }
          Architecture a = new Architecture(f, 1, 2, 1, 64, java.util.Arrays.stream(widths).boxed().toList(),
              java.util.Arrays.stream(us).boxed().toList(), 5, 2, 2, classes, Architecture.defaultNames(classes),
              List.of(0f, 0f), List.of(1f, 1f), 2, false);
          assertEquals(byFormula(f, 2, widths, us, 5, classes, 2), a.parameterCount());
          assertEquals(a.parameterCount(), ParameterSet.initialise(a, 0).trainableCount());
        });
  }

  @Test
  void layoutUsesPyTorchNamesAndShapes() {
    Architecture a = Architecture.paper(Family.DRSN_CW, 2048, 8);
    ParameterSet p = ParameterSet.allocate(a.layout());
    assertEquals(List.of(4, 1, 3), p.slot("stem.weight").spec().shape());
    assertEquals(List.of(8, 4, 3), p.slot("units.4.conv1.weight").spec().shape());
    assertEquals(List.of(16, 16), p.slot("units.11.fc2.weight").spec().shape());
    assertEquals(TensorSpec.Kind.STATISTIC, p.slot("units.11.bnf.running_var").spec().kind());
    assertEquals(List.of(8, 16), p.slot("fc.weight").spec().shape());
    assertFalse(p.contains("units.12.bn1.weight"));
    Architecture cs = a.withFamily(Family.DRSN_CS);
    assertEquals(List.of(1, 16), ParameterSet.allocate(cs.layout()).slot("units.11.fc2.weight").spec().shape());
    Architecture img = Architecture.cifar(Family.SENET, 10);
    ParameterSet q = ParameterSet.allocate(img.layout());
    assertEquals(List.of(16, 3, 3, 3), q.slot("stem.weight").spec().shape());
    assertEquals(List.of(4, 16), q.slot("units.0.fc1.weight").spec().shape());
  }

  @Test
  void initialisationIsSeededHeNormalWithUnitBatchNorm() {
    Architecture a = Architecture.paper(Family.DRSN_CW, 2048, 8);
    ParameterSet p1 = ParameterSet.initialise(a, 42);
    ParameterSet p2 = ParameterSet.initialise(a, 42);
    ParameterSet p3 = ParameterSet.initialise(a, 43);
    assertArrayEquals(p1.values(), p2.values());
    assertFalse(java.util.Arrays.equals(p1.values(), p3.values()));
    for (float v : p1.copyOf("units.3.bn2.weight")) {
      assertEquals(1f, v);
    }
    for (float v : p1.copyOf("units.3.conv2.bias")) {
      assertEquals(0f, v);
    }
    for (float v : p1.copyOf("units.3.bn2.running_var")) {
      assertEquals(1f, v);
    }
    // He normal: std = sqrt(2 / fan_in). Over the 16·16·3 = 768 weights of a conv, the sample std
    // is within 10 % of sqrt(2/48) (a ~5-sigma band for 768 samples is about ±12 %; seeds fixed).
    float[] w = p1.copyOf("units.11.conv2.weight");
    double ss = 0;
    for (float v : w) {
      ss += v * v;
    }
    double std = Math.sqrt(ss / w.length);
    assertEquals(Math.sqrt(2.0 / 48), std, 0.1 * Math.sqrt(2.0 / 48));
  }

  @Test
  void metadataRoundTripsAndRejectsGarbage() {
    Architecture a = Architecture.cifar(Family.DRSN_CS, 3)
        .withClassNames(List.of("cat", "dog \"quoted\"", "ünïcode"))
        .withNormalization(List.of(0.1f, -2.5e-7f, 3f), List.of(1f, 0.3f, 7.25f));
    assertEquals(a, Architecture.fromMetadata(a.toMetadata()));
    Map<String, String> m = new java.util.HashMap<>(a.toMetadata());
    m.put("widths", "[4,");
    assertThrows(IllegalArgumentException.class, () -> Architecture.fromMetadata(m));
    m.put("widths", "[100000]");
    assertThrows(IllegalArgumentException.class, () -> Architecture.fromMetadata(m));
    m.remove("widths");
    assertThrows(IllegalArgumentException.class, () -> Architecture.fromMetadata(m));
  }

  @Test
  void inputUnitsRoundTripThroughMetadataAndOldFilesHaveNone() {
    Architecture plain = Architecture.paper(Family.DRSN_CW, 256, 3);
    assertEquals(InputUnits.UNKNOWN, plain.inputUnits());
    assertFalse(plain.toMetadata().containsKey("sample_rate"), "unknown units add no keys: old files stay as they were");
    for (InputUnits u : List.of(new InputUnits(12_000, "full-scale"), new InputUnits(0, "raw"),
        new InputUnits(44_100.5, ""))) {
      Architecture a = plain.withInputUnits(u);
      assertEquals(u, Architecture.fromMetadata(a.toMetadata()).inputUnits());
      assertEquals(a, Architecture.fromMetadata(a.toMetadata()));
      assertEquals(u, a.withClassNames(List.of("x", "y", "z")).withFamily(Family.RESNET).inputUnits());
    }
    Map<String, String> m = new java.util.HashMap<>(plain.toMetadata());
    m.put("sample_rate", "-5");
    assertThrows(IllegalArgumentException.class, () -> Architecture.fromMetadata(m));
    m.put("sample_rate", "fast");
    assertThrows(IllegalArgumentException.class, () -> Architecture.fromMetadata(m));
    m.put("sample_rate", "8000");
    m.put("input_scale", "Robert'); DROP");
    assertThrows(IllegalArgumentException.class, () -> Architecture.fromMetadata(m));
    assertThrows(IllegalArgumentException.class, () -> new InputUnits(Double.NaN, ""));
  }

  @Test
  void rejectsBadConfigurations() {
    assertThrows(IllegalArgumentException.class, () -> Architecture.paper(Family.DRSN_CW, 0, 8));
    assertThrows(IllegalArgumentException.class, () -> Architecture.paper(Family.DRSN_CW, 2048, 0));
    assertThrows(IllegalArgumentException.class, () -> new Architecture(Family.RESNET, 1, 1, 1, 64,
        List.of(8, 4), List.of(1, 1), 3, 2, 2, 2, Architecture.defaultNames(2), List.of(0f), List.of(1f), 4, false));
    assertThrows(IllegalArgumentException.class, () -> new Architecture(Family.RESNET, 1, 1, 1, 64,
        List.of(8), List.of(1), 4, 2, 2, 2, Architecture.defaultNames(2), List.of(0f), List.of(1f), 4, false));
    assertThrows(IllegalArgumentException.class, () -> new Architecture(Family.RESNET, 1, 1, 1, 64,
        List.of(8), List.of(1), 3, 2, 2, 2, Architecture.defaultNames(2), List.of(0f), List.of(0f), 4, false));
    assertThrows(IllegalArgumentException.class, () -> new Architecture(Family.RESNET, 1, 1, 1, 64,
        List.of(4000, 4000), List.of(500, 500), 63, 2, 2, 2, Architecture.defaultNames(2), List.of(0f),
        List.of(1f), 4, false));
  }
}
