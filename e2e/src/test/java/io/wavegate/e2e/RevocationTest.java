package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.Revocation;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.RefusedOperatorWrites;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import io.wavegate.plugin.WavegateCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The revert in one write (node contract v4), with the operator in-process and the real agent on every
 * node of a 50-node fleet, both under the chart's least privilege, against a real API server.
 */
class RevocationTest {

  static final String NS = Chart.NAMESPACE;
  static final String FILE = "C-00000291.sys";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private static KubernetesClient client;
  private WavegateOperator operator;
  private SimulatedFleet fleet;
  private String id;

  @BeforeAll
  static void installChart() {
    client = api.client();
    Chart.install(client);
  }

  @BeforeEach
  void startOperatorAndFleet() {
    id = "r" + UUID.randomUUID().toString().substring(0, 6);
    operator = Chart.startOperator(client, Map.of(
        "WAVEGATE_LEADER_ELECTION", "false", "WAVEGATE_NODE_WRITE_BATCH", "10"), new SimpleMeterRegistry());
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", 2);
    pools.put("early", 8);
    pools.put("broad", 40);
    fleet = new SimulatedFleet(client, id, pools, node -> Chart.asAgentOn(client, node));
  }

  @AfterEach
  void stop() {
    operator.close();
    fleet.close();
    // stop-the-line acts on every rollout of the cluster: none is left in flight for the next test
    client.resources(ContentRollout.class).delete();
  }

  @Test
  void aBreachInTheBroadWaveRevertsEveryUpdatedNodeFromOneWriteWhileEveryPerNodeWriteIsRefused() throws Exception {
    String v1 = content("v1", "rules v1");
    String v2 = content("v2", "rules v2: crashes the sensor");
    stableThenBakingInTheBroadWave(v1, v2, "rules v2: crashes the sensor", id);
    String late = fleet.nodesInPool("broad").get(0);
    fleet.silence(late); // its agent is down through the breach, holding v2

    try (var refused = new RefusedOperatorWrites(client, "freeze-" + id, "true", fleet.nodes().get(0))) {
      fleet.crashPod(fleet.nodesInPool("broad").get(5), "default", "sensor");

      await().atMost(Duration.ofSeconds(20)).until(() -> fleet.nodes().stream().filter(n -> !n.equals(late))
          .allMatch(n -> onDisk(n, "rules v1")));
      Revocation revocation = Revocation.of(client.resources(ContentRevocation.class).withName(id).get()).orElseThrow();
      assertThat(revocation.revoked()).containsExactly(v2);
      assertThat(revocation.stable().orElseThrow().revision()).isEqualTo(v1);
      // an agent writes the file first and reports it after: the reports follow the files by a moment
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        for (String node : fleet.nodes()) {
          assertThat(NodeContents.assignment(fleet.content(node), id).map(Assignment::revision)).as(node + ": its"
              + " per-node write was refused, the revocation alone moved it").contains(v2);
          if (!node.equals(late)) {
            assertThat(fleet.report(node, id).applied(v1)).as(node + " reports the stable revision").isTrue();
          }
        }
      });
      ContentRolloutStatus status = Rollouts.status(client, id);
      assertThat(status.getPhase()).isEqualTo(RolloutPhase.RollingBack);
      assertThat(status.getError().getReason()).isEqualTo("NodeWritesFailed");

