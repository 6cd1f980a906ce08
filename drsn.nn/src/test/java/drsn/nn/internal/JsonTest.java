package drsn.nn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import drsn.nn.internal.Json.Format;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared JSON parser and writer, as used by checkpoints, training state and the CLI. */
class JsonTest {

  // ---- parsing ----

  @Test
  void parsesEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, 0.125, -0, 12345678901234567890], \"b\": \"x\\u0041\\n\\/\","
        + " \"c\": true, \"e\": false, \"d\": null} ", 8, 100);
    Map<?, ?> m = assertInstanceOf(Map.class, v);
    assertEquals(List.of("a", "b", "c", "e", "d"), new ArrayList<>(m.keySet()), "insertion order");
    assertEquals(List.of(1L, -2500.0, 0.125, 0L, 12345678901234567890.0), m.get("a"),
        "integers as Long, beyond long and fractions as Double");
    assertEquals("xA\n/", m.get("b"));
    assertEquals(Boolean.TRUE, m.get("c"));
    assertEquals(Boolean.FALSE, m.get("e"));
    assertSame(Json.NULL, m.get("d"));
    assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808", 1));
    assertEquals("\uD83D\uDE00", Json.parse("\"\\uD83D\\uDE00\"", 1), "escaped surrogate pair");
    assertEquals("\uDC00x\uD800", Json.parse("\"\\uDC00x\\ud800\"", 1), "escaped lone surrogates");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "[1,]", "[1 2]", "{\"a\":1,}", "{'a':1}", "[NaN]", "[Infinity]", "[-]",
      "01", "[01]", "{\"a\":01}", "[1.]", "[.5]", "[1e]", "\"abc", "\"a\u0001\"", "[1] x", "[1] 2", "{\"a\" 1}",
      "{1:2}", "tru", "nul", "\"\\x\"", "[\"\\x\"]", "[\"\\u12\"]", "{\"a\":1,\"a\":2}", "[1e400]", "[-1e400]",
      "//c\n[1]", "[+1]", "{\"a\":1}{", "[[[[[[1]]]]]]"})
  void rejectsMalformedJsonNamingThePosition(String text) {
    Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text, 4, 1000));
    assertTrue(e.getMessage().startsWith("malformed JSON at character "), e.getMessage());
    assertInstanceOf(IllegalArgumentException.class, e, "bad input is an IllegalArgumentException");
  }

  @Test
  void namesTheRightPositionAndTheProblem() {
    assertEquals("malformed JSON at character 3: expected ',' or ']' in an array",
        assertThrows(Json.JsonException.class, () -> Json.parse("[1 2]", 4)).getMessage());
    assertTrue(assertThrows(Json.JsonException.class, () -> Json.parse("  ", 4)).getMessage().contains("empty"));
    assertTrue(assertThrows(Json.JsonException.class, () -> Json.parse(null, 4)).getMessage().contains("character"));
    String dup = assertThrows(Json.JsonException.class, () -> Json.parse("{\"k\":1,\"k\":2}", 4)).getMessage();
    assertTrue(dup.contains("duplicate key \"k\""), dup);
  }

  @Test
  void limitsDepthWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    var e = assertThrows(Json.JsonException.class, () -> Json.parse(deep, 4, 1_000_000));
    assertTrue(e.getMessage().contains("deeper than 4"), e.getMessage());
    assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":{\"b\":{}}}", 2));
    assertInstanceOf(List.class, Json.parse("[[[[1]]]]", 4, 100));
    assertInstanceOf(Map.class, Json.parse("{\"a\":{\"b\":{}}}", 3));
  }

  @Test
  void limitsTheNumberOfValues() {
    var e = assertThrows(Json.JsonException.class, () -> Json.parse("[1,2,3,4,5]", 4, 5));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
    assertInstanceOf(List.class, Json.parse("[1,2,3,4]", 4, 5));
  }

  @Test
  void readsNumbersWhateverTheirType() {
    assertEquals(3.0, Json.asDouble(Json.parse("3", 1)));
    assertEquals(0.5, Json.asDouble(Json.parse("5e-1", 1)));
    assertEquals(7, Json.asInt(Json.parse("7", 1)));
    assertEquals(-2147483648, Json.asInt(Json.parse("-2147483648", 1)));
    for (String notAnInt : new String[] {"7.5", "2147483648", "\"7\"", "null"}) {
      assertThrows(IllegalArgumentException.class, () -> Json.asInt(Json.parse(notAnInt, 1)), notAnInt);
    }
    for (String notANumber : new String[] {"\"7\"", "null", "true", "[1]"}) {
      assertThrows(IllegalArgumentException.class, () -> Json.asDouble(Json.parse(notANumber, 1)), notANumber);
    }
  }

  // ---- writing and reading back ----

  @ParameterizedTest
  @EnumSource(Format.class)
  void finiteDoublesRoundTripExactly(Format format) {
    qt().forAll(doubles().any()).assuming(Double::isFinite).checkAssert(d -> {
      Object back = Json.parse(Json.write(List.of(d), format), 2);
      assertEquals(d, Json.asDouble(((List<?>) back).getFirst()), 0.0);
    });
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void finiteFloatsRoundTripExactly(Format format) {
    qt().forAll(floats().any()).assuming(Float::isFinite).checkAssert(f -> {
      Object back = Json.parse(Json.write(new float[] {f}, format), 2);
      assertEquals(f, (float) Json.asDouble(((List<?>) back).getFirst()), 0.0f);
    });
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void stringsRoundTrip(Format format) {
    qt().forAll(strings().allPossible().ofLengthBetween(0, 30)).checkAssert(s -> {
      String w = Json.write(s, format);
      assertTrue(w.indexOf('<') < 0, "'<' is escaped so the text can sit in an HTML script");
      assertTrue(java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(w), "lone surrogates are escaped");
      assertEquals(s, Json.parse(w, 1));
    });
  }

  @Test
  void listsOfNumbersAndStringsRoundTripThroughTheReportFormat() {
    qt().forAll(lists().of(doubles().any()).ofSizeBetween(0, 50), strings().allPossible().ofLengthBetween(0, 20))
        .checkAssert((values, s) -> {
          List<Double> finite = values.stream().filter(Double::isFinite).toList();
          Map<?, ?> m = (Map<?, ?>) Json.parse(Json.write(Map.of("v", finite, "s", s), Format.REPORT), 4, 10_000);
          assertEquals(finite, ((List<?>) m.get("v")).stream().map(Json::asDouble).toList());
          assertEquals(s, m.get("s"));
        });
  }

  @Test
  void nestedValuesRoundTripAndNullsStayNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", List.of(1L, 2.5, "x", true));
    m.put("none", null);
    m.put("json_null", Json.NULL);
    m.put("ints", new int[] {3, -4});
    m.put("longs", new long[] {Long.MAX_VALUE});
    m.put("grid", new int[][] {{1}, {2, 3}});
    for (Format f : Format.values()) {
      Map<?, ?> r = (Map<?, ?>) Json.parse(Json.write(m, f), 4);
      assertEquals(List.of(1L, 2.5, "x", true), r.get("a"), f.name());
      assertSame(Json.NULL, r.get("none"));
      assertSame(Json.NULL, r.get("json_null"));
      assertEquals(List.of(3L, -4L), r.get("ints"));
      assertEquals(List.of(Long.MAX_VALUE), r.get("longs"));
      assertEquals(List.of(List.of(1L), List.of(2L, 3L)), r.get("grid"));
    }
  }

  @Test
  void nonFiniteNumbersAreRejectedOrWrittenAsNullAsTheFormatSays() {
    for (Object nonFinite : List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        new double[] {Double.NaN}, new float[] {Float.POSITIVE_INFINITY})) {
      assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(nonFinite), Format.STRICT));
      for (Format f : List.of(Format.NON_FINITE_AS_NULL, Format.REPORT)) {
        Object back = ((List<?>) Json.parse(Json.write(List.of(nonFinite), f), 3)).getFirst();
        Object value = back instanceof List<?> l ? l.getFirst() : back;
        assertSame(Json.NULL, value, f + " " + nonFinite);
      }
    }
  }

  @Test
  void onlyTheReportFormatSpellsIntegralValuesAsIntegers() {
    assertEquals("[3,-2,0.5,4]", Json.write(List.of(3.0, -2.0f, 0.5, 4L), Format.REPORT));
    assertEquals("[3.0,-2.0,0.5,4]", Json.write(List.of(3.0, -2.0f, 0.5, 4L), Format.STRICT));
    assertEquals("[3.0,-2.0,0.5,4]", Json.write(List.of(3.0, -2.0f, 0.5, 4L), Format.NON_FINITE_AS_NULL));
    assertEquals(1e20, Json.asDouble(Json.parse(Json.write(1e20, Format.REPORT), 1)), 0.0, "beyond 1e15 stays a double");
  }

  @Test
  void objectsOfUnknownTypeAreRejectedExceptInReports() {
    Object unknown = Thread.State.NEW;
    assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(unknown), Format.STRICT));
    assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(unknown), Format.NON_FINITE_AS_NULL));
    assertEquals(List.of("NEW"), Json.parse(Json.write(List.of(unknown), Format.REPORT), 2));
    assertEquals(List.of(12345678901234567890.0),
        Json.parse(Json.write(List.of(new java.math.BigInteger("12345678901234567890")), Format.REPORT), 2));
  }
}
