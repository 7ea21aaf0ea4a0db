package io.wavegate.bench;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.sim.Chart;
import io.wavegate.sim.JarProcess;
import io.wavegate.sim.ServiceAccountTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator ({@code java -jar operator/target/wavegate.jar operator}) in a process of its
 * own, configured as the chart configures its container: the Deployment's environment (its
 * JAVA_TOOL_OPTIONS included), a token of the operator's service account, and the container's memory
 * limit as the JVM's idea of the machine's memory ({@code -XX:MaxRAM}). What it costs is read from
 * outside: its /metrics, /proc and the JDK's jcmd.
 */
final class OperatorProcess implements AutoCloseable {

  private static final Duration READY = Duration.ofMinutes(2);

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private OperatorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts it and waits until /readyz answers 200. Its memory is the installed Deployment's limit, or
   * {@code memoryLimit} (a Kubernetes quantity, as in the chart's operator.resources.limits.memory) when set.
   */
  static OperatorProcess start(KubernetesClient admin, Map<String, String> overrides, String memoryLimit)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(Chart.operatorEnvironment(admin));
    env.putAll(overrides);
    env.put("WAVEGATE_METRICS_PORT", Integer.toString(port));
    Quantity memory = memoryLimit == null || memoryLimit.isBlank() ? Chart.operatorContainer(admin).getResources()
        .getLimits().get("memory") : new Quantity(memoryLimit);
    // wavegate.bench.operatorJavaOptions: more, for example a flight recording of the operator alone
    env.put("JAVA_TOOL_OPTIONS", env.getOrDefault("JAVA_TOOL_OPTIONS", "") + " -XX:MaxRAM="
        + Quantity.getAmountInBytes(memory).longValueExact() + " "
        + System.getProperty("wavegate.bench.operatorJavaOptions", ""));
    Path kubeconfig = ServiceAccountTokens.kubeconfig(admin, Chart.operatorToken(admin));
    OperatorProcess operator = new OperatorProcess(
        JarProcess.start(kubeconfig, List.of(), JarProcess.Jar.OPERATOR, List.of("operator"), env), port);
    operator.awaitReady();
    return operator;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (get("/readyz").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the operator was not ready in " + READY + ":\n" + log());
  }

  long pid() {
    return process.pid();
  }

  /** Its /metrics now. */
  Scrape scrape() {
    try {
      return Scrape.parse(get("/metrics").body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Its heap in use right after a full collection (jcmd GC.run, then its own jvm_memory_used_bytes). */
  long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    return (long) scrape().sum("jvm_memory_used_bytes", Scrape.label("area", "heap"));
  }

  /** What the JDK's {@code jcmd <pid> <command>} prints for this process. */
  String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), command).redirectErrorStream(true).start();
    String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + said);
    }
    return said;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  String log() {
    try {
      return JarProcess.log(process);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, as the kubelet stops a container: the operator stops its controllers, then exits. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