      fleet.revive(late); // a late agent converges the same way, its assignment still on v2
      await().atMost(Duration.ofSeconds(20)).until(() -> onDisk(late, "rules v1"));
      assertThat(NodeContents.assignment(fleet.content(late), id).map(Assignment::revision)).contains(v2);
    }

    ContentRolloutStatus done = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(90));
    assertThat(done.getError()).isNull();
    for (String node : fleet.nodes()) {
      assertThat(NodeContents.assignment(fleet.content(node), id).map(Assignment::revision)).as(node).contains(v1);
      assertThat(fleet.report(node, id).applied(v1)).as(node).isTrue();
      assertThat(onDisk(node, "rules v1")).as(node).isTrue();
    }
  }

  @Test
  void aRetriedRevisionIsNoLongerRevokedAndNodesTakeItAgain() throws Exception {
    String v1 = content("v1", "rules v1");
    String v2 = content("v2", "rules v2");
    stableThenBakingInTheBroadWave(v1, v2, "rules v2", id);
    fleet.crashPod(fleet.nodesInPool("broad").get(0), "default", "sensor");
    Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(60));
    assertThat(fleet.nodes()).allMatch(n -> onDisk(n, "rules v1"));
    // gone before the retry: no kubelet here finishes a graceful delete, and the simulated crash is dated a
    // second ahead, so a retry within that second would see it again
    client.pods().inNamespace("default").withLabel("app", "sensor").withGracePeriod(0).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.pods().inNamespace("default").withLabel("app", "sensor")
        .list().getItems().isEmpty());

    client.resources(ContentRollout.class).withName(id).edit(r -> {
      r.getMetadata().getAnnotations().put("wavegate.io/retry", "true");
      return r;
    });

    await().atMost(Duration.ofSeconds(60)).until(() -> fleet.nodes().stream().allMatch(n -> onDisk(n, "rules v2")));
    assertThat(Revocation.of(client.resources(ContentRevocation.class).withName(id).get()).orElseThrow().revoked())
        .isEmpty();
  }

  @Test
  void stopTheLineRevokesTheRevisionsInFlightOnEveryChannelWithOneCommand() {
    String second = id + "-b";
    String v1 = content("v1", "rules v1");
    String v2 = content("v2", "rules v2: bad on every channel");
    stableThenBakingInTheBroadWave(v1, v2, "rules v2: bad on every channel", id, second);

    StringWriter out = new StringWriter();
    CommandLine cli = new WavegateCli(() -> client, Clock.systemUTC()).commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("stop", "--revision", v2.substring(0, 12))).isZero();

    assertThat(out.toString()).contains(id + " ").contains(second + " ").contains("2 rollout(s) stopped");
    await().atMost(Duration.ofSeconds(20)).until(() -> fleet.nodes().stream().allMatch(n ->
        onDisk(n, id, "rules v1") && onDisk(n, second, "rules v1")));
    for (String channel : List.of(id, second)) {
      assertThat(Revocation.of(client.resources(ContentRevocation.class).withName(channel).get()).orElseThrow()
          .revoked()).containsExactly(v2);
      assertThat(Rollouts.awaitPhase(client, channel, RolloutPhase.RolledBack, Duration.ofSeconds(60)).getStall()
          .getReason()).isEqualTo("Aborted");
    }
    out.getBuffer().setLength(0);
    assertThat(cli.execute("stop")).isZero();
    assertThat(out.toString()).contains("no rollout in flight");
  }

  /** On every channel: v1 through every wave, then v2 on every node, baking in the broad wave. */
  private void stableThenBakingInTheBroadWave(String v1, String v2, String v2Text, String... channels) {
    for (String channel : channels) {
      Rollouts.apply(client, channel, stable(v1, "v1"));
    }
    for (String channel : channels) {
      Rollouts.awaitPhase(client, channel, RolloutPhase.Succeeded, Duration.ofSeconds(60));
      Rollouts.apply(client, channel, bakingInTheBroadWave(v2, "v2"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> fleet.nodes().stream().allMatch(n ->
        java.util.Arrays.stream(channels).allMatch(channel -> onDisk(n, channel, v2Text))));
  }

  private boolean onDisk(String node, String text) {
    return onDisk(node, id, text);
  }

  private boolean onDisk(String node, String channel, String text) {
    try {
      Path file = fleet.contentDir(node).resolve(channel).resolve(FILE);
      return Files.exists(file) && text.equals(Files.readString(file, StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private String content(String name, String text) {
    return Rollouts.publish(client, NS, id + "-" + name, FILE, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Three pool waves without a bake: the stable revision. */
  private ContentRolloutSpec stable(String digest, String name) {
    return Rollouts.overPools(digest, new KeyRef(NS, id + "-" + name, FILE), "0s", Map.of("fleet", id));
  }

  /** The same, but the broad wave bakes for an hour: a crash there is a breach in the broad wave. */
  private ContentRolloutSpec bakingInTheBroadWave(String digest, String name) {
    ContentRolloutSpec spec = stable(digest, name);
    spec.getStrategy().getWaves().get(2).setBakeTime("1h");
    return spec;
  }
}
