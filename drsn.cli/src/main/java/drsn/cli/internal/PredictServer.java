package drsn.cli.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import drsn.nn.Architecture;
import drsn.nn.InputUnits;
import drsn.nn.Model;
import drsn.nn.Predictor;
import drsn.nn.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP JSON inference on the JDK's own server ({@code jdk.httpserver}):
 * <pre>
 *   POST /v1/predict  {"signal": [x…]}            one single-channel signal
 *                     {"signal": [[x…], [x…]]}    one signal, one array per channel
 *                     {"signals": [signal, …]}    a batch (each in either form)
 *                     {"signal": long, "hop": h, "sample_rate": r, "scale": s}
 *                                                 a signal longer than the model's window: its
 *                                                 timeline (every window h samples apart, share
 *                                                 per class, changes of state); optional rate and
 *                                                 scale are checked against the model's (decimated
 *                                                 or refused)
 *   GET  /v1/model    the architecture, classes and parameter count
 *   GET  /healthz     {"status": "ok"}, or 503 {"status": "draining"} during a graceful stop
 * </pre>
 * Connections are handled on virtual threads; inference runs on a fixed pool of platform
 * threads (one per processor), each with its own network from the one shared {@link Predictor},
 * so memory stays bounded however many clients wait. Bad requests get 400 (malformed JSON,
 * wrong shapes, non-numbers), 404, 405, 413 (body too large, checked before reading it) or 415
 * (not application/json), always with a JSON body {@code {"error": "…"}}.
 *
 * <p>{@link #drain} stops gracefully: {@code /healthz} says "draining" at once so that a load
 * balancer stops sending; after a second new predictions are refused with 503; the predictions in
 * progress finish (up to a grace period), and only then is the listener closed.
 */
public final class PredictServer implements AutoCloseable {

  /** Nesting needed by {"signals": [[[x…]]]} is 4; one more level is never legitimate. */
  static final int MAX_DEPTH = 4;

  private final Model model;
  private final Architecture arch;
  private final Predictor predictor;
  private final HttpServer server;
  private final ExecutorService connections;
  private final ExecutorService inference;
  private final long maxBody;
  private final int maxBatch;
  private final AtomicLong requests = new AtomicLong();
  /** Predictions between arrival and the end of their response; drain waits for zero. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();
  private volatile boolean draining;
  private volatile boolean refusing;
  /** How long after a drain begins predictions are still accepted (see {@link #drain}). */
  static final long LINGER_MILLIS = 1000;
  private final String modelJson;

  public PredictServer(Model model, String host, int port, long maxBodyBytes, int maxBatch) throws IOException {
    this.model = model;
    this.arch = model.architecture();
    this.predictor = model.predictor();
    this.maxBody = maxBodyBytes;
    this.maxBatch = maxBatch;
    this.connections = Executors.newVirtualThreadPerTaskExecutor();
    int cores = Runtime.getRuntime().availableProcessors();
    this.inference = Executors.newFixedThreadPool(cores, r -> {
      Thread t = new Thread(r, "drsn-inference");
      t.setDaemon(true);
      return t;
    });
    Map<String, Object> desc = ModelSummary.describe(arch);
    desc.put("input_channels", arch.inputChannels());
    desc.put("input_length", arch.inputWidth());
    desc.put("max_batch", maxBatch);
    desc.put("max_body_bytes", maxBody);
    this.modelJson = Json.write(desc, Json.Format.REPORT);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.setExecutor(connections);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public long requestCount() {
    return requests.get();
  }

  /**
   * Stops gracefully: from now on {@code /healthz} reports draining, and after
   * {@link #LINGER_MILLIS} new predictions get 503; predictions in progress finish, within
   * {@code graceMillis} of the call; then the server stops.
   *
   * @return whether every prediction in progress finished within the grace period
   */
  public boolean drain(long graceMillis) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    // A request the client sent just before the signal may not have reached its handler yet (the
    // dispatcher is busy when inference has the cores): it is in flight all the same, so new
    // predictions are still served for a moment before they are refused.
    Thread.sleep(Math.min(LINGER_MILLIS, graceMillis));
    refusing = true;
    boolean finished;
    synchronized (idle) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        idle.wait(Math.max(1, left / 1_000_000));
      }
      finished = inFlight.get() == 0;
    }
    stop(0);
    return finished;
  }

  /** Whether {@link #drain} has begun. */
  public boolean draining() {
    return draining;
  }

  /** Stops accepting, lets exchanges in progress finish for up to delaySeconds, then frees the threads. */
  public void stop(int delaySeconds) {
    server.stop(delaySeconds);
    connections.shutdown();
    inference.shutdown();
  }

  @Override
  public void close() {
    stop(0);
  }

  private void handle(HttpExchange ex) {
    requests.incrementAndGet();
    try {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      switch (path) {
        case "/healthz" -> {
          if (allow(ex, method, "GET")) {
            send(ex, draining ? 503 : 200, draining ? "{\"status\":\"draining\"}" : "{\"status\":\"ok\"}");
          }
        }
        case "/v1/model" -> {
          if (allow(ex, method, "GET")) {
            send(ex, 200, modelJson);
          }
        }
        case "/v1/predict" -> {
          if (allow(ex, method, "POST")) {
            inFlight.incrementAndGet();
            try {
              // Counted before the check, so drain either waits for this request or it is refused.
              if (refusing) {
                throw new HttpError(503, "server is shutting down; retry on another instance");
              }
              predict(ex);
            } finally {
              if (inFlight.decrementAndGet() == 0) {
                synchronized (idle) {
                  idle.notifyAll();
                }
              }
            }
          }
        }
        default -> error(ex, 404, "no such endpoint " + path + "; try POST /v1/predict, GET /v1/model or GET /healthz");
      }
    } catch (HttpError e) {
      quietly(() -> error(ex, e.status, e.getMessage()));
    } catch (IOException e) {
      // The client went away; nothing to answer.
    } catch (RuntimeException e) {
      quietly(() -> error(ex, 500, "internal error: " + e));
    } finally {
      ex.close();
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void quietly(IoAction a) {
    try {
      a.run();
    } catch (IOException | RuntimeException ignored) {
      // the response could not be sent; the connection is closed by the exchange
    }
  }

  private boolean allow(HttpExchange ex, String method, String allowed) throws IOException {
    if (method.equals(allowed)) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", allowed);
    error(ex, 405, "method " + method + " not allowed here; use " + allowed);
    return false;
  }

  private void predict(HttpExchange ex) throws IOException {
    Headers h = ex.getRequestHeaders();
    String type = h.getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).strip().matches("application/json\\s*(;.*)?")) {
      throw new HttpError(415, "Content-Type must be application/json, got " + (type == null ? "none" : "'" + type + "'"));
    }
    String len = h.getFirst("Content-Length");
    if (len != null) {
      long n;
      try {
        n = Long.parseLong(len.strip());
      } catch (NumberFormatException e) {
        throw new HttpError(400, "bad Content-Length '" + len + "'");
      }
      if (n > maxBody) {
        throw new HttpError(413, "request body of " + n + " bytes exceeds the limit of " + maxBody + " bytes");
      }
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
    }
    if (body.length > maxBody) {
      throw new HttpError(413, "request body exceeds the limit of " + maxBody + " bytes");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "request body is not valid UTF-8");
    }
    Object doc;
    try {
      doc = Json.parse(text, MAX_DEPTH, body.length + 1L);
    } catch (Json.JsonException e) {
      throw new HttpError(400, e.getMessage());
    }
    if (isLong(doc)) {
      send(ex, 200, Json.write(timeline((Map<?, ?>) doc), Json.Format.REPORT));
      return;
    }
    Request r = parseRequest(doc);
    float[] probs = new float[r.count * arch.classes()];
    Future<?> f = inference.submit(() -> predictor.predictBatch(r.flat, r.count, probs));
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "server shutting down");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw new HttpError(400, iae.getMessage());
      }
      throw new RuntimeException(e.getCause());
    } catch (RejectedExecutionException e) {
      throw new HttpError(503, "server shutting down");
    }
    Map<String, Object> resp = new LinkedHashMap<>();
    resp.put("model", arch.family().id());
    List<Object> preds = new ArrayList<>();
    for (int i = 0; i < r.count; i++) {
      preds.add(prediction(probs, i));
    }
    if (r.batch) {
      resp.put("predictions", preds);
    } else {
      @SuppressWarnings("unchecked")
      Map<String, Object> one = (Map<String, Object>) preds.getFirst();
      resp.putAll(one);
    }
    send(ex, 200, Json.write(resp, Json.Format.REPORT));
  }

  /** Most windows one timeline request may ask for (a small hop on a long signal is a lot of work). */
  static final int MAX_TIMELINE_WINDOWS = 4096;

  /** True for {"signal": …} longer than the model's window (flat or per channel). */
  private boolean isLong(Object doc) {
    if (!(doc instanceof Map<?, ?> m) || !(m.get("signal") instanceof List<?> outer) || outer.isEmpty()) {
      return false;
    }
    List<?> first = outer.getFirst() instanceof List<?> inner ? inner : outer;
    return first.size() > arch.inputWidth() || m.containsKey("hop");
  }

  private Map<String, Object> timeline(Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!List.of("signal", "hop", "sample_rate", "scale").contains(k)) {
        throw new HttpError(400, "unknown field \"" + k + "\"; a timeline request has \"signal\" and optionally "
            + "\"hop\", \"sample_rate\" and \"scale\"");
      }
    }
    List<?> outer = (List<?>) m.get("signal");
    int c = arch.inputChannels();
    float[][] channels;
    if (outer.getFirst() instanceof List<?>) {
      if (outer.size() != c) {
        throw new HttpError(400, "signal has " + outer.size() + " channels, the model expects " + c);
      }
      channels = new float[c][];
      for (int ch = 0; ch < c; ch++) {
        if (!(outer.get(ch) instanceof List<?> inner) || inner.size() != ((List<?>) outer.getFirst()).size()) {
          throw new HttpError(400, "signal[" + ch + "] must be an array of as many numbers as signal[0]");
        }
        channels[ch] = new float[inner.size()];
        numbers(inner, channels[ch], 0, inner.size(), "signal[" + ch + "]");
      }
    } else {
      if (c != 1) {
        throw new HttpError(400, "signal is a flat array, but the model expects " + c
            + " channels: give one array per channel");
      }
      channels = new float[][] {new float[outer.size()]};
      numbers(outer, channels[0], 0, outer.size(), "signal");
    }
    int hop = m.containsKey("hop") ? positiveInt(m.get("hop"), "hop") : arch.inputWidth();
    double rate = m.containsKey("sample_rate") ? positiveNumber(m.get("sample_rate"), "sample_rate") : 0;
    String scale = "";
    if (m.containsKey("scale")) {
      if (!(m.get("scale") instanceof String str) || !(str.equals(SignalFiles.RAW) || str.equals(SignalFiles.FULL_SCALE))) {
        throw new HttpError(400, "\"scale\" must be \"raw\" or \"full-scale\"");
      }
      scale = str;
    }
    NamedSignal s = new NamedSignal("signal", channels, new InputUnits(rate, scale));
    try {
      NamedSignal inModelUnits = UnitsCheck.toModelUnits(s, arch.inputUnits(), note -> { });
      if (inModelUnits.length() < arch.inputWidth()) {
        throw new HttpError(400, "signal has " + inModelUnits.length() + " samples, fewer than the model's window of "
            + arch.inputWidth());
      }
      long windows = (inModelUnits.length() - arch.inputWidth()) / hop + 2;
      if (windows > MAX_TIMELINE_WINDOWS) {
        throw new HttpError(400, "hop " + hop + " gives " + windows + " windows, more than the limit of "
            + MAX_TIMELINE_WINDOWS + "; use a larger hop");
      }
      Future<Timeline> f = inference.submit(() -> Timeline.of(predictor, inModelUnits, hop));
      Map<String, Object> resp = new LinkedHashMap<>();
      resp.put("model", arch.family().id());
      resp.putAll(f.get().toMap());
      resp.remove("input");
      return resp;
    } catch (CliException e) {
      throw new HttpError(400, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "server shutting down");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException | e.getCause() instanceof CliException) {
        throw new HttpError(400, e.getCause().getMessage());
      }
      throw new RuntimeException(e.getCause());
    } catch (RejectedExecutionException e) {
      throw new HttpError(503, "server shutting down");
    }
  }

  private static int positiveInt(Object o, String field) {
    if (!(o instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
      throw new HttpError(400, "\"" + field + "\" must be a positive integer, got " + describe(o));
    }
    return l.intValue();
  }

  private static double positiveNumber(Object o, String field) {
    if (!(o instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > 1e9) {
      throw new HttpError(400, "\"" + field + "\" must be a positive number of samples per second, got "
          + describe(o));
    }
    return n.doubleValue();
  }

  private Map<String, Object> prediction(float[] probs, int i) {
    int k = arch.classes();
    int best = 0;
    for (int c = 1; c < k; c++) {
      if (probs[i * k + c] > probs[i * k + best]) {
        best = c;
      }
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("class", arch.classNames().get(best));
    p.put("class_index", best);
    Map<String, Object> pr = new LinkedHashMap<>();
    for (int c = 0; c < k; c++) {
      pr.put(arch.classNames().get(c), (double) probs[i * k + c]);
    }
    p.put("probabilities", pr);
    return p;
  }

  private record Request(float[] flat, int count, boolean batch) {
  }

  /** Validates the request document and lays its signals out as the model's input [n, C, L]. */
  Request parseRequest(Object doc) {
    if (!(doc instanceof Map<?, ?> m)) {
      throw new HttpError(400, "the body must be a JSON object with \"signal\" or \"signals\"");
    }
    for (Object k : m.keySet()) {
      if (!k.equals("signal") && !k.equals("signals")) {
        throw new HttpError(400, "unknown field \"" + k + "\"; expected \"signal\" or \"signals\"");
      }
    }
    if (m.containsKey("signal") == m.containsKey("signals")) {
      throw new HttpError(400, "give exactly one of \"signal\" (one signal) and \"signals\" (a batch)");
    }
    int size = arch.inputSize();
    if (m.containsKey("signal")) {
      float[] flat = new float[size];
      fill(m.get("signal"), flat, 0, "signal");
      return new Request(flat, 1, false);
    }
    if (!(m.get("signals") instanceof List<?> list)) {
      throw new HttpError(400, "\"signals\" must be an array of signals");
    }
    if (list.isEmpty()) {
      throw new HttpError(400, "\"signals\" is empty; give at least one signal");
    }
    if (list.size() > maxBatch) {
      throw new HttpError(400, "\"signals\" holds " + list.size() + " signals, more than the limit of " + maxBatch);
    }
    float[] flat = new float[list.size() * size];
    for (int i = 0; i < list.size(); i++) {
      fill(list.get(i), flat, i * size, "signals[" + i + "]");
    }
    return new Request(flat, list.size(), true);
  }

  private void fill(Object signal, float[] out, int off, String where) {
    int c = arch.inputChannels();
    int len = arch.inputHeight() * arch.inputWidth();
    if (!(signal instanceof List<?> outer)) {
      throw new HttpError(400, where + " must be an array of numbers, or of " + c + " arrays (one per channel)");
    }
    if (!outer.isEmpty() && outer.getFirst() instanceof List<?>) {
      if (outer.size() != c) {
        throw new HttpError(400, where + " has " + outer.size() + " channels, the model expects " + c);
      }
      for (int ch = 0; ch < c; ch++) {
        if (!(outer.get(ch) instanceof List<?> inner)) {
          throw new HttpError(400, where + "[" + ch + "] must be an array of " + len + " numbers");
        }
        numbers(inner, out, off + ch * len, len, where + "[" + ch + "]");
      }
    } else {
      if (c != 1) {
        throw new HttpError(400, where + " is a flat array, but the model expects " + c
            + " channels: give one array per channel");
      }
      numbers(outer, out, off, len, where);
    }
  }

  private static void numbers(List<?> v, float[] out, int off, int len, String where) {
    if (v.size() != len) {
      throw new HttpError(400, where + " has " + v.size() + " samples, the model expects " + len);
    }
    for (int i = 0; i < len; i++) {
      Object o = v.get(i);
      if (!(o instanceof Number n)) {
        throw new HttpError(400, where + "[" + i + "] is " + describe(o) + ", expected a number");
      }
      double d = n.doubleValue();
      if (Math.abs(d) > Float.MAX_VALUE) {
        throw new HttpError(400, where + "[" + i + "] = " + d + " is outside the float range");
      }
      out[off + i] = (float) d;
    }
  }

  private static String describe(Object o) {
    if (o == Json.NULL) {
      return "null";
    }
    if (o instanceof String s) {
      return "the string \"" + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "\"";
    }
    if (o instanceof List<?>) {
      return "an array (too deeply nested)";
    }
    if (o instanceof Map<?, ?>) {
      return "an object";
    }
    return String.valueOf(o);
  }

  private void error(HttpExchange ex, int status, String message) throws IOException {
    send(ex, status, Json.write(Map.of("error", message), Json.Format.REPORT));
  }

  private void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (draining) {
      ex.getResponseHeaders().set("Connection", "close"); // clients reconnect elsewhere
    }
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  /** A request problem with its HTTP status. */
  static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  public Model model() {
    return model;
  }
}
