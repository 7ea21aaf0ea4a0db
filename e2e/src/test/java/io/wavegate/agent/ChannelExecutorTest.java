package io.wavegate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.OciArtifacts;
import io.wavegate.sim.RegistryServer;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Digests;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.SnapshotFormat;
import io.wavegate.contract.oci.OciRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one executor of the agent's actions (in the agent's package, here for the real API server the
 * reports are server-side applied to), on a real directory: what lands on disk, in the channel's
 * state and in the node's report for each action, and that a refused delivery leaves the file as it was.
 */
class ChannelExecutorTest {

  @RegisterExtension
  static final ApiServer api = new ApiServer();
  static final String CHANNEL = "rules";
  static final String FILE = "rules.bin";
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  static KubernetesClient client;
  static RegistryServer registry;
  String node;
  @TempDir
  Path dir;

  ContentStore store;
  ChannelExecutor executor;
  final List<String> confirmationsScheduled = new ArrayList<>();

  @BeforeAll
  static void crd() throws Exception {
    client = api.client();
    api.installCrd();
    client.resource(new NamespaceBuilder().withNewMetadata().withName("snapshots").endMetadata().build())
        .serverSideApply();
    registry = new RegistryServer(false).start();
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    registry.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    node = "node-" + java.util.UUID.randomUUID().toString().substring(0, 6);
    Path bootId = dir.resolve("boot_id");
    Files.writeString(bootId, "boot-1\n");
    store = new ContentStore(dir.resolve("content"));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    executor = new ChannelExecutor(client, node, store, new Guard(store, bootId, clock), Optional.empty(),
        Optional.empty(), new RegistryPull(new OciRegistryClient(Set.of(), Duration.ofSeconds(5)), Optional.empty()),
        clock, new AgentMetrics(), (channel, state) -> confirmationsScheduled.add(channel));
    NodeContent object = new NodeContent();
    object.setMetadata(new ObjectMetaBuilder().withName(node).build());
    client.resource(object).create();
  }

  @Test
  void applyWritesTheFileTentativelyAndReportsIt() throws IOException {
    byte[] bytes = "v1 rules".getBytes(StandardCharsets.UTF_8);
    String digest = publish(bytes, FILE);

    Optional<AgentReport> report = executor.execute(CHANNEL, new ChannelAction.Apply(assignment(digest, "10m")),
        Optional.empty());

    assertThat(Files.readAllBytes(file())).isEqualTo(bytes);
    assertThat(store.state(CHANNEL).revision()).isEqualTo(digest);
    assertThat(store.state(CHANNEL).tentative()).isTrue();
    assertThat(confirmationsScheduled).containsExactly(CHANNEL);
    assertThat(report).hasValueSatisfying(r -> assertThat(r.applied(digest)).isTrue());
    assertThat(reported()).hasValueSatisfying(r -> assertThat(r.applied(digest)).isTrue());
  }

