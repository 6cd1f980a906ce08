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

  @Override
  public Integer call() throws InterruptedException {
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
      err().println("drsn: stopping the server...");
      err().flush();
      server.stop(1);
      stopped.countDown();
    }, "drsn-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out().printf("drsn: serving %s (%s) on http://%s:%d/ (POST /v1/predict, GET /v1/model, GET /healthz)%n",
        model, m.architecture().family().id(), a.getHostString(), a.getPort());
    out().flush();
    stopped.await();
    return 0;
  }
}
