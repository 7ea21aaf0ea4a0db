package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Digests;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.ContractDriver;
import io.wavegate.sim.OciArtifacts;
import io.wavegate.sim.RegistryServer;
import io.wavegate.e2e.support.InstalledProduct;
import io.wavegate.sim.JarProcess;
import io.wavegate.e2e.support.Signing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent's own jar ({@code java -jar wavegate-agent.jar}) as real processes, with the JVM
 * flags the docs give, against a real API server, on a real directory, the test playing the
 * operator by the node contract and playing reboots through the boot ID file.
 */
class AgentJarTest {

  /** The agent's JVM flags as documented (agent/jvm.properties), or -Dwavegate.agent.jvmFlags to try others. */
  static final List<String> AGENT_JVM_FLAGS = List.of(System.getProperty("wavegate.agent.jvmFlags",
      documented("AGENT_JVM_FLAGS")).split(" "));
  static final String NS = "wavegate-system";
  static final String CHANNEL = "sensor";
  static final String FILE = "C-291.sys";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private static KubernetesClient client;

  @TempDir
  Path dir;

  private Path disk;
  private ContractDriver driver;
  private Path bootId;
  private String node;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void cluster() {
    client = api.client();
    api.installCrd();
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
  }

  @BeforeEach
  void node() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(JarProcess.Jar.AGENT.built(), JarProcess.Jar.AGENT.missing());
    node = "node-" + UUID.randomUUID().toString().substring(0, 6);
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    disk = dir.resolve("content");
    bootId = dir.resolve("boot_id");
    Files.writeString(bootId, "boot-a\n");
    driver = new ContractDriver(client, client, NS, node, CHANNEL, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    for (Process process : processes) {
      process.destroy();
      process.waitFor();
    }
    client.nodes().withName(node).delete();
  }

  @Test
  void deliversContentReportsItServesProbesAndMetricsAndPrintsItsMemory() throws Exception {
    int port = InstalledProduct.freePort();
    Process agent = agent(Map.of("WAVEGATE_AGENT_PORT", Integer.toString(port)));
    // near the largest content a snapshot holds (a ConfigMap is at most 1 MiB): the heap must take it
    byte[] content = new byte[900 * 1024];
    new java.util.Random(7).nextBytes(content);
    String digest = driver.snapshot(content, FILE, Map.of());
    driver.assign(digest, "0s");

    AgentReport report = driver.awaitReport(r -> r.applied(digest));
    assertThat(Files.readAllBytes(file())).isEqualTo(content);
    assertThat(report.appliedAt()).isNotNull();
    assertThat(report.confirmedAt()).as("confirmAfter 0s: confirmed at once").isNotNull();
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(port, "/metrics").body())
        .contains("wavegate_agent_content_info{channel=\"sensor\",revision=\"" + Digests.shortRevision(digest)
            + "\",tentative=\"false\"} 1")
        .contains("wavegate_agent_deliveries_total{outcome=\"Applied\"} 1")
        .contains("wavegate_agent_last_apply_timestamp_seconds{channel=\"sensor\"}");

