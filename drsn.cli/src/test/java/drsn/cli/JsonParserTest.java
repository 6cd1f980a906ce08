package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import drsn.cli.internal.Json;
import drsn.cli.internal.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {

  @Test
  void parsesEveryKindOfValue() {
    Object v = JsonParser.parse(" {\"a\": [1, -2.5e3, 0.125], \"b\": \"x\\u0041\\n\", \"c\": true, \"d\": null} ", 8, 100);
    Map<?, ?> m = assertInstanceOf(Map.class, v);
    assertEquals(List.of(1.0, -2500.0, 0.125), m.get("a"));
    assertEquals("xA\n", m.get("b"));
    assertEquals(Boolean.TRUE, m.get("c"));
    assertSame(JsonParser.NULL, m.get("d"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "[1,]", "[1 2]", "{\"a\":1,}", "{'a':1}", "[NaN]", "[Infinity]", "[-]",
      "[01]", "[1.]", "[.5]", "[1e]", "\"abc", "\"a\u0001\"", "[1] x", "{\"a\" 1}", "{1:2}", "tru", "nul",
      "[\"\\x\"]", "[\"\\u12\"]", "{\"a\":1,\"a\":2}", "[1e400]", "[-1e400]", "//c\n[1]", "[+1]"})
  void rejectsMalformedJsonWithAPosition(String text) {
    JsonParser.JsonException e = assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse(text, 8, 1000));
    assertTrue(e.getMessage().contains("JSON"), e.getMessage());
  }

  @Test
  void limitsDepthWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    var e = assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse(deep, 4, 1_000_000));
    assertTrue(e.getMessage().contains("deeper than 4"), e.getMessage());
    assertInstanceOf(List.class, JsonParser.parse("[[[[1]]]]", 4, 100));
  }

  @Test
  void limitsTheNumberOfValues() {
    assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse("[1,2,3,4,5]", 4, 5));
    assertInstanceOf(List.class, JsonParser.parse("[1,2,3,4]", 4, 5));
  }

  @Test
  void writtenNumbersAndStringsParseBackExactly() {
    qt().forAll(lists().of(doubles().any()).ofSizeBetween(0, 50), strings().allPossible().ofLengthBetween(0, 20))
        .checkAssert((values, s) -> {
          List<Double> finite = values.stream().filter(Double::isFinite).toList();
          Object back = JsonParser.parse(Json.write(Map.of("v", finite, "s", s)), 4, 10_000);
          Map<?, ?> m = (Map<?, ?>) back;
          assertEquals(finite, m.get("v"));
          assertEquals(s, m.get("s"));
        });
  }
}
