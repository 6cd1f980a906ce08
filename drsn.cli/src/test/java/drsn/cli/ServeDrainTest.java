package drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.nn.Checkpoint;
import drsn.nn.internal.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drsn serve} as a child process under concurrent batch load, then SIGTERM: every request
 * sent before the signal is answered 200, /healthz reports draining meanwhile, and the process
 * exits 0.
 */
class ServeDrainTest {

  @Test
  void sigtermDrainsInFlightBatchesAndExitsZero(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("model.safetensors");
    Checkpoint.save(PredictServerTest.model(1, drsn.nn.Family.DRSN_CW), model);
    Process p = new ProcessBuilder(ChildJvm.command(256, List.of(), Main.class.getName(),
        List.of("serve", "--model", model.toString(), "--port", "0", "--max-batch", "512", "--grace", "60")))
        .redirectError(dir.resolve("stderr.txt").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null, "the server printed nothing");
      Matcher m = Pattern.compile("http://[^:]+:(\\d+)/").matcher(line);
      assertTrue(m.find(), line);
      int port = Integer.parseInt(m.group(1));

      // Batches of 512 signals: each takes long enough that several are in flight at the signal.
      List<float[]> batch = new ArrayList<>();
      for (int i = 0; i < 512; i++) {
        batch.add(Cli.signal(i, PredictServerTest.LEN));
      }
      String body = Json.write(Map.of("signals", batch), Json.Format.REPORT);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/predict"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();

      AtomicBoolean signalled = new AtomicBoolean();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicInteger beforeSignalOk = new java.util.concurrent.atomic.AtomicInteger();
      CountDownLatch warm = new CountDownLatch(8);
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        clients.add(Thread.ofPlatform().start(() -> {
          while (true) {
            boolean sentBefore = !signalled.get();
            if (!sentBefore) {
              return;
            }
            try {
              HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                beforeSignalOk.incrementAndGet();
              } else {
                failures.add(r.statusCode() + " " + r.body());
              }
            } catch (Exception e) {
              failures.add(e.toString());
            }
            warm.countDown();
          }
        }));
      }
      assertTrue(warm.await(60, TimeUnit.SECONDS), "the load did not get going");
      signalled.set(true);
      p.destroy(); // SIGTERM
      // Meanwhile the server says it is draining (a new connection; the listener stays open). The
      // signal reaches the JVM's handler asynchronously: ask until it has (or for at most 5 s).
      HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
      HttpResponse<String> health = client.send(healthz, HttpResponse.BodyHandlers.ofString());
      for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
           health.statusCode() == 200 && System.nanoTime() < until; ) {
        Thread.sleep(20);
        try {
          health = client.send(healthz, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException closed) {
          break; // the listener closed: the assertion below reports the last answer
        }
      }
      for (Thread c : clients) {
        c.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
      assertEquals(List.of(), List.copyOf(failures), "every request sent before SIGTERM is answered 200");
      assertTrue(beforeSignalOk.get() >= 8, "requests answered: " + beforeSignalOk.get());
      assertEquals(503, health.statusCode(), health.body());
      assertTrue(health.body().contains("draining"), health.body());
      assertEquals(0, p.exitValue(), "exit status after a drain that finished");
    } finally {
      p.destroyForcibly();
    }
  }
}
