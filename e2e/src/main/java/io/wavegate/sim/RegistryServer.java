package io.wavegate.sim;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A real OCI Distribution registry (CNCF distribution, Debian's docker-registry) on loopback, its
 * storage in a temporary directory, optionally behind basic auth ({@link BasicAuthUser}). It can be
 * stopped and started again on the same address with the same content, as a registry outage. The
 * binary comes from scripts/registry.sh (system property wavegate.registry, which scripts/test.sh sets).
 */
public final class RegistryServer extends LocalServer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final boolean basicAuth;
  private final boolean logRequests;
  private final Path dir;
  private final int port;

  public RegistryServer(boolean basicAuth) throws IOException {
    this(basicAuth, false);
  }

  /** @param logRequests keep the registry's log of every request, to read {@link #blobPulls} from */
  public RegistryServer(boolean basicAuth, boolean logRequests) throws IOException {
    this.basicAuth = basicAuth;
    this.logRequests = logRequests;
    this.dir = Files.createTempDirectory("wavegate-registry");
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    }
  }

  /** host:port, as an OCI reference names the registry. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The credentials a client would use, as a .dockerconfigjson document; empty without auth. */
  public Optional<String> dockerConfigJson(String password) {
    if (!basicAuth) {
      return Optional.empty();
    }
    String auth = java.util.Base64.getEncoder().encodeToString((BasicAuthUser.USER + ":" + password)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return Optional.of("{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}");
  }

  public RegistryServer start() throws Exception {
    Files.writeString(dir.resolve("config.yml"), """
        version: 0.1
        log:
          level: %s
          formatter: json
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        %s""".formatted(logRequests ? "info" : "warn", dir.resolve("storage"), port, basicAuth ? """
        auth:
          htpasswd:
            realm: wavegate-test
            path: %s
        """.formatted(dir.resolve("htpasswd")) : ""));
    Files.writeString(dir.resolve("htpasswd"), BasicAuthUser.USER + ":" + BasicAuthUser.PASSWORD_BCRYPT + "\n");
    process = new ProcessBuilder(binary().toString(), "serve", dir.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
        .start();
    ProvisionedTool.awaitReady("registry", process, dir.resolve("registry.log"),
        HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(), Set.of(200, 401), 30);
    return this;
  }

  /** A blob GET the registry answered: when it began and ended, by its own log. */
  public record Pull(Instant start, Instant end, int status) {}

  /** Every blob GET the registry logged so far (a registry started with logRequests). */
  public List<Pull> blobPulls() throws IOException {
    List<Pull> pulls = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("registry.log"))) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode entry = JSON.readTree(line);
      if (entry.path("msg").asText().startsWith("response completed")
          && "GET".equals(entry.path("http.request.method").asText())
          && entry.path("http.request.uri").asText().contains("/blobs/sha256:")) {
        Instant end = Instant.parse(entry.path("time").asText());
        Duration took = goDuration(entry.path("http.response.duration").asText());
        pulls.add(new Pull(end.minus(took), end, entry.path("http.response.status").asInt()));
      }
    }
    return pulls;
  }

  /** The most blob GETs the registry was serving at one moment. */
  public static int peakConcurrency(List<Pull> pulls) {
    List<Instant[]> events = new ArrayList<>();
    pulls.forEach(p -> {
      events.add(new Instant[] {p.start(), Instant.MAX});
      events.add(new Instant[] {p.end(), Instant.MIN});
    });
    events.sort((a, b) -> a[0].equals(b[0]) ? (a[1] == Instant.MIN ? -1 : 1) : a[0].compareTo(b[0]));
    int now = 0;
    int peak = 0;
    for (Instant[] event : events) {
      now += event[1] == Instant.MAX ? 1 : -1;
      peak = Math.max(peak, now);
    }
    return peak;
  }

  /** A Go duration as the registry logs it: 6.877179ms, 1.2s, 850µs. */
  static Duration goDuration(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)(ns|µs|us|ms|s|m)").matcher(text);
    double nanos = 0;
    while (m.find()) {
      double value = Double.parseDouble(m.group(1));
      nanos += value * switch (m.group(2)) {
        case "ns" -> 1;
        case "µs", "us" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        default -> 60e9;
      };
    }
    return Duration.ofNanos((long) nanos);
  }

  public static Path binary() throws IOException, InterruptedException {
    return ProvisionedTool.path("wavegate.registry", "WAVEGATE_REGISTRY_BIN", "scripts/registry.sh");
  }
}
