package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.NodeContent;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.ContractDriver;
import io.wavegate.sim.JarProcess;
import io.wavegate.sim.ServiceAccountTokens;
import io.wavegate.e2e.support.Signing;
import io.wavegate.sim.Kubelet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node contract's conformance kit: its scenarios against any agent, started as a command, as
 * csi-sanity does for CSI drivers (docs/node-contract.md#conformance-kit). The chart is installed; the
 * agent authenticates with a token of the chart's agent service account bound to a pod on its node,
 * so every request it makes meets the chart's RBAC and admission policies; the test plays the
 * operator and the node (its disk and its boot ID).
 *
 * <p>The agent under test: {@code -Dwavegate.conformance.agent='COMMAND'} (run by {@code sh -c}), by
 * default the project's own jar. It gets KUBECONFIG, NODE_NAME, WAVEGATE_CONTENT_DIR (where
 * {@code <channel>/<file>} must appear), WAVEGATE_BOOT_ID_FILE (the node's boot ID),
 * WAVEGATE_AGENT_RESYNC (how often to retry a node-local fault) and, for the signature scenario,
 * WAVEGATE_TRUSTED_KEYS_DIR (one PEM public key per file, named by key id).
 */
class AgentConformanceTest {

  static final Duration PATIENCE = Duration.ofSeconds(Long.getLong("wavegate.conformance.patienceSeconds", 30));
  static final String FILE = "C-291.sys";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private static KubernetesClient admin;

  @TempDir
  Path dir;

  private String node;
  private Path disk;
  private Path bootId;
  private ContractDriver driver;
  private final List<Process> agents = new ArrayList<>();

  @BeforeAll
  static void installChart() {
    admin = api.client();
    Chart.install(admin);
  }

  @BeforeEach
  void node() throws IOException {
    String id = UUID.randomUUID().toString().substring(0, 6);
    node = "conformance-" + id;
    admin.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Kubelet.reportStatus(admin, node, true, "boot-a", List.of());
    disk = Files.createDirectories(dir.resolve("disk"));
    bootId = dir.resolve("boot_id");
    Files.writeString(bootId, "boot-a\n");
    driver = new ContractDriver(Chart.asOperator(admin), admin, Chart.SNAPSHOTS, node, "ch-" + id, PATIENCE);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Process agent : agents) {
      agent.destroy();
      if (!agent.waitFor(20, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
    }
  }

  @Test
  void delivery() throws Exception {
    startAgent(Map.of());
    byte[] v1 = bytes("rules v1");
    String digest = driver.snapshot(v1, FILE, Map.of());
    driver.assign(digest, "0s");

    AgentReport report = driver.awaitReport(r -> r.applied(digest));
    assertThat(Files.readAllBytes(file(FILE))).isEqualTo(v1);
    assertThat(report.appliedAt()).as("appliedAt").isNotNull();
    assertThat(report.confirmedAt()).as("confirmAfter 0s: confirmed at once").isNotNull();

    driver.unassign();
    driver.awaitNoReport();
    assertThat(file(FILE)).as("an assignment removed: its content removed").doesNotExist();
  }

  @Test
  void aSnapshotWhoseBytesAreNotTheRevisionIsRefusedAndTheFileKept() throws Exception {
    startAgent(Map.of());
    byte[] v1 = bytes("rules v1");
    driver.delivered(v1, FILE);

    String claimed = "f".repeat(64);
    driver.snapshot(claimed, bytes("zero-filled, say"), FILE, Map.of());
    driver.assign(claimed, "0s");
    assertThat(driver.awaitReport(r -> r.failed(claimed)).reason()).isEqualTo("DigestMismatch");
    assertThat(Files.readAllBytes(file(FILE))).isEqualTo(v1);
  }

  @Test
  void withTrustedKeysUnsignedAndForgedContentIsRefusedAndTheFileKept() throws Exception {
    KeyPair release = Signing.ed25519();
    KeyPair attacker = Signing.ed25519();
    Path keys = Files.createDirectories(dir.resolve("trusted-keys"));
    Files.writeString(keys.resolve("release-2026"), Signing.pem(release));
    startAgent(Map.of("WAVEGATE_TRUSTED_KEYS_DIR", keys.toString()));
    byte[] v1 = bytes("rules v1");
    String signed = driver.snapshot(v1, FILE, Signing.snapshotAnnotations(release, "release-2026", v1));
    driver.assign(signed, "0s");
    driver.awaitReport(r -> r.applied(signed));

    String unsigned = driver.snapshot(bytes("rules v2"), FILE, Map.of());
    driver.assign(unsigned, "0s");
    assertThat(driver.awaitReport(r -> r.failed(unsigned)).reason()).isEqualTo(AgentReport.UNSIGNED);
    byte[] v3 = bytes("rules v3");
    String forged = driver.snapshot(v3, FILE, Signing.snapshotAnnotations(attacker, "release-2026", v3));
    driver.assign(forged, "0s");
    assertThat(driver.awaitReport(r -> r.failed(forged)).reason()).isEqualTo(AgentReport.BAD_SIGNATURE);
    assertThat(Files.readAllBytes(file(FILE))).isEqualTo(v1);
  }

  @Test
  void aRevocationPutsTheStableRevisionBackAtOnceWhateverTheAssignmentSays() throws Exception {
    startAgent(Map.of());
    byte[] stable = bytes("rules v1");
    String stableDigest = driver.delivered(stable, FILE);
    String bad = driver.delivered(bytes("rules v2 that crashes the sensor"), FILE);

    driver.revoke(List.of(bad), Optional.of(stableDigest));
    driver.awaitReport(r -> r.applied(stableDigest));
    assertThat(Files.readAllBytes(file(FILE))).isEqualTo(stable);
    Thread.sleep(3_000); // resyncs, the assignment still naming the revoked revision
    assertThat(Files.readAllBytes(file(FILE))).as("a revoked revision is never applied again").isEqualTo(stable);
  }

  @Test
  void aRevocationWithoutAStableRevisionRemovesTheFileAndTheReport() throws Exception {
    startAgent(Map.of());
    String first = driver.delivered(bytes("the channel's first revision"), FILE);

    driver.revoke(List.of(first), Optional.empty());
    driver.awaitNoReport();
    assertThat(file(FILE)).doesNotExist();
  }

  @Test
  void aRebootWhileTentativeRestoresThePreviousFile() throws Exception {
    Process agent = startAgent(Map.of());
    byte[] v1 = bytes("rules v1");
    String stable = driver.delivered(v1, FILE);
    byte[] v2 = bytes("rules v2 that panics the kernel");
    String crashing = driver.snapshot(v2, FILE, Map.of());
    driver.assign(crashing, "1h");
    assertThat(driver.awaitReport(r -> r.applied(crashing)).confirmedAt()).as("tentative").isNull();

    agent.destroyForcibly().waitFor(); // the node goes down with it
    Files.writeString(bootId, "boot-b\n");
    startAgent(Map.of());

    AgentReport reverted = driver.awaitReport(r -> r.failed(crashing));
    assertThat(reverted.reason()).isEqualTo(AgentReport.REVERTED_AFTER_REBOOT);
    assertThat(Files.readAllBytes(file(FILE))).isEqualTo(v1);
    driver.assign(stable, null);
    driver.awaitReport(r -> r.applied(stable));
  }

  @Test
  void aDiskFaultIsReportedAsTheNodesOwnAndRetried() throws Exception {
    startAgent(Map.of());
    Files.writeString(disk.resolve(driver.channel()), "a file where the channel's directory goes");
    byte[] v1 = bytes("rules v1");
    String digest = driver.snapshot(v1, FILE, Map.of());
    driver.assign(digest, "0s");

    AgentReport fault = driver.awaitReport(r -> r.failed(digest));
    assertThat(AgentReport.NODE_LOCAL_REASONS).as("a node-local reason, not the content's").contains(fault.reason());
    Files.delete(disk.resolve(driver.channel()));
    driver.awaitReport(r -> r.applied(digest));
    assertThat(Files.readAllBytes(file(FILE))).isEqualTo(v1);
  }

  @Test
  void contentNamedLikeBookkeepingIsDeliveredAndDotNamesAreRefused() throws Exception {
    startAgent(Map.of());
    driver.delivered(bytes("x"), "x");
    byte[] second = bytes("x.previous");
    String digest = driver.delivered(second, "x.previous");
    assertThat(Files.readAllBytes(file("x.previous"))).isEqualTo(second);

    String dotted = driver.snapshot(bytes("state?"), ".wavegate-state", Map.of());
    driver.assign(dotted, "0s");
    assertThat(driver.awaitReport(r -> r.failed(dotted)).reason()).isEqualTo(AgentReport.INVALID_FILE_NAME);
    assertThat(Files.readAllBytes(file("x.previous"))).as("nothing written").isEqualTo(second);
    driver.assign(digest, null);
    driver.awaitReport(r -> r.applied(digest));
  }

  @Test
  void nothingIsWrittenAtRest() throws Exception {
    startAgent(Map.of());
    driver.delivered(bytes("rules v1"), FILE);
    Thread.sleep(1_000); // the report of the delivery settles
    String version = admin.resources(NodeContent.class).withName(node).get().getMetadata().getResourceVersion();
    long modified = Files.getLastModifiedTime(file(FILE)).toMillis();

    Thread.sleep(6_000); // several resyncs
    assertThat(admin.resources(NodeContent.class).withName(node).get().getMetadata().getResourceVersion())
        .as("no report written without a change").isEqualTo(version);
    assertThat(Files.getLastModifiedTime(file(FILE)).toMillis()).as("no file written without a change")
        .isEqualTo(modified);
  }

  /** Starts the agent under test with the kit's environment (docs/node-contract.md#conformance-kit). */
  private Process startAgent(Map<String, String> extra) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", ServiceAccountTokens.kubeconfig(admin, Chart.agentToken(admin, node)).toString());
    env.put("NODE_NAME", node);
    env.put("WAVEGATE_CONTENT_DIR", disk.toString());
    env.put("WAVEGATE_BOOT_ID_FILE", bootId.toString());
    env.put("WAVEGATE_AGENT_RESYNC", "1s");
    env.put("WAVEGATE_AGENT_PORT", "0");
    env.putAll(extra);
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", agentCommand()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()));
    builder.environment().putAll(env);
    Process agent = builder.start();
    agents.add(agent);
    await().atMost(PATIENCE).until(() -> agent.isAlive() && Files.exists(dir.resolve("agent.log")));
    return agent;
  }

  /** The command under test, or the project's own agent jar as its DaemonSet runs it. */
  static String agentCommand() {
    String configured = System.getProperty("wavegate.conformance.agent", "");
    if (!configured.isBlank()) {
      return configured;
    }
    return "exec " + Path.of(System.getProperty("java.home"), "bin", "java") + " " + AgentJarTest.documented("AGENT_JVM_FLAGS")
        + " -jar " + JarProcess.Jar.AGENT.path() + " run";
  }

  private Path file(String name) {
    return disk.resolve(driver.channel()).resolve(name);
  }

  private static byte[] bytes(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
