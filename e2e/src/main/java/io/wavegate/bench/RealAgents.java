package io.wavegate.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.agent.AgentSettings;
import io.wavegate.agent.NodeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real node agent ({@link NodeAgent}, the code the agent's jar runs) on a sample of the
 * benchmark's nodes, each writing real files under a directory of its own: the revert figure is the
 * agents' and not the stand-ins' alone.
 */
final class RealAgents implements AutoCloseable {

  private final Map<String, NodeAgent> agents = new LinkedHashMap<>();
  private final Path root;

  RealAgents(KubernetesClient client, List<String> nodes) throws IOException {
    root = Files.createTempDirectory("wavegate-bench-agents");
    for (String node : nodes) {
      agents.put(node, new NodeAgent(client, AgentSettings.fromEnv(Map.of("NODE_NAME", node, "WAVEGATE_CONTENT_DIR",
          root.resolve(node).toString(), "WAVEGATE_AGENT_PORT", "0")), Clock.systemUTC()).start());
    }
  }

  List<String> nodes() {
    return List.copyOf(agents.keySet());
  }

  /**
   * Polls every 2 ms until each agent's file holds {@code bytes} (or the timeout); returns when
   * (System.nanoTime) each did.
   */
  Map<String, Long> awaitFiles(String channel, String fileName, byte[] bytes, long timeoutMillis)
      throws InterruptedException {
    Map<String, Long> done = new HashMap<>();
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (done.size() < agents.size() && System.nanoTime() < deadline) {
      for (String node : agents.keySet()) {
        if (!done.containsKey(node) && holds(node, channel, fileName, bytes)) {
          done.put(node, System.nanoTime());
        }
      }
      Thread.sleep(2);
    }
    return done;
  }

  private boolean holds(String node, String channel, String fileName, byte[] bytes) {
    try {
      Path file = root.resolve(node).resolve(channel).resolve(fileName);
      return Files.exists(file) && Arrays.equals(Files.readAllBytes(file), bytes);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    agents.values().forEach(NodeAgent::close);
  }
}
