package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.InstalledProduct;
import io.wavegate.e2e.support.InstalledProduct.Running;
import io.wavegate.sim.Rollouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product exactly as installed: the chart applied, two operator replicas ({@code java -jar
 * wavegate.jar operator}) and an agent per node ({@code java -jar wavegate-agent.jar run}) as
 * processes with the chart's environment and real tokens of its service accounts, the agents'
 * bound to the DaemonSet's pod on their node. Nothing runs with admin rights but the test itself,
 * playing the platform team and the kubelets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstalledProductTest {

  static final String CHANNEL = "sensor";
  static final List<String> NODES = List.of("canary-0", "early-0", "broad-0");
  /** How long the leader must hold its Lease without a break (the chart's identity failed to renew it within 10 s). */
  static final Duration HOLD = Duration.ofSeconds(Long.getLong("wavegate.test.leaseHoldSeconds", 120));

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @TempDir
  static Path disks;

  private static KubernetesClient admin;
  private static InstalledProduct product;
  private static final Map<String, Running> operators = new LinkedHashMap<>();
  private static Instant firstLeader;

  @BeforeAll
  static void install() {
    admin = api.client();
    product = InstalledProduct.install(api);
    product.addNodes(NODES);
    for (String node : NODES) {
      product.startAgent(node, disk(node), bootIdFile(node), Map.of("WAVEGATE_AGENT_RESYNC", "5s"));
    }
    operators.put("wavegate-operator-a", product.startOperator("wavegate-operator-a", Map.of()));
    operators.put("wavegate-operator-b", product.startOperator("wavegate-operator-b", Map.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    product.close();
  }

  @Test
  @Order(1)
  void aReplicaTakesTheLeaseAndTheRolloutReachesEveryNodesDisk() throws Exception {
    Lease lease = await().atMost(Duration.ofSeconds(60)).until(InstalledProductTest::lease,
        l -> l != null && operators.containsKey(l.getSpec().getHolderIdentity()));
    firstLeader = Instant.now();
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isPositive();

    byte[] v1 = "rules v1\n".getBytes(StandardCharsets.UTF_8);
    Rollouts.awaitPhase(admin, CHANNEL, rollout(v1, "C-291.sys"), RolloutPhase.Succeeded, Duration.ofSeconds(90));
    for (String node : NODES) {
      assertThat(Files.readAllBytes(disk(node).resolve(CHANNEL).resolve("C-291.sys"))).as(node).isEqualTo(v1);
    }
  }

  @Test
  @Order(2)
  void contentNamedLikeTheAgentsOwnFilesIsDeliveredAndNothingIsWrittenAtRest() throws Exception {
    byte[] x = "x\n".getBytes(StandardCharsets.UTF_8);
    byte[] xPrevious = "x.previous\n".getBytes(StandardCharsets.UTF_8);
    Rollouts.awaitPhase(admin, CHANNEL, rollout(x, "x"), RolloutPhase.Succeeded, Duration.ofSeconds(90));
    String digest = rollout(xPrevious, "x.previous");
    Rollouts.awaitPhase(admin, CHANNEL, digest, RolloutPhase.Succeeded, Duration.ofSeconds(90));

    Map<String, String> versions = new LinkedHashMap<>();
    Map<String, Long> modified = new LinkedHashMap<>();
    for (String node : NODES) {
      Path channel = disk(node).resolve(CHANNEL);
      assertThat(Files.readAllBytes(channel.resolve("x.previous"))).as(node).isEqualTo(xPrevious);
      assertThat(channel.resolve("x")).as("the earlier file, replaced").doesNotExist();
      assertThat(report(node)).get().satisfies(r -> assertThat(r.applied(digest)).isTrue());
      versions.put(node, admin.resources(NodeContent.class).withName(node).get().getMetadata().getResourceVersion());
      modified.put(node, Files.getLastModifiedTime(channel.resolve("x.previous")).toMillis());
    }
    Thread.sleep(12_000); // more than two of the agents' resyncs (5 s)
    for (String node : NODES) {
      assertThat(admin.resources(NodeContent.class).withName(node).get().getMetadata().getResourceVersion())
          .as("no report written at rest on " + node).isEqualTo(versions.get(node));
      assertThat(Files.getLastModifiedTime(disk(node).resolve(CHANNEL).resolve("x.previous")).toMillis())
          .as("no file written at rest on " + node).isEqualTo(modified.get(node));
    }
  }

  @Test
  @Order(3)
  void aRolloutWhoseSelectorMatchesNoNodeWaitsAndGoesOnWhenOneMatches() throws Exception {
    String name = "typo";
    String digest = Rollouts.publish(admin, Chart.NAMESPACE, "typo-v1", "policy.json", "{}".getBytes());
    Rollouts.apply(admin, name, Rollouts.overPools(digest, new KeyRef(null, "typo-v1", "policy.json"), "1s",
        Map.of("team", "sensors")));

    ContentRolloutStatus waiting = await().atMost(Duration.ofSeconds(60)).until(() -> Rollouts.status(admin, name),
        s -> s != null && s.getWait() != null && "NoMatchingNodes".equals(s.getWait().getReason()));
    assertThat(waiting.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(condition(waiting, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(waiting, "Reconciling").getReason()).isEqualTo("NoMatchingNodes");
    assertThat(condition(waiting, "Reconciling").getMessage()).contains("spec.nodeSelector matches no node");
    // status is written before the Event: wait for it, then see that the wait is told once, not at each look
    await().atMost(Duration.ofSeconds(30)).until(() -> waitingEvents(name) >= 1);
    Thread.sleep(3_000);
    assertThat(waitingEvents(name)).as("one Event").isEqualTo(1);

    for (String node : NODES) {
      admin.nodes().withName(node).edit(n -> new NodeBuilder(n).editMetadata().addToLabels("team", "sensors")
          .endMetadata().build());
    }
    Rollouts.awaitPhase(admin, name, RolloutPhase.Succeeded, Duration.ofSeconds(90));
    admin.resources(io.wavegate.api.ContentRollout.class).withName(name).delete();
  }

  @Test
  @Order(4)
  void aWaveWaitingOnANodesDiskNamesTheNodeAndTheAgentsReason() throws Exception {
    String name = "broken-disk";
    Files.createDirectories(disk("canary-0"));
    Files.writeString(disk("canary-0").resolve(name), "a file where the channel's directory goes");
    String digest = Rollouts.publish(admin, Chart.NAMESPACE, "broken-disk-v1", "rules.bin", "rules".getBytes());
    Rollouts.apply(admin, name, Rollouts.overPools(digest, new KeyRef(null, "broken-disk-v1", "rules.bin"), "1s", null));

    ContentRolloutStatus waiting = await().atMost(Duration.ofSeconds(60)).until(() -> Rollouts.status(admin, name),
        s -> s != null && s.getWait() != null && "NodeFaults".equals(s.getWait().getReason()));
    assertThat(waiting.getWait().getNodes()).containsExactly("canary-0");
    assertThat(waiting.getWait().getMessage()).contains("canary-0 (WriteError: ");
    assertThat(waiting.getPhase()).isEqualTo(RolloutPhase.Progressing);

    Files.delete(disk("canary-0").resolve(name)); // the disk is mended: the agent's next try succeeds
    Rollouts.awaitPhase(admin, name, RolloutPhase.Succeeded, Duration.ofSeconds(90));
    admin.resources(io.wavegate.api.ContentRollout.class).withName(name).delete();
  }

  @Test
  @Order(5)
  void theLeaderHoldsItsLeaseForMinutesAndTheStandbyTakesOverAfterAKill() throws Exception {
    String leader = lease().getSpec().getHolderIdentity();
    ZonedDateTime renewed = lease().getSpec().getRenewTime();
    while (Duration.between(firstLeader, Instant.now()).compareTo(HOLD) < 0) {
      Thread.sleep(5_000);
      Lease lease = lease();
      assertThat(lease.getSpec().getHolderIdentity()).as("the leader never changed").isEqualTo(leader);
      assertThat(lease.getSpec().getRenewTime()).as("renewed").isAfter(renewed);
      renewed = lease.getSpec().getRenewTime();
    }
    operators.values().forEach(o -> assertThat(o.process().isAlive()).as(o.log()).isTrue());
    assertThat(operators.get(leader).log()).doesNotContain("lost the leader Lease", "Forbidden", "forbidden");

    InstalledProduct.kill(operators.get(leader));
    String standby = operators.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(60)).until(() -> standby.equals(lease().getSpec().getHolderIdentity()));

    byte[] v3 = "rules v3 after the takeover\n".getBytes(StandardCharsets.UTF_8);
    Rollouts.awaitPhase(admin, CHANNEL, rollout(v3, "C-291.sys"), RolloutPhase.Succeeded, Duration.ofSeconds(90));
    for (String node : NODES) {
      assertThat(Files.readAllBytes(disk(node).resolve(CHANNEL).resolve("C-291.sys"))).as(node).isEqualTo(v3);
    }
    assertThat(operators.get(standby).log()).doesNotContain("Forbidden", "forbidden");
  }

  private static int waitingEvents(String rollout) {
    return admin.v1().events().inNamespace("default").list().getItems().stream().filter(e -> rollout.equals(
        e.getInvolvedObject().getName()) && "WaveWaiting".equals(e.getReason()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
  }

  private static String rollout(byte[] content, String fileName) {
    String source = CHANNEL + "-" + fileName.replace('.', '-').toLowerCase();
    String digest = Rollouts.publish(admin, Chart.NAMESPACE, source, fileName, content);
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(null, source, fileName), "1s", null);
    spec.getContent().setFileName(fileName);
    Rollouts.apply(admin, CHANNEL, spec);
    return digest;
  }

  private static Lease lease() {
    return admin.leases().inNamespace(Chart.NAMESPACE).withName("wavegate-operator").get();
  }

  private static Optional<AgentReport> report(String node) {
    return NodeContents.report(admin.resources(NodeContent.class).withName(node).get(), CHANNEL);
  }

  private static Condition condition(ContentRolloutStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static Path disk(String node) {
    return disks.resolve(node);
  }

  private static Path bootIdFile(String node) {
    try {
      Path file = disks.resolve(node + ".boot_id");
      if (!Files.exists(file)) {
        Files.writeString(file, "boot-" + node + "\n");
      }
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
