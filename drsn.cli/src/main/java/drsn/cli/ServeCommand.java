package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.ModelFiles;
import drsn.cli.internal.PredictServer;
import drsn.nn.Model;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves a model over HTTP (JSON): POST /v1/predict, GET /v1/model, GET /healthz.",
        "Body: {\"signal\": [...]} one single-channel signal, {\"signal\": [[...],[...]]} one per channel,",
        "{\"signals\": [...]} a batch. Stops gracefully on SIGTERM / Ctrl-C."})
final class ServeCommand extends BaseCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, paramLabel = "FILE", defaultValue = "drsn-out/model.safetensors",
      description = "Model file or training output folder (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--max-body", defaultValue = "8388608", paramLabel = "BYTES",
      description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(names = "--max-batch", defaultValue = "256", description = "Most signals per request (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--grace", defaultValue = "30", paramLabel = "SECONDS",
      description = {"On SIGTERM or Ctrl-C: how long predictions in progress may take to finish while new ones "
          + "get 503 and /healthz reports draining (default: ${DEFAULT-VALUE}; a batch of the largest size takes "
          + "well under a second)."})
  double grace;

  @Override
  public Integer call() throws InterruptedException {
    if (!(grace >= 0 && grace <= 3600)) {
      throw CliException.usage("--grace must be in [0, 3600] seconds, got " + grace);
    }
    if (port < 0 || port > 65535) {
      throw new CliException("--port must be in [0, 65535], got " + port);
    }
    if (maxBody < 1024 || maxBatch < 1) {
      throw new CliException("--max-body must be >= 1024 and --max-batch >= 1");
    }
    // A client that sends its request or reads its answer too slowly is cut off, so that slow
    // connections cannot pile up (read once, when the JDK's server is first used).
    System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "60"));
    System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "60"));
    Model m = ModelFiles.load(model);
    PredictServer server;
    try {
      server = new PredictServer(m, host, port, maxBody, maxBatch);
    } catch (IOException e) {
      throw new CliException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.start();
    InetSocketAddress a = server.address();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      err().println("drsn: draining: finishing the predictions in progress (up to " + grace + " s)...");
      err().flush();
      boolean finished;
      try {
        finished = server.drain(Math.round(grace * 1000));
      } catch (InterruptedException e) {
        finished = false;
      }
      err().println(finished ? "drsn: stopped" : "drsn: stopped after the grace period with predictions unfinished");
      out().flush();
      err().flush();
      stopped.countDown();
      // A signal starts the JVM's shutdown with status 128 + signal (143 for SIGTERM), and a hook
      // cannot change it except by halting: a drain that kept its word is a clean exit, status 0.
      Runtime.getRuntime().halt(finished ? 0 : 1);
    }, "drsn-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out().printf("drsn: serving %s (%s) on http://%s:%d/ (POST /v1/predict, GET /v1/model, GET /healthz)%n",
        model, m.architecture().family().id(), a.getHostString(), a.getPort());
    out().flush();
    stopped.await();
    return 0;
  }
}
