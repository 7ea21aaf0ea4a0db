package io.wavegate.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * A binary the project provisions itself (Prometheus, the registry, cosign): the path a system property
 * or environment variable gives (scripts/test.sh sets the property), else what the named script prints
 * as its last line, the script being run here.
 */
public final class ProvisionedTool {

  private ProvisionedTool() {}

  /**
   * Waits until {@code ready} (an HTTP request to the started server) answers one of {@code statuses};
   * fails with the server's log when it exits or is not ready within {@code seconds}.
   */
  public static void awaitReady(String name, Process process, Path log, HttpRequest ready, Set<Integer> statuses, int seconds)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(seconds);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (statuses.contains(http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode())) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " not ready within " + seconds + " s: " + Files.readString(log));
  }

  public static Path path(String property, String environment, String script) throws IOException, InterruptedException {
    String configured = System.getProperty(property, System.getenv(environment));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Process process = new ProcessBuilder("bash", ClusterSetup.repoRoot().resolve(script).toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException(script + " could not provide what " + property + " names");
    }
    String[] lines = out.split("\n");
    return Path.of(lines[lines.length - 1].strip());
  }
}
