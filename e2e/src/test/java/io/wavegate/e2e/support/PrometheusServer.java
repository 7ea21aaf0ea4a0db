package io.wavegate.e2e.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Prometheus server on loopback, scraping the given targets every second, optionally behind
 * basic auth (its web config). The binary comes from scripts/prometheus.sh (system property
 * wavegate.prometheus, which scripts/test.sh sets, or the script is run here).
 */
public final class PrometheusServer implements AutoCloseable {

  /** A user of the basic-auth server and the password whose bcrypt hash its web config holds. */
  public static final String USER = "wavegate";
  public static final String PASSWORD = "wavegate-test";
  private static final String PASSWORD_BCRYPT = "$2a$04$szCrRL2/det65etHZhx1j.JmLfaNrc4yLYMY2wsU9elGjfJWKHfxe";

  private final String job;
  private final List<String> targets;
  private final boolean basicAuth;
  private final Path rules;
  private final Path dir;
  private final int port;
  private Process process;

  public PrometheusServer(List<String> targets, boolean basicAuth) throws IOException {
    this("fleet", targets, basicAuth, null);
  }

  /** Scrapes the targets as job {@code job}, evaluating the rules file (when not null) every second. */
  public PrometheusServer(String job, List<String> targets, boolean basicAuth, Path rules) throws IOException {
    this.job = job;
    this.targets = targets;
    this.basicAuth = basicAuth;
    this.rules = rules;
    this.dir = Files.createTempDirectory("wavegate-prometheus");
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    }
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  public PrometheusServer start() throws Exception {
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: [%s]
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: [%s]
        """.formatted(rules == null ? "" : "'" + rules + "'", job,
            targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
    Files.writeString(dir.resolve("web.yml"), basicAuth ? "basic_auth_users:\n  " + USER + ": " + PASSWORD_BCRYPT + "\n"
        : "{}\n");
    Path binary = binaries().resolve("prometheus");
    process = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
        "--web.config.file=" + dir.resolve("web.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpRequest.Builder ready = HttpRequest.newBuilder(URI.create(address() + "/-/ready"));
        if (basicAuth) {
          ready.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
              .getBytes(StandardCharsets.UTF_8)));
        }
        if (http.send(ready.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready within 60 s: " + Files.readString(dir.resolve("prometheus.log")));
  }

  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor();
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /** The directory holding prometheus and promtool: -Dwavegate.prometheus, else what scripts/prometheus.sh provides. */
  public static Path binaries() throws IOException, InterruptedException {
    String configured = System.getProperty("wavegate.prometheus", System.getenv("WAVEGATE_PROMETHEUS_DIR"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Process script = new ProcessBuilder("bash", ApiServer.repoRoot().resolve("scripts/prometheus.sh").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (script.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException("scripts/prometheus.sh could not provide Prometheus");
    }
    String[] lines = out.split("\n");
    return Path.of(lines[lines.length - 1].strip());
  }
}
