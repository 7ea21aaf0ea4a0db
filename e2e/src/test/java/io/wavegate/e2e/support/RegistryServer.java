package io.wavegate.e2e.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A real OCI Distribution registry (CNCF distribution, Debian's docker-registry) on loopback, its
 * storage in a temporary directory, optionally behind basic auth ({@link BasicAuthUser}). It can be
 * stopped and started again on the same address with the same content, as a registry outage. The
 * binary comes from scripts/registry.sh (system property wavegate.registry, which scripts/test.sh sets).
 */
public final class RegistryServer extends LocalServer {

  private final boolean basicAuth;
  private final Path dir;
  private final int port;

  public RegistryServer(boolean basicAuth) throws IOException {
    this.basicAuth = basicAuth;
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
          level: warn
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        %s""".formatted(dir.resolve("storage"), port, basicAuth ? """
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

  public static Path binary() throws IOException, InterruptedException {
    return ProvisionedTool.path("wavegate.registry", "WAVEGATE_REGISTRY_BIN", "scripts/registry.sh");
  }
}
