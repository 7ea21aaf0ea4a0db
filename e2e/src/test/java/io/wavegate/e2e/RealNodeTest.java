package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.Digests;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.e2e.support.AuditLog;
import io.wavegate.realnode.RealNodeCluster;
import io.wavegate.sim.Chart;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real-node tier: wavegate installed by {@code helm install} on a cluster with a real kubelet,
 * containerd and runc on this machine, its operator and agent running as pods from the images the
 * project builds, beside kwok nodes that complete the fleet's pools (their agents run the real
 * agent code with tokens bound to the DaemonSet's pods there). A consumer pod on the real node
 * reads the content through a hostPath and crashes on bad content. The scenarios run in order on
 * one cluster, as an SRE would meet them. Skipped, with the reason, where the tier cannot run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeTest {

  static final String SUITE = "RealNodeTest";
  static final String CHANNEL = "sensor-channel-291";
  static final String FILE = "C-00000291.sys";
  static final String SOURCES = Chart.NAMESPACE;
  static final String NODE = RealNodeCluster.NODE;
  static final Duration ROLLOUT = Duration.ofMinutes(3);
  static final int NON_ROOT = 65532;

  static RealNodeCluster cluster;
  static KubernetesClient admin;
  static SimulatedFleet kwokFleet;
  static byte[] stable;
  /** How many requests of the chart's identities the audit log held when `helm uninstall` began. */
  static int requestsBeforeUninstall = Integer.MAX_VALUE;

  @BeforeAll
  static void startCluster() {
    Optional<String> unavailable = RealNodeCluster.unavailable();
    Assumptions.assumeTrue(unavailable.isEmpty(), () -> "real-node tier skipped: " + unavailable.orElseThrow());
    cluster = RealNodeCluster.start(System.out, AuditLog.freshLog(SUITE));
    admin = cluster.admin();
    cluster.labelNode(SimulatedFleet.POOL_LABEL, "canary");
    Chart.Result install = cluster.helmInstall();
    assertThat(install.exitCode()).as(install.output()).isZero();
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", 1);
    pools.put("early", 2);
    pools.put("broad", 2);
    kwokFleet = new SimulatedFleet(admin, "kwok", pools, node -> Chart.asAgentInCurrentPod(admin, node),
        SimulatedFleet.NodeMarks.KWOK);
    cluster.startConsumer("sensors", CHANNEL, FILE);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster == null) {
      return;
    }
    try {
      if (kwokFleet != null) {
        kwokFleet.close();
      }
    } finally {
      cluster.close();
    }
    // Refused once `helm uninstall` began: it deletes the RBAC while the operator's pods still end
    // (their Lease renewals are refused for those seconds, as on any cluster).
    List<AuditLog.Request> unexpected = AuditLog.summarize(SUITE, List.of(
        // theKubeletIssuedTokenNamesTheNode: the real agent pod's token, used on another node's NodeContent
        new AuditLog.ExpectedRefusal("agent", "patch", "wavegate.io/nodecontents/status")), requestsBeforeUninstall);
    assertThat(unexpected).as("requests of the chart's identities the API server refused").isEmpty();
  }

  @Test
  @Order(1)
  void theChartRunsAsPodsOnTheRealNode() {
    Pod operator = cluster.awaitReadyPod("operator", null);
    Pod agent = cluster.awaitReadyPod("agent", null);
    System.out.printf("[real-node] operator pod Ready %d s after creation, agent pod %d s (images pulled from the"
        + " local registry, JVM started, probes passed)%n", RealNodeCluster.secondsToReady(operator),
        RealNodeCluster.secondsToReady(agent));

    assertThat(operator.getSpec().getHostNetwork()).as("the operator is on the pod network").isNotEqualTo(Boolean.TRUE);
    assertThat(operator.getStatus().getPodIP()).startsWith("10.88.");
    assertThat(operator.getSpec().getContainers().get(0).getImage()).startsWith(cluster.image(RealNodeCluster.OPERATOR_IMAGE));
    assertThat(operator.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    String operatorLog = cluster.log(operator, false);
    assertThat(operatorLog).as("reached the API server through the kubernetes Service (10.96.0.1)")
        .doesNotContain("Forbidden").doesNotContain("lost the leader Lease");

    assertThat(agent.getSpec().getPriority()).as("the agent's PriorityClass").isEqualTo(1_000_000);
    assertThat(agent.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(agent.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();

    DaemonSet agents = admin.apps().daemonSets().inNamespace(Chart.NAMESPACE).withName("wavegate-agent").get();
    await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
      DaemonSet current = admin.apps().daemonSets().inNamespace(Chart.NAMESPACE).withName("wavegate-agent").get();
      assertThat(current.getStatus().getNumberReady()).as("agents on the real node and the tainted kwok nodes")
          .isEqualTo(1 + kwokFleet.nodes().size());
    });
    assertThat(agents.getSpec().getTemplate().getSpec().getTolerations()).isNotEmpty();
  }

  @Test
  @Order(3)
  void theKubeletIssuedTokenNamesTheNode() throws IOException {
    Pod agent = cluster.awaitReadyPod("agent", null);
    String token = kubeletToken(agent);
    String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(Serialization.jsonMapper().readTree(claims).path("kubernetes.io").path("node").path("name").asText())
        .isEqualTo(NODE);

    String otherNode = kwokFleet.nodesInPool("early").get(0);
    try (KubernetesClient asRealAgent = io.wavegate.sim.ServiceAccountTokens.clientWithToken(admin, token)) {
      assertThat(catchRefusal(() -> asRealAgent.resources(NodeContent.class).withName(otherNode).subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"channels\":[]}}")))
          .as("the NodeContent policy, from the node name in the kubelet's token")
          .contains(NODE);
    }
  }

  @Test
  @Order(2)
  void aGoodRevisionGoesThroughEveryWaveOntoTheRealDisk() {
    stable = Rollouts.channelFile(33, "");
    String digest = rollout("v33", stable);
    ContentRolloutStatus status = Rollouts.awaitPhase(admin, CHANNEL, digest, RolloutPhase.Succeeded, ROLLOUT);
    assertThat(status.getNodes()).isEqualTo("6/6");
    assertThat(cluster.nodeFile(CHANNEL, FILE)).as("the real agent's file in the hostPath").isEqualTo(stable);
    assertThat(NodeContents.report(admin.resources(NodeContent.class).withName(NODE).get(), CHANNEL).orElseThrow()
        .applied(digest)).isTrue();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.log(consumer(), false)).contains("loaded"));
  }

  @Test
  @Order(4)
  void aZeroFilledFileIsRefusedAtTheGate() {
    String digest = rollout("v34-zero", new byte[42 * 1024]);
    ContentRolloutStatus status = Rollouts.awaitPhase(admin, CHANNEL, digest, RolloutPhase.Rejected, ROLLOUT);
    assertThat(status.getConditions()).anyMatch(c -> c.getType().equals("Validated") && c.getReason().contains("Zero"));
    assertThat(events()).anyMatch(e -> e.getReason().contains("Rejected") || e.getMessage().contains("zero"));
    assertThat(cluster.nodeFile(CHANNEL, FILE)).as("no node saw it: the real disk keeps v33").isEqualTo(stable);
    assertThat(NodeContents.assignment(admin.resources(NodeContent.class).withName(NODE).get(), CHANNEL)
        .orElseThrow().revision()).isNotEqualTo(digest);
  }

  @Test
  @Order(5)
  void aRevisionThatCrashesTheConsumerIsRolledBackOnTheRealNode() {
    int restartsBefore = restarts(consumer());
    byte[] crashing = Rollouts.channelFile(35, RealNodeCluster.CRASH_MARKER);
    // the crash ends the bake (a rollback at once), so a long bake costs nothing here; a short one races the crash
    // to the API server on a busy machine, and a crash that shows up after the bake is too late
    String digest = rollout("v35", crashing, "60s");
    ContentRolloutStatus status = Rollouts.awaitPhase(admin, CHANNEL, digest, RolloutPhase.RolledBack, ROLLOUT);
    await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
        assertThat(restarts(consumer())).as("the consumer crashed and restarted on the real node")
            .isGreaterThan(restartsBefore));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
        assertThat(cluster.log(consumer(), true)).as("the crashed container's log").contains("crashing"));
    assertThat(status.getConditions()).anyMatch(c -> c.getType().equals("Stalled") && c.getReason().contains("Crash"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(cluster.nodeFile(CHANNEL, FILE)).as("the real agent put the stable revision back").isEqualTo(stable));
    for (String node : Stream.concat(kwokFleet.nodesInPool("early").stream(), kwokFleet.nodesInPool("broad").stream())
        .toList()) {
      assertThat(kwokFleet.desiredHistory(node, CHANNEL)).as(node + " is past the canary").doesNotContain(digest);
    }
    await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
        assertThat(cluster.log(consumer(), false)).contains("loaded"));
  }

  @Test
  @Order(6)
  void theOperatorPodDeletedMidRolloutIsRecreatedAndTheRolloutResumes() {
    byte[] next = Rollouts.channelFile(36, "");
    String digest = rollout("v36", next, "20s");
    await().atMost(ROLLOUT).until(() -> {
      ContentRolloutStatus status = Rollouts.status(admin, CHANNEL);
      return digest.equals(status.getRevisionDigest()) && "canary".equals(status.getCurrentWaveName());
    });
    Pod leader = cluster.awaitReadyPod("operator", null);
    admin.resource(leader).withGracePeriod(0).delete();
    Pod replacement = cluster.awaitReadyPod("operator", leader.getMetadata().getName());
    System.out.printf("[real-node] operator pod deleted mid-rollout; %s Ready %d s after the Deployment created it%n",
        replacement.getMetadata().getName(), RealNodeCluster.secondsToReady(replacement));
    Rollouts.awaitPhase(admin, CHANNEL, digest, RolloutPhase.Succeeded, ROLLOUT);
    assertThat(cluster.nodeFile(CHANNEL, FILE)).isEqualTo(next);
    stable = next;
  }

  @Test
  @Order(7)
  void theAgentKilledAndRestartedReportsFromDiskWithoutRefetching() throws Exception {
    Pod agent = cluster.awaitReadyPod("agent", null);
    int restarts = restarts(agent);
    BasicFileAttributes before = Files.readAttributes(cluster.nodePath(CHANNEL, FILE), BasicFileAttributes.class);
    String reportBefore = Serialization.asJson(NodeContents.report(admin.resources(NodeContent.class).withName(NODE)
        .get(), CHANNEL).orElseThrow());

    long fetchesBefore = snapshotFetchesByAgents();
    Process kill = new ProcessBuilder("pkill", "-KILL", "-f", "io.wavegate.agent.AgentMain").inheritIO().start();
    assertThat(kill.waitFor()).as("the agent's JVM found and killed on the host").isZero();
    await().atMost(RealNodeCluster.POD_READY).untilAsserted(() -> {
      Pod current = admin.resource(agent).get();
      assertThat(restarts(current)).isGreaterThan(restarts);
      assertThat(RealNodeCluster.ready(current)).isTrue();
    });
    Pod restarted = admin.resource(agent).get();
    String log = cluster.log(restarted, false);
    assertThat(log).as("the restarted agent's log").contains("wavegate agent on node " + NODE);
    assertThat(snapshotFetchesByAgents()).as("snapshot reads by agents in the audit log").isEqualTo(fetchesBefore);
    BasicFileAttributes after = Files.readAttributes(cluster.nodePath(CHANNEL, FILE), BasicFileAttributes.class);
    assertThat(after.fileKey()).as("the same file, not written again").isEqualTo(before.fileKey());
    assertThat(after.lastModifiedTime()).isEqualTo(before.lastModifiedTime());
    assertThat(Serialization.asJson(NodeContents.report(admin.resources(NodeContent.class).withName(NODE).get(),
        CHANNEL).orElseThrow())).isEqualTo(reportBefore);
  }

  @Test
  @Order(8)
  void helmUpgradeRollsThePodsWithoutDeliveringContentAgain() throws Exception {
    Pod operator = cluster.awaitReadyPod("operator", null);
    Pod agent = cluster.awaitReadyPod("agent", null);
    BasicFileAttributes before = Files.readAttributes(cluster.nodePath(CHANNEL, FILE), BasicFileAttributes.class);
    String assigned = NodeContents.assignment(admin.resources(NodeContent.class).withName(NODE).get(), CHANNEL)
        .orElseThrow().revision();

    Chart.Result upgrade = cluster.helmUpgrade("operator.logLevel=DEBUG", "agent.logLevel=DEBUG", "operator.replicas=2");
    assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
    restartKwokAgents();
    assertThat(cluster.podsOnNode("operator")).extracting(p -> p.getMetadata().getName())
        .doesNotContain(operator.getMetadata().getName());
    assertThat(cluster.podsOnNode("agent")).extracting(p -> p.getMetadata().getName())
        .doesNotContain(agent.getMetadata().getName());
    await().atMost(Duration.ofMinutes(2)).until(() -> cluster.podsOnNode("operator").stream()
        .filter(RealNodeCluster::ready).count() == 2);

    BasicFileAttributes after = Files.readAttributes(cluster.nodePath(CHANNEL, FILE), BasicFileAttributes.class);
    assertThat(after.fileKey()).isEqualTo(before.fileKey());
    assertThat(after.lastModifiedTime()).as("content not delivered again").isEqualTo(before.lastModifiedTime());
    assertThat(NodeContents.assignment(admin.resources(NodeContent.class).withName(NODE).get(), CHANNEL).orElseThrow()
        .revision()).isEqualTo(assigned);
    assertThat(Rollouts.status(admin, CHANNEL).getPhase()).isEqualTo(RolloutPhase.Succeeded);

    List<Pod> operators = cluster.podsOnNode("operator");
    assertThat(evicted(operators.get(0))).isTrue();
    assertThat(evicted(operators.get(1))).as("the PodDisruptionBudget keeps one operator while the other is gone")
        .isFalse();
  }

  @Test
  @Order(9)
  void aNonRootAgentWritesTheHostPathItsUserOwns() throws Exception {
    // docs/install.md: the node's directory handed to the agent's user, then the agent run as that user
    Path contentDir = cluster.contentDir();
    try (Stream<Path> paths = Files.walk(contentDir)) {
      for (Path path : paths.toList()) {
        Files.setAttribute(path, "unix:uid", NON_ROOT);
        Files.setAttribute(path, "unix:gid", NON_ROOT);
      }
    }
    Chart.Result upgrade = cluster.helmUpgrade("operator.replicas=2", "agent.securityContext.runAsUser=" + NON_ROOT,
        "agent.securityContext.runAsGroup=" + NON_ROOT);
    assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
    restartKwokAgents();
    await().atMost(RealNodeCluster.POD_READY).until(() -> cluster.podsOnNode("agent").stream()
        .anyMatch(p -> RealNodeCluster.ready(p) && Long.valueOf(NON_ROOT).equals(
            p.getSpec().getSecurityContext().getRunAsUser())));

    byte[] next = Rollouts.channelFile(37, "");
    String digest = rollout("v37", next);
    Rollouts.awaitPhase(admin, CHANNEL, digest, RolloutPhase.Succeeded, ROLLOUT);
    assertThat(cluster.nodeFile(CHANNEL, FILE)).isEqualTo(next);
    assertThat(Files.getAttribute(cluster.nodePath(CHANNEL, FILE), "unix:uid")).as("written by the non-root agent")
        .isEqualTo(NON_ROOT);
    stable = next;
  }

  @Test
  @Order(10)
  void helmUninstallKeepsTheSnapshots() {
    // the last Succeeded prunes older snapshots (snapshotHistory): compare with the set once that is done
    List<List<String>> reads = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
      reads.add(admin.configMaps().inNamespace(Chart.SNAPSHOTS).list().getItems().stream()
          .map(c -> c.getMetadata().getName()).sorted().toList());
      return reads.size() > 1 && reads.get(reads.size() - 1).equals(reads.get(reads.size() - 2));
    });
    List<String> snapshots = reads.get(reads.size() - 1);
    assertThat(snapshots).contains("wavegate-" + CHANNEL + "-" + Digests.shortRevision(Digests.sha256Hex(stable)));
    requestsBeforeUninstall = AuditLog.read(SUITE).size();
    Chart.Result uninstall = cluster.helmUninstall();
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    await().atMost(Duration.ofMinutes(1)).until(() -> cluster.podsOnNode("agent").isEmpty()
        && cluster.podsOnNode("operator").isEmpty());
    assertThat(admin.configMaps().inNamespace(Chart.SNAPSHOTS).list().getItems())
        .extracting(c -> c.getMetadata().getName()).containsAll(snapshots);
    assertThat(admin.resources(io.wavegate.api.ContentRollout.class).withName(CHANNEL).get()).isNotNull();
    assertThat(cluster.nodeFile(CHANNEL, FILE)).as("the content already on the node stays").isEqualTo(stable);
  }

  private static String rollout(String version, byte[] bytes) {
    return rollout(version, bytes, "3s");
  }

  private static String rollout(String version, byte[] bytes, String canaryBake) {
    String digest = Rollouts.publish(admin, SOURCES, "channel-291-" + version, FILE, bytes);
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(SOURCES, "channel-291-" + version, FILE),
        canaryBake, null);
    spec.getStrategy().getHealthGates().setProgressDeadline("2m");
    Rollouts.apply(admin, CHANNEL, spec);
    return digest;
  }


  private static Pod consumer() {
    return admin.pods().inNamespace("sensors").withName("sensor").get();
  }

  private static int restarts(Pod pod) {
    return pod.getStatus().getContainerStatuses().isEmpty() ? 0
        : pod.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private static List<Event> events() {
    return admin.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> CHANNEL.equals(e.getInvolvedObject().getName())).toList();
  }

  /**
   * The DaemonSet replaced its pods on the kwok nodes too: their agents start again, each with a token
   * bound to its new pod (the old pod's token stops working when the pod is deleted).
   */
  private static void restartKwokAgents() {
    for (String node : kwokFleet.nodes()) {
      kwokFleet.silence(node);
      kwokFleet.revive(node);
    }
  }

  /** How often agents read a snapshot, from the API server's audit log (written as requests complete). */
  private static long snapshotFetchesByAgents() {
    return AuditLog.read(SUITE).stream().filter(r -> r.identity().equals("agent") && r.verb().equals("get")
        && r.namespace().equals(Chart.SNAPSHOTS)).count();
  }

  /** The token the kubelet projected into the pod, read from the node's disk where the kubelet keeps it. */
  private static String kubeletToken(Pod pod) throws IOException {
    Path volumes = cluster.kubeletPodDir(pod).resolve("volumes/kubernetes.io~projected");
    try (Stream<Path> files = Files.walk(volumes)) {
      Path token = files.filter(p -> p.getFileName().toString().equals("token")).findFirst().orElseThrow();
      return Files.readString(token).strip();
    }
  }

  /**
   * As `kubectl drain` evicts: one try; false when the API server answers 429 because of a disruption
   * budget (the client's default would retry that until the budget allows it).
   */
  private static boolean evicted(Pod pod) {
    Eviction eviction = new EvictionBuilder().withNewMetadata().withName(pod.getMetadata().getName())
        .withNamespace(pod.getMetadata().getNamespace()).endMetadata().build();
    try (KubernetesClient once = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
        .withRequestRetryBackoffLimit(0).build()).build()) {
      return once.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .evict(eviction);
    }
  }

  private static String catchRefusal(Runnable call) {
    try {
      call.run();
    } catch (KubernetesClientException e) {
      return e.getMessage();
    }
    throw new AssertionError("the call was not refused");
  }
}
