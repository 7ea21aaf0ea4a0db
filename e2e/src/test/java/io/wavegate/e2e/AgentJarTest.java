package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.wavegate.delivery.Assignment;
import io.wavegate.delivery.Snapshots;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.NodeContentWrites;
import io.wavegate.e2e.support.JarProcess;
import io.wavegate.validation.ContentGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar wavegate.jar agent} as a DaemonSet runs it, with the JVM flags the docs give:
 * it delivers content to disk; its resident memory is printed (a figure, not an assertion).
 */
class AgentJarTest {

  /** The agent's JVM flags, as documented in README.md and docs/node-contract.md. */
  static final List<String> AGENT_JVM_FLAGS = List.of(System.getProperty("wavegate.agent.jvmFlags",
      "-XX:+UseSerialGC -Xmx24m -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=48m")
      .split(" "));

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @TempDir
  Path disk;

  private Process agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.destroy();
      agent.waitFor();
    }
  }

  @Test
  void theAgentJarDeliversContentToDiskAndReportsItsMemory() throws Exception {
    JarProcess.jar();
    var client = api.client();
    api.installCrd();
    client.resource(new NamespaceBuilder().withNewMetadata().withName("wavegate-system").endMetadata().build()).serverSideApply();
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().build()).create();
    byte[] content = "rules v1\n".repeat(4096).getBytes();
    String digest = ContentGate.sha256Hex(content);
    client.configMaps().inNamespace("wavegate-system").resource(new ConfigMapBuilder().withNewMetadata()
        .withName(Snapshots.name("sensor", digest)).withNamespace("wavegate-system")
        .addToAnnotations(Snapshots.FILE_NAME_ANNOTATION, "C-291.sys").endMetadata()
        .addToBinaryData(Snapshots.CONTENT_KEY, Base64.getEncoder().encodeToString(content)).build()).create();

    agent = JarProcess.start(api, AGENT_JVM_FLAGS, "agent",
        Map.of("NODE_NAME", "node-a", "WAVEGATE_CONTENT_DIR", disk.toString()));

    Assignment assignment = new Assignment(digest, "canary", Snapshots.reference("wavegate-system", "sensor", digest),
        "boot", true, java.time.Instant.now().toString());
    NodeContentWrites.assign(client, "node-a", "sensor", java.util.Optional.of(assignment));

    Path file = disk.resolve("sensor").resolve("C-291.sys");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file));
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    await().atMost(Duration.ofSeconds(10)).until(() -> NodeContentWrites.report(client, "node-a", "sensor")
        .map(r -> r.applied(digest)).orElse(false));

    Thread.sleep(3000);
    String rss = Files.readAllLines(Path.of("/proc", Long.toString(agent.pid()), "status")).stream()
        .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM")).reduce((a, b) -> a + ", " + b).orElse("n/a");
    System.out.println("[figure] wavegate agent resident memory after one delivery (" + String.join(" ", AGENT_JVM_FLAGS)
        + "): " + rss.replaceAll("\\s+", " "));
  }
}
