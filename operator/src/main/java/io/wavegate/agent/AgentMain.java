package io.wavegate.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import io.wavegate.api.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** `java -jar wavegate.jar agent`: the node agent, one per node (a DaemonSet with NODE_NAME from the downward API). */
public final class AgentMain {

  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
  public static final String DEFAULT_ROOT = "/var/lib/wavegate";

  private AgentMain() {}

  public static void run() throws Exception {
    String node = System.getenv("NODE_NAME");
    if (node == null || node.isBlank()) {
      System.err.println("wavegate agent: NODE_NAME is not set (set it from the downward API: spec.nodeName)");
      System.exit(2);
    }
    Path root = Path.of(System.getenv().getOrDefault("WAVEGATE_CONTENT_DIR", DEFAULT_ROOT));
    KubernetesClient client = new KubernetesClientBuilder().build();
    Duration resync = Durations.parse(System.getenv("WAVEGATE_AGENT_RESYNC"), NodeAgent.DEFAULT_RESYNC);
    NodeAgent agent = new NodeAgent(client, node, new ContentStore(root), Clock.systemUTC(), resync).start();
    LOG.info("wavegate agent on node {} writing under {}", node, root);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      client.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
