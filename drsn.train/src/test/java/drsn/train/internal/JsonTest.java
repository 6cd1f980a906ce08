package drsn.train.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void doublesRoundTripExactly() {
    qt().forAll(doubles().any()).assuming(Double::isFinite).checkAssert(d -> {
      try {
        Object back = Json.parse(Json.write(List.of(d)), 2);
        assertEquals(d, ((Number) ((List<?>) back).getFirst()).doubleValue(), 0.0);
      } catch (Json.JsonException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void stringsRoundTrip() {
    qt().forAll(strings().allPossible().ofLengthBetween(0, 30)).checkAssert(s -> {
      try {
        assertEquals(s, Json.parse(Json.write(s), 1));
      } catch (Json.JsonException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void nestedValuesRoundTripAndNonFiniteNumbersBecomeNull() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", List.of(1L, 2.5, "x", true));
    m.put("nan", Double.NaN);
    m.put("none", null);
    Object back = Json.parse(Json.write(m), 4);
    Map<?, ?> r = (Map<?, ?>) back;
    assertEquals(List.of(1L, 2.5, "x", true), r.get("a"));
    assertEquals(Json.NULL, r.get("nan"));
    assertEquals(Json.NULL, r.get("none"));
  }

  @Test
  void malformedJsonIsRejectedWithAPosition() {
    for (String bad : new String[] {"", "{", "[1,]", "{\"a\":1,\"a\":2}", "01", "\"\\x\"", "[1] 2", "tru",
        "[[[[[[1]]]]]]"}) {
      Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(bad, 4), bad);
      if (!e.getMessage().contains("character")) {
        throw new AssertionError("no position in: " + e.getMessage());
      }
    }
  }
}