  @Test
  void aSnapshotWhoseBytesAreNotTheRevisionIsRefusedAndTheFileStays() throws IOException {
    byte[] v1 = "v1 rules".getBytes(StandardCharsets.UTF_8);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(publish(v1, FILE), "0s")), Optional.empty());
    String forged = Digests.sha256Hex("what the assignment names".getBytes(StandardCharsets.UTF_8));
    publishAs(forged, "something else".getBytes(StandardCharsets.UTF_8), FILE);

    Optional<AgentReport> report = executor.execute(CHANNEL, new ChannelAction.Apply(assignment(forged, "0s")),
        Optional.empty());

    assertThat(report).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("DigestMismatch"));
    assertThat(Files.readAllBytes(file())).isEqualTo(v1);
    assertThat(reported()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("DigestMismatch"));
  }

  @Test
  void aMissingSnapshotIsReportedAndNothingIsWritten() throws IOException {
    String digest = Digests.sha256Hex("never published".getBytes(StandardCharsets.UTF_8));

    Optional<AgentReport> report = executor.execute(CHANNEL, new ChannelAction.Apply(assignment(digest, "0s")),
        Optional.empty());

    assertThat(report).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("SnapshotMissing"));
    assertThat(store.current(CHANNEL)).isEmpty();
  }

  @Test
  void aContentNameOfTheAgentsOwnIsRefused() throws IOException {
    String digest = publish("x".getBytes(StandardCharsets.UTF_8), ".wavegate");

    Optional<AgentReport> report = executor.execute(CHANNEL, new ChannelAction.Apply(assignment(digest, "0s")),
        Optional.empty());

    assertThat(report).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(AgentReport.INVALID_FILE_NAME));
    assertThat(store.current(CHANNEL)).isEmpty();
  }

  @Test
  void anOciSnapshotIsPulledFromTheRegistryByTheRevisionsDigest() throws Exception {
    byte[] bytes = "rules from a registry".getBytes(StandardCharsets.UTF_8);
    String digest = publishOci(bytes, FILE, registry);

    Optional<AgentReport> report = executor.execute(CHANNEL, new ChannelAction.Apply(assignment(digest, "0s")),
        Optional.empty());

    assertThat(report).hasValueSatisfying(r -> assertThat(r.applied(digest)).isTrue());
    assertThat(Files.readAllBytes(file())).isEqualTo(bytes);
    try (var staged = Files.list(dir.resolve("content").resolve(CHANNEL).resolve(".wavegate"))) {
      assertThat(staged.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("tmp-"));
    }
  }

  @Test
  void aRegistryThatIsDownIsTheSourcesFaultAndTheFileStays() throws Exception {
    byte[] v1 = "v1 rules".getBytes(StandardCharsets.UTF_8);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(publish(v1, FILE), "0s")), Optional.empty());
    RegistryServer down = new RegistryServer(false).start();
    String digest = publishOci("v2 rules".getBytes(StandardCharsets.UTF_8), FILE, down);
    down.stop();

    Optional<AgentReport> report = executor.execute(CHANNEL, new ChannelAction.Apply(assignment(digest, "0s")),
        Optional.empty());

    assertThat(report).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(AgentReport.REGISTRY_UNAVAILABLE);
      assertThat(r.nodeFault(digest)).as("a node-local fault: waited for and tried again, never the content's").isTrue();
      assertThat(r.message()).contains("registry " + down.host() + " did not answer");
    });
    assertThat(Files.readAllBytes(file())).isEqualTo(v1);
  }

  @Test
  void aRevocationRestoresTheKeptPreviousFileAndConfirmsIt() throws IOException {
    byte[] stable = "v1 rules".getBytes(StandardCharsets.UTF_8);
    String stableDigest = publish(stable, FILE);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(stableDigest, "0s")), Optional.empty());
    String bad = publish("v2 rules that crash".getBytes(StandardCharsets.UTF_8), FILE);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(bad, "10m")), Optional.empty());

    Revocation revocation = revocation(bad, stableDigest);
    Optional<AgentReport> report = executor.execute(CHANNEL,
        new ChannelAction.Revert(revocation, Revocation.Verdict.RESTORE_PREVIOUS, bad), Optional.empty());

    assertThat(Files.readAllBytes(file())).isEqualTo(stable);
    assertThat(store.state(CHANNEL).revision()).isEqualTo(stableDigest);
    assertThat(store.state(CHANNEL).tentative()).isFalse();
    assertThat(report).hasValueSatisfying(r -> assertThat(r.applied(stableDigest)).isTrue());
    assertThat(reported()).hasValueSatisfying(r -> assertThat(r.applied(stableDigest)).isTrue());
  }

  @Test
  void aRevocationFetchesTheStableSnapshotWhenNothingIsKept() throws IOException {
    byte[] stable = "v1 rules".getBytes(StandardCharsets.UTF_8);
    String stableDigest = publish(stable, FILE);
    String bad = publish("v2 rules that crash".getBytes(StandardCharsets.UTF_8), FILE);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(bad, "10m")), Optional.empty());

    executor.execute(CHANNEL, new ChannelAction.Revert(revocation(bad, stableDigest), Revocation.Verdict.FETCH_STABLE,
        bad), Optional.empty());

    assertThat(Files.readAllBytes(file())).isEqualTo(stable);
    assertThat(store.previous(CHANNEL)).as("the revoked file is never kept to come back").isEmpty();
  }

  @Test
  void aRevocationWithNothingKeptPullsTheStableOciRevisionByItsDigest() throws Exception {
    byte[] stable = "v1 rules from a registry".getBytes(StandardCharsets.UTF_8);
    String stableDigest = publishOci(stable, FILE, registry);
    String bad = publish("v2 rules that crash".getBytes(StandardCharsets.UTF_8), FILE);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(bad, "10m")), Optional.empty());

    executor.execute(CHANNEL, new ChannelAction.Revert(revocation(bad, stableDigest), Revocation.Verdict.FETCH_STABLE,
        bad), Optional.empty());

    assertThat(Files.readAllBytes(file())).isEqualTo(stable);
    assertThat(store.state(CHANNEL).revision()).isEqualTo(stableDigest);
  }

  @Test
  void removeDeletesTheFileAndTheReport() throws IOException {
    String digest = publish("v1 rules".getBytes(StandardCharsets.UTF_8), FILE);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(digest, "0s")), Optional.empty());

    Optional<AgentReport> report = executor.execute(CHANNEL, new ChannelAction.Remove(true), Optional.empty());

    assertThat(report).isEmpty();
    assertThat(store.current(CHANNEL)).isEmpty();
    assertThat(reported()).isEmpty();
  }

  @Test
  void anEventOlderThanTheAgentsOwnReportDoesNotHideIt() throws IOException {
    NodeContent before = client.resources(NodeContent.class).withName(node).get();
    String digest = publish("v1 rules".getBytes(StandardCharsets.UTF_8), FILE);
    executor.execute(CHANNEL, new ChannelAction.Apply(assignment(digest, "0s")), Optional.empty());

    assertThat(executor.reported(CHANNEL, Optional.of(before)))
        .hasValueSatisfying(r -> assertThat(r.applied(digest)).isTrue());
  }

  private Path file() {
    return dir.resolve("content").resolve(CHANNEL).resolve(FILE);
  }

  private Optional<AgentReport> reported() {
    return NodeContents.report(client.resources(NodeContent.class).withName(node).get(), CHANNEL);
  }

  private String publish(byte[] bytes, String fileName) {
    String digest = Digests.sha256Hex(bytes);
    publishAs(digest, bytes, fileName);
    return digest;
  }

  /** A snapshot named for {@code digest} holding {@code bytes}, as the operator writes one (or a forger). */
  private void publishAs(String digest, byte[] bytes, String fileName) {
    client.configMaps().inNamespace("snapshots").resource(new ConfigMapBuilder().withNewMetadata()
        .withName(SnapshotFormat.name(CHANNEL, digest)).withNamespace("snapshots")
        .addToAnnotations(SnapshotFormat.FILE_NAME_ANNOTATION, fileName).endMetadata()
        .addToBinaryData(SnapshotFormat.CONTENT_KEY, Base64.getEncoder().encodeToString(bytes)).build()).serverSideApply();
  }

  /** The bytes pushed to {@code to} with the ORAS SDK, and a snapshot pointing at the artifact, as the operator writes one. */
  private String publishOci(byte[] bytes, String fileName, RegistryServer to) throws IOException {
    String digest = Digests.sha256Hex(bytes);
    Path file = Files.write(dir.resolve(fileName + "-" + digest.substring(0, 8)), bytes);
    String reference = new OciArtifacts(to).push("content/" + CHANNEL, "v-" + digest.substring(0, 8), file);
    client.configMaps().inNamespace("snapshots").resource(new ConfigMapBuilder().withNewMetadata()
        .withName(SnapshotFormat.name(CHANNEL, digest)).withNamespace("snapshots")
        .addToAnnotations(SnapshotFormat.FILE_NAME_ANNOTATION, fileName)
        .addToAnnotations(SnapshotFormat.OCI_REFERENCE_ANNOTATION, reference).endMetadata().build()).serverSideApply();
    return digest;
  }

  private static Assignment assignment(String digest, String confirmAfter) {
    return new Assignment(digest, "canary", SnapshotFormat.reference("snapshots", CHANNEL, digest), "boot-1", true,
        NOW.toString(), null, confirmAfter);
  }

  private static Revocation revocation(String revoked, String stable) {
    return new Revocation(CHANNEL, List.of(revoked), Optional.of(new Revocation.Stable(stable,
        SnapshotFormat.reference("snapshots", CHANNEL, stable), null, null, null, null)), "RolledBack");
  }
}
