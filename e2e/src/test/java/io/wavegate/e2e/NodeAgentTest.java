package io.wavegate.e2e;

import io.wavegate.contract.Digests;
import io.wavegate.contract.SnapshotFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.agent.AgentSettings;
import io.wavegate.agent.NodeAgent;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContent;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.NodeContentWrites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real agent against a real API server, the test playing the operator by the node contract. */
class NodeAgentTest {

  static final String NS = "wavegate-system";
  static final String CHANNEL = "sensor";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @TempDir
  Path disk;

  private static KubernetesClient client;
  private String node;
  private NodeAgent agent;

  @BeforeAll
  static void namespace() {
    client = api.client();
    api.installCrd();
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
  }

  @BeforeEach
  void newNode() throws Exception {
    node = "node-" + UUID.randomUUID().toString().substring(0, 6);
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    agent = startAgent();
  }

  @AfterEach
  void stopAgent() {
    agent.close();
    client.nodes().withName(node).delete();
  }

  @Test
  void appliesAVerifiedSnapshotAtomicallyAndReportsIt() throws Exception {
    byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
    String digest = snapshot(v1, v1);
    assign(digest);

    AgentReport report = awaitReport(digest);
    assertThat(report.state()).isEqualTo(AgentReport.APPLIED);
    assertThat(Files.readAllBytes(disk.resolve(CHANNEL).resolve("C-291.sys"))).isEqualTo(v1);
    assertThat(client.resources(NodeContent.class).withName(node).get().getStatus().getChannels().get(0)
        .getShortRevision()).isEqualTo(digest.substring(0, 12));
    assertThat(client.nodes().withName(node).get().getMetadata().getAnnotations()).as("nothing written on the Node")
        .isNullOrEmpty();
  }

  @Test
  void aDigestMismatchIsReportedAndNeverReplacesTheFile() throws Exception {
    byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
    String good = snapshot(v1, v1);
    assign(good);
    awaitReport(good);

    byte[] claimed = "rules v2".getBytes(StandardCharsets.UTF_8);
    String bad = snapshot(claimed, new byte[40 * 1024]);
    assign(bad);

    AgentReport report = awaitReport(bad);
    assertThat(report.state()).isEqualTo(AgentReport.FAILED);
    assertThat(report.reason()).isEqualTo("DigestMismatch");
    assertThat(Files.readAllBytes(disk.resolve(CHANNEL).resolve("C-291.sys"))).isEqualTo(v1);
  }

  @Test
  void aMissingSnapshotIsReported() {
    String digest = Digests.sha256Hex("never published".getBytes(StandardCharsets.UTF_8));
    assign(digest);
    AgentReport report = awaitReport(digest);
    assertThat(report.reason()).isEqualTo("SnapshotMissing");
  }

  @Test
  void aRemovedAssignmentRemovesTheFileAndTheReport() throws Exception {
    byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
    String digest = snapshot(v1, v1);
    assign(digest);
    awaitReport(digest);

    NodeContentWrites.assign(client, node, CHANNEL, java.util.Optional.empty());

    await().atMost(Duration.ofSeconds(10)).until(() -> NodeContentWrites.report(client, node, CHANNEL).isEmpty());
    assertThat(disk.resolve(CHANNEL)).doesNotExist();
  }

  @Test
  void onRestartItCleansPartialFilesAndReconcilesTheDisk() throws Exception {
    byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
    String digest = snapshot(v1, v1);
    assign(digest);
    awaitReport(digest);
    agent.close();
    Path partial = disk.resolve(CHANNEL).resolve(".wavegate/tmp-crashed");
    Files.write(partial, new byte[16]);
    Files.delete(disk.resolve(CHANNEL).resolve("C-291.sys"));

    agent = startAgent();

    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(disk.resolve(CHANNEL).resolve("C-291.sys")));
    assertThat(Files.readAllBytes(disk.resolve(CHANNEL).resolve("C-291.sys"))).isEqualTo(v1);
    assertThat(partial).doesNotExist();
  }

  @Test
  void withoutTheRevocationCrdAnAgentStillServesItsAssignments() throws Exception {
    agent.close();
    client.apiextensions().v1().customResourceDefinitions().withName("contentrevocations.wavegate.io").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      try {
        client.resources(io.wavegate.contract.ContentRevocation.class).list();
        return false;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        return e.getCode() == 404; // an upgrade whose new CRD was not applied yet
      }
    });
    try {
      agent = startAgent();
      assertThat(agent.ready()).isTrue();
      byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
      String digest = snapshot(v1, v1);
      assign(digest);
      assertThat(awaitReport(digest).state()).isEqualTo(AgentReport.APPLIED);
      assertThat(Files.readAllBytes(disk.resolve(CHANNEL).resolve("C-291.sys"))).isEqualTo(v1);
    } finally {
      api.installCrd();
    }
  }

  private NodeAgent startAgent() throws java.io.IOException {
    return new NodeAgent(client, AgentSettings.fromEnv(java.util.Map.of("NODE_NAME", node, "WAVEGATE_CONTENT_DIR",
        disk.toString())), Clock.systemUTC()).start();
  }

  /** A snapshot named for the digest of {@code claimed} but holding {@code actual}. */
  private String snapshot(byte[] claimed, byte[] actual) {
    String digest = Digests.sha256Hex(claimed);
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(SnapshotFormat.name(CHANNEL + "-" + node, digest)).withNamespace(NS)
        .addToAnnotations(SnapshotFormat.FILE_NAME_ANNOTATION, "C-291.sys").endMetadata()
        .addToBinaryData(SnapshotFormat.CONTENT_KEY, Base64.getEncoder().encodeToString(actual)).build()).serverSideApply();
    return digest;
  }

  private void assign(String digest) {
    Assignment assignment = new Assignment(digest, "canary", SnapshotFormat.reference(NS, CHANNEL + "-" + node, digest),
        "boot", true, java.time.Instant.now().toString());
    NodeContentWrites.assign(client, node, CHANNEL, java.util.Optional.of(assignment));
  }

  private AgentReport awaitReport(String digest) {
    return await().atMost(Duration.ofSeconds(10)).until(
        () -> NodeContentWrites.report(client, node, CHANNEL).orElse(null),
        r -> r != null && r.revision().equals(digest));
  }
}