    long busyBefore = cpuTicks(agent);
    Thread.sleep(5000);
    long busyAt = cpuTicks(agent) - busyBefore;
    System.out.println("[figure] wavegate-agent.jar CPU at rest: " + busyAt * 10 + " ms of CPU over 5 s (resync every 1 s"
        + " here, 60 s by default)");
    String rss = Files.readAllLines(Path.of("/proc", Long.toString(agent.pid()), "status")).stream()
        .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM") || l.startsWith("Threads"))
        .reduce((a, b) -> a + ", " + b).orElse("n/a");
    System.out.println("[figure] wavegate-agent.jar resident memory after one delivery (" + String.join(" ", AGENT_JVM_FLAGS)
        + ", " + System.getProperty("wavegate.agent.java", "java") + "): "
        + rss.replaceAll("\\s+", " "));
    if (AGENT_JVM_FLAGS.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"))) {
      // where each megabyte goes, by the JVM's own account (scripts/agent-memory.sh asks for it)
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(agent.pid()), "VM.native_memory", "summary")
          .redirectErrorStream(true).start();
      new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(l -> l.contains("committed=")).forEach(l -> System.out.println("[nmt] " + l.strip()));
      jcmd.waitFor();
    }
  }

  /**
   * OCI content far above the agent's heap (-Xmx24m, exit on OutOfMemoryError) is pulled from a real
   * registry, streamed to disk and checked: one copy in memory would end the process. 64 MiB here;
   * scripts/bench-oci.sh runs it with 256 MiB and reads the figure it prints.
   */
  @Test
  void pullsOciContentFarAboveItsHeapFromARealRegistryAndPrintsItsMemory() throws Exception {
    long size = Long.getLong("wavegate.bench.ociBytes", 64L * 1024 * 1024);
    try (RegistryServer registry = new RegistryServer(false).start()) {
      Process agent = agent(Map.of());
      byte[] small = new byte[1024];
      new java.util.Random(3).nextBytes(small);
      driver.delivered(small, FILE);
      long afterSmall = residentHighWater(agent);

      Path big = OciArtifacts.randomContent(dir.resolve("big.db"), size, 5);
      String digest = Digests.sha256Hex(big);
      driver.ociSnapshot(digest, new OciArtifacts(registry).push("content/big", "v1", big), "big.db");
      driver.assign(digest, "0s");

      driver.awaitReport(r -> r.applied(digest));
      assertThat(agent.isAlive()).as("no OutOfMemoryError: " + JarProcess.log(agent)).isTrue();
      assertThat(Digests.sha256Hex(disk.resolve(CHANNEL).resolve("big.db"))).isEqualTo(digest);
      long afterBig = residentHighWater(agent);
      System.out.printf("[figure] wavegate-agent.jar peak resident memory: %.1f MB after a 1 KiB delivery, %.1f MB"
          + " after pulling %d MiB from the registry: +%.1f MB (%s)%n", afterSmall / 1024.0, afterBig / 1024.0,
          size / (1024 * 1024), (afterBig - afterSmall) / 1024.0, String.join(" ", AGENT_JVM_FLAGS));
    }
  }

  /** {@code wavegate-agent.jar fetch}, as a validator Job's init container runs it: one blob by digest to a file. */
  @Test
  void fetchPullsOneBlobByDigestToAFileAndRefusesOtherBytes() throws Exception {
    try (RegistryServer registry = new RegistryServer(false).start()) {
      Path file = Files.writeString(dir.resolve("policy.json"), "{\"block\": [\"evil.exe\"]}");
      String digest = Digests.sha256Hex(file);
      String reference = new OciArtifacts(registry).push("content/policy", "v1", file);
      Path content = Files.createDirectories(dir.resolve("emptydir"));

      Process fetched = JarProcess.start(api.kubeconfigYaml(), AGENT_JVM_FLAGS, JarProcess.Jar.AGENT,
          List.of("fetch", reference, digest, content.resolve("policy.json").toString()), Map.of());
      assertThat(fetched.waitFor()).as(JarProcess.log(fetched)).isZero();
      assertThat(Digests.sha256Hex(content.resolve("policy.json"))).isEqualTo(digest);

      String other = Digests.sha256Hex("other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Process refused = JarProcess.start(api.kubeconfigYaml(), AGENT_JVM_FLAGS, JarProcess.Jar.AGENT,
          List.of("fetch", reference, other, content.resolve("other.json").toString()),
          Map.of("WAVEGATE_FETCH_TIMEOUT", "3s"));
      assertThat(refused.waitFor()).as("tried again with back-off until its deadline, then failed").isEqualTo(1);
      assertThat(JarProcess.log(refused)).contains("404");
      assertThat(content.resolve("other.json")).doesNotExist();
      try (var left = Files.list(content)) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("policy.json");
      }
    }
  }

  /** VmHWM of a process, in KiB. */
  private static long residentHighWater(Process process) throws java.io.IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
        .filter(l -> l.startsWith("VmHWM")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
  }

  @Test
  void givenTrustedKeysItRefusesUnsignedAndForgedSnapshotsAndKeepsTheFile() throws Exception {
    KeyPair release = Signing.ed25519();
    KeyPair attacker = Signing.ed25519();
    Path keys = Files.createDirectories(dir.resolve("trusted-keys"));
    Files.writeString(keys.resolve("release-2026"), Signing.pem(release));
    agent(Map.of("WAVEGATE_TRUSTED_KEYS_DIR", keys.toString()));

    byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
    String signed = driver.snapshot(v1, FILE, Signing.snapshotAnnotations(release, "release-2026", v1));
    driver.assign(signed, "0s");
    driver.awaitReport(r -> r.applied(signed));
    assertThat(Files.readAllBytes(file())).isEqualTo(v1);

    // someone able to write snapshots and assignments, but not holding the publisher's key
    byte[] v2 = "rules v2: zero-filled".getBytes(StandardCharsets.UTF_8);
    String unsigned = driver.snapshot(v2, FILE, Map.of());
    driver.assign(unsigned, "0s");
    AgentReport refused = driver.awaitReport(r -> r.failed(unsigned));
    assertThat(refused.reason()).isEqualTo(AgentReport.UNSIGNED);
    assertThat(refused.message()).contains("requires a publisher signature");
    assertThat(Files.readAllBytes(file())).isEqualTo(v1);

    byte[] v3 = "rules v3: forged".getBytes(StandardCharsets.UTF_8);
    String forged = driver.snapshot(v3, FILE, Signing.snapshotAnnotations(attacker, "release-2026", v3));
    driver.assign(forged, "0s");
    AgentReport bad = driver.awaitReport(r -> r.failed(forged));
    assertThat(bad.reason()).isEqualTo(AgentReport.BAD_SIGNATURE);
    assertThat(bad.message()).contains("does not verify");
    assertThat(Files.readAllBytes(file())).isEqualTo(v1);
  }

  @Test
  void aRebootWhileTentativeIsUndoneByTheGuardAndTheRevisionIsNeverReappliedOnItsOwn() throws Exception {
    Process agent = agent(Map.of());
    byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
    String stable = driver.delivered(v1, FILE);
    byte[] v2 = "rules v2 that panics the kernel".getBytes(StandardCharsets.UTF_8);
    String crashing = driver.snapshot(v2, FILE, Map.of());
    driver.assign(crashing, "1h");
    AgentReport tentative = driver.awaitReport(r -> r.applied(crashing));
    assertThat(tentative.confirmedAt()).as("tentative for confirmAfter").isNull();
    assertThat(Files.readAllBytes(file())).isEqualTo(v2);

    // the node crashes with it and boots again: the guard runs before the consumer loads anything
    agent.destroyForcibly().waitFor();
    Files.writeString(bootId, "boot-b\n");
    Process guard = guard();
    assertThat(guard.exitValue()).isZero();
    assertThat(Files.readAllBytes(file())).as("the previous file is back").isEqualTo(v1);
    assertThat(JarProcess.log(guard)).contains("restored the previous file of [sensor]");

    agent(Map.of());
    AgentReport reverted = driver.awaitReport(r -> r.failed(crashing));
    assertThat(reverted.reason()).isEqualTo(AgentReport.REVERTED_AFTER_REBOOT);
    assertThat(reverted.message()).contains("boot ID boot-a -> boot-b", "restored the previous file, revision "
        + Digests.shortRevision(stable));
    Thread.sleep(3000); // several resyncs, the assignment unchanged
    assertThat(Files.readAllBytes(file())).as("never re-applied on its own").isEqualTo(v1);
    assertThat(driver.report().orElseThrow().failed(crashing)).isTrue();

    driver.assign(stable, null); // the operator rolls back
    driver.awaitReport(r -> r.applied(stable));
    assertThat(Files.readAllBytes(file())).isEqualTo(v1);
  }

  @Test
  void aRevisionConfirmedAfterConfirmAfterSurvivesALaterReboot() throws Exception {
    Process agent = agent(Map.of());
    driver.delivered("rules v1".getBytes(StandardCharsets.UTF_8), FILE);
    byte[] v2 = "rules v2".getBytes(StandardCharsets.UTF_8);
    String good = driver.snapshot(v2, FILE, Map.of());
    driver.assign(good, "2s");
    AgentReport confirmed = await().atMost(Duration.ofSeconds(20)).until(
        () -> driver.report().orElse(null),
        r -> r != null && r.applied(good) && r.confirmedAt() != null);
    assertThat(Instant.parse(confirmed.confirmedAt())).isAfterOrEqualTo(Instant.parse(confirmed.appliedAt()).plusSeconds(2));

    agent.destroyForcibly().waitFor();
    Files.writeString(bootId, "boot-b\n");
    assertThat(guard().exitValue()).isZero();
    assertThat(Files.readAllBytes(file())).as("a confirmed revision stays").isEqualTo(v2);
  }

  @Test
  void aFailingApplyHookRestoresThePreviousFileAndReportsItsOutput() throws Exception {
    Path hook = dir.resolve("reload-sensor.sh");
    Files.writeString(hook, """
        #!/bin/sh
        if grep -q broken "$WAVEGATE_FILE"; then
          echo "sensor: cannot load $WAVEGATE_FILE at revision $WAVEGATE_REVISION" >&2
          exit 4
        fi
        echo "$WAVEGATE_REVISION" >> "$(dirname "$0")/reloaded"
        """);
    hook.toFile().setExecutable(true);
    agent(Map.of("WAVEGATE_APPLY_HOOK", hook.toString(), "WAVEGATE_APPLY_HOOK_TIMEOUT", "10s"));

    byte[] v1 = "rules v1".getBytes(StandardCharsets.UTF_8);
    String good = driver.delivered(v1, FILE);
    assertThat(Files.readString(dir.resolve("reloaded")).trim()).isEqualTo(good);

    byte[] v2 = "rules v2 broken".getBytes(StandardCharsets.UTF_8);
    String broken = driver.snapshot(v2, FILE, Map.of());
    driver.assign(broken, "0s");
    AgentReport refused = driver.awaitReport(r -> r.failed(broken));
    assertThat(refused.reason()).isEqualTo(AgentReport.HOOK_FAILED);
    assertThat(refused.message()).contains("apply hook exited 4: sensor: cannot load", broken,
        "restored the previous file, revision " + Digests.shortRevision(good));
    assertThat(Files.readAllBytes(file())).isEqualTo(v1);
  }

  private Process agent(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("NODE_NAME", node, "WAVEGATE_CONTENT_DIR", disk.toString(),
        "WAVEGATE_BOOT_ID_FILE", bootId.toString(), "WAVEGATE_AGENT_RESYNC", "1s", "WAVEGATE_AGENT_PORT", "0"));
    env.putAll(extra);
    Process process = JarProcess.start(api.kubeconfigYaml(), AGENT_JVM_FLAGS, JarProcess.Jar.AGENT, List.of("run"), env);
    processes.add(process);
    return process;
  }

  /** {@code wavegate-agent.jar guard}, as an init container runs it: the disk and the boot ID only. */
  private Process guard() throws Exception {
    Process guard = JarProcess.start(api.kubeconfigYaml(), AGENT_JVM_FLAGS, JarProcess.Jar.AGENT, List.of("guard"),
        Map.of("WAVEGATE_CONTENT_DIR", disk.toString(), "WAVEGATE_BOOT_ID_FILE", bootId.toString()));
    guard.waitFor();
    return guard;
  }

  private Path file() {
    return disk.resolve(CHANNEL).resolve(FILE);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A value of agent/jvm.properties, where the agent's JVM flags and runtime modules are written once. */
  static String documented(String key) {
    java.util.Properties properties = new java.util.Properties();
    try (var in = Files.newInputStream(ApiServer.repoRoot().resolve("agent/jvm.properties"))) {
      properties.load(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return properties.getProperty(key);
  }

  /** utime + stime of a process, in clock ticks (1/100 s). */
  private static long cpuTicks(Process process) throws Exception {
    String[] stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")).split("\\) ", 2)[1].split(" ");
    return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
  }
}
