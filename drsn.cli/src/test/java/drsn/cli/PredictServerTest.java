package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.internal.Json;
import drsn.cli.internal.PredictServer;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.nn.Predictor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP server on an ephemeral loopback port, driven by java.net.http. */
class PredictServerTest {

  static final int LEN = 64;
  static final long MAX_BODY = 64 * 1024;
  static Model mono;
  static Model stereo;
  static PredictServer monoServer;
  static PredictServer stereoServer;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    mono = model(1, Family.DRSN_CW);
    stereo = model(2, Family.RESNET);
    monoServer = new PredictServer(mono, "127.0.0.1", 0, MAX_BODY, 16);
    stereoServer = new PredictServer(stereo, "127.0.0.1", 0, MAX_BODY, 16);
    monoServer.start();
    stereoServer.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    monoServer.stop(0);
    stereoServer.stop(0);
  }

  static Model model(int channels, Family f) {
    List<Float> zeros = new ArrayList<>();
    List<Float> ones = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      zeros.add(0f);
      ones.add(1f);
    }
    Architecture a = new Architecture(f, 1, channels, 1, LEN, List.of(4, 8), List.of(1, 1), 3, 2, 2, 3,
        List.of("a", "b", "c"), zeros, ones, 4, false);
    return Model.of(a, ParameterSet.initialise(a, 11 + channels));
  }

  static URI uri(PredictServer s, String path) {
    return URI.create("http://127.0.0.1:" + s.address().getPort() + path);
  }

  static HttpResponse<String> post(PredictServer s, String body, String type) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(s, "/v1/predict")).POST(HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<?, ?> json(HttpResponse<String> r) {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return (Map<?, ?>) Json.parse(r.body(), 8, 1_000_000);
  }

  static void assertMatches(Map<?, ?> prediction, float[] expected, Model m) {
    Map<?, ?> probs = (Map<?, ?>) prediction.get("probabilities");
    int best = 0;
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c], Json.asDouble(probs.get(m.architecture().classNames().get(c))), 1e-6);
      if (expected[c] > expected[best]) {
        best = c;
      }
    }
    assertEquals(m.architecture().classNames().get(best), prediction.get("class"));
  }

  static float[] signal(long seed, int n) {
    return Cli.signal(seed, n);
  }

  @Test
  void predictsOneSingleChannelSignal() throws Exception {
    float[] x = signal(1, LEN);
    var r = post(monoServer, Json.write(Map.of("signal", x), Json.Format.REPORT), "application/json");
    assertEquals(200, r.statusCode(), r.body());
    assertMatches(json(r), mono.predictor().predict(x), mono);
    // Nested form with one channel is accepted too, and charset parameters are fine.
    var nested = post(monoServer, Json.write(Map.of("signal", List.of(x)), Json.Format.REPORT), "application/json; charset=utf-8");
    assertEquals(200, nested.statusCode(), nested.body());
  }

  @Test
  void predictsMultiChannelSignalsAndBatches() throws Exception {
    float[] c0 = signal(2, LEN);
    float[] c1 = signal(3, LEN);
    float[] flat = new float[2 * LEN];
    System.arraycopy(c0, 0, flat, 0, LEN);
    System.arraycopy(c1, 0, flat, LEN, LEN);
    var r = post(stereoServer, Json.write(Map.of("signal", List.of(c0, c1)), Json.Format.REPORT), "application/json");
    assertEquals(200, r.statusCode(), r.body());
    assertMatches(json(r), stereo.predictor().predict(flat), stereo);

    float[] a = signal(4, LEN);
    float[] b = signal(5, LEN);
    var batch = post(monoServer, Json.write(Map.of("signals", List.of(a, b, List.of(a))), Json.Format.REPORT), "application/json");
    assertEquals(200, batch.statusCode(), batch.body());
    List<?> preds = (List<?>) json(batch).get("predictions");
    assertEquals(3, preds.size());
    Predictor p = mono.predictor();
    assertMatches((Map<?, ?>) preds.get(0), p.predict(a), mono);
    assertMatches((Map<?, ?>) preds.get(1), p.predict(b), mono);
    assertMatches((Map<?, ?>) preds.get(2), p.predict(a), mono);
  }

  @Test
  void answersALongSignalWithItsTimeline() throws Exception {
    int n = 5 * LEN + 10;
    float[] x = signal(9, n);
    var r = post(monoServer, Json.write(Map.of("signal", x, "hop", 32, "sample_rate", 1000), Json.Format.REPORT),
        "application/json");
    assertEquals(200, r.statusCode(), r.body());
    Map<?, ?> t = json(r);
    List<?> windows = (List<?>) t.get("windows");
    int whole = (n - LEN) / 32 + 1;
    assertEquals(whole + 1, windows.size(), "every window, and one ending at the last sample: nothing cropped");
    Predictor p = mono.predictor();
    for (int w = 0; w < windows.size(); w++) {
      Map<?, ?> win = (Map<?, ?>) windows.get(w);
      int start = w < whole ? 32 * w : n - LEN;
      assertEquals(start, Json.asDouble(win.get("start")));
      assertEquals(start / 1000.0, Json.asDouble(win.get("seconds")), 1e-9);
      float[] pr = p.predict(java.util.Arrays.copyOfRange(x, start, start + LEN));
      int best = 0;
      for (int c = 1; c < pr.length; c++) {
        best = pr[c] > pr[best] ? c : best;
      }
      assertEquals(mono.architecture().classNames().get(best), win.get("class"));
    }
    assertTrue(t.containsKey("share") && t.containsKey("changes"), r.body());
    assertError(post(monoServer, Json.write(Map.of("signal", x, "hop", 0), Json.Format.REPORT), "application/json"),
        400, "positive integer");
    float[] longer = signal(10, 5000);
    assertError(post(monoServer, Json.write(Map.of("signal", longer, "hop", 1), Json.Format.REPORT),
        "application/json"), 400, "more than the limit");
  }

  static void assertError(HttpResponse<String> r, int status, String fragment) {
    assertEquals(status, r.statusCode(), r.body());
    String error = (String) json(r).get("error");
    assertTrue(error != null && error.contains(fragment), r.body());
  }

  @Test
  void rejectsMalformedRequestsWithJsonErrors() throws Exception {
    String ok = Json.write(signal(6, LEN), Json.Format.REPORT);
    assertError(post(monoServer, "{\"signal\": [1, 2,", "application/json"), 400, "malformed JSON");
    assertError(post(monoServer, "", "application/json"), 400, "empty");
    assertError(post(monoServer, "[1,2,3]", "application/json"), 400, "JSON object");
    assertError(post(monoServer, "{\"signal\": [1, 2, 3]}", "application/json"), 400, "expects " + LEN);
    assertError(post(monoServer, "{\"signal\": " + ok + ", \"extra\": 1}", "application/json"), 400, "unknown field");
    assertError(post(monoServer, "{\"signal\": " + ok + ", \"signals\": [" + ok + "]}", "application/json"), 400,
        "exactly one");
    assertError(post(monoServer, "{\"signals\": []}", "application/json"), 400, "empty");
    assertError(post(monoServer, "{\"signals\": " + "[" + (ok + ",").repeat(16) + ok + "]}", "application/json"), 400,
        "limit");
    assertError(post(stereoServer, "{\"signal\": " + ok + "}", "application/json"), 400, "channels");
    assertError(post(stereoServer, "{\"signal\": [" + ok + "]}", "application/json"), 400, "channels");
    assertError(post(stereoServer, "{\"signal\": [" + ok + ", [1, 2]]}", "application/json"), 400, "expects " + LEN);
  }

  @Test
  void rejectsNanLikeValues() throws Exception {
    String[] bad = {"NaN", "Infinity", "-Infinity", "null", "\"1.0\"", "true", "{}", "1e999", "[[1]]"};
    for (String v : bad) {
      String body = "{\"signal\": [" + "0.5, ".repeat(LEN - 1) + v + "]}";
      var r = post(monoServer, body, "application/json");
      assertEquals(400, r.statusCode(), v + ": " + r.body());
      assertTrue(json(r).get("error") instanceof String);
    }
    var tooBigForFloat = post(monoServer, "{\"signal\": [" + "0.5, ".repeat(LEN - 1) + "1e300]}", "application/json");
    assertError(tooBigForFloat, 400, "float range");
  }

  @Test
  void enforcesSizeTypeMethodAndPath() throws Exception {
    String huge = "{\"signal\": [" + "1.0, ".repeat((int) (MAX_BODY / 5)) + "1.0]}";
    assertError(post(monoServer, huge, "application/json"), 413, "limit");
    assertError(post(monoServer, "{}", "text/plain"), 415, "application/json");
    assertError(post(monoServer, "{}", null), 415, "Content-Type");
    var get = client.send(HttpRequest.newBuilder(uri(monoServer, "/v1/predict")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(get, 405, "POST");
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    var del = client.send(HttpRequest.newBuilder(uri(monoServer, "/healthz")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, del.statusCode());
    var missing = client.send(HttpRequest.newBuilder(uri(monoServer, "/v2/nothing")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(missing, 404, "no such endpoint");
    // The server is still alive and well after all of that.
    var health = client.send(HttpRequest.newBuilder(uri(monoServer, "/healthz")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals("ok", json(health).get("status"));
  }

  @Test
  void describesTheModel() throws Exception {
    var r = client.send(HttpRequest.newBuilder(uri(stereoServer, "/v1/model")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    Map<?, ?> m = json(r);
    assertEquals("resnet", m.get("family"));
    assertEquals(List.of("a", "b", "c"), m.get("classes"));
    assertEquals(2L, m.get("input_channels"));
    assertEquals((long) LEN, m.get("input_length"));
    assertEquals((long) stereo.architecture().parameterCount(), m.get("parameters"));
  }

  @Test
  void thirtyTwoConcurrentClientsGetTheirOwnAnswers() throws Exception {
    int clients = 32;
    Predictor p = mono.predictor();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        final int id = i;
        Callable<Boolean> task = () -> {
          for (int rep = 0; rep < 3; rep++) {
            float[] x = signal(100 + id * 7L + rep, LEN);
            var r = post(monoServer, Json.write(Map.of("signal", x), Json.Format.REPORT), "application/json");
            assertEquals(200, r.statusCode(), r.body());
            assertMatches(json(r), p.predict(x), mono);
          }
          return true;
        };
        results.add(pool.submit(task));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
