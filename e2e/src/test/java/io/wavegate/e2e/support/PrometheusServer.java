package io.wavegate.e2e.support;

import io.wavegate.sim.BasicAuthUser;
import io.wavegate.sim.LocalServer;
import io.wavegate.sim.ProvisionedTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A real Prometheus server on loopback, scraping the given targets every second, optionally behind
 * basic auth (its web config). The binary comes from scripts/prometheus.sh (system property
 * wavegate.prometheus, which scripts/test.sh sets, or the script is run here).
 */
public final class PrometheusServer extends LocalServer {

  /** A user of the basic-auth server and its password (the one {@link BasicAuthUser}). */
  public static final String USER = BasicAuthUser.USER;
  public static final String PASSWORD = BasicAuthUser.PASSWORD;

  private final String job;
  private final List<String> targets;
  private final boolean basicAuth;
  private final Path rules;
  private final Path dir;
  private final int port;

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
    Files.writeString(dir.resolve("web.yml"), basicAuth ? "basic_auth_users:\n  " + USER + ": " + BasicAuthUser.PASSWORD_BCRYPT + "\n"
        : "{}\n");
    Path binary = binaries().resolve("prometheus");
    process = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
        "--web.config.file=" + dir.resolve("web.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    HttpRequest.Builder ready = HttpRequest.newBuilder(URI.create(address() + "/-/ready"));
    if (basicAuth) {
      ready.header("Authorization", BasicAuthUser.header());
    }
    ProvisionedTool.awaitReady("prometheus", process, dir.resolve("prometheus.log"), ready.build(), Set.of(200), 60);
    return this;
  }

  /** The directory holding prometheus and promtool: -Dwavegate.prometheus, else what scripts/prometheus.sh provides. */
  public static Path binaries() throws IOException, InterruptedException {
    return ProvisionedTool.path("wavegate.prometheus", "WAVEGATE_PROMETHEUS_DIR", "scripts/prometheus.sh");
  }
}
