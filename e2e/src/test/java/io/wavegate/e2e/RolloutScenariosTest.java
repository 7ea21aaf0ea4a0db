package io.wavegate.e2e;

import io.wavegate.contract.NodeContent;

import io.wavegate.contract.Digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.ValidationSpec;
import io.wavegate.api.ValidatorJobSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.AuditLog;
import io.wavegate.e2e.support.ArgoCd;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.RefusedOperatorWrites;
import io.wavegate.e2e.support.JobController;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator in-process against a real API server, with a simulated fleet in three pools whose
 * agents follow the node contract. Each test has its own nodes and channel.
 *
 * <p>The Helm chart is installed first, and the operator and the agents run with the chart's least
 * privilege: the operator's client holds a real token of the operator's service account, each agent
 * one of the agent's service account bound to the DaemonSet's pod on its node. So every scenario also proves that the
 * chart's RBAC and Node admission policies allow all the writes wavegate needs. The test itself
 * (playing the platform team, kubelets and crashing workloads) uses the admin client.
 */
class RolloutScenariosTest {

  static final String NS = Chart.NAMESPACE;

  /** One scenario names a source namespace the chart does not bind the operator in: RBAC refuses the read. */
  @RegisterExtension
  static final ApiServer api = new ApiServer(List.of(new AuditLog.ExpectedRefusal("operator", "get", "configmaps")));

  private static KubernetesClient client;
  private WavegateOperator operator;
  private SimpleMeterRegistry registry;
  private SimulatedFleet fleet;
  private String id;

  @BeforeAll
  static void installChart() {
    client = api.client();
    Chart.install(client);
  }

  @BeforeEach
  void startOperatorAndFleet() {
    id = "t" + UUID.randomUUID().toString().substring(0, 6);
    operator = startOperator();
    fleet = new SimulatedFleet(client, id, orderedPools(2, 3, 4), node -> Chart.asAgentOn(client, node));
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    fleet.close();
  }

  @Test
  void goodContentGoesThroughThreeWaves() throws Exception {
    String digest = content("good", bytes("rules v1"));
    create(rollout(id, digest, "good", "0s"));

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Succeeded);

    assertThat(status.getStableDigest()).isEqualTo(digest);
    assertThat(status.getNodes()).isEqualTo("9/9");
    assertThat(status.getWaves()).extracting(w -> w.getPhase()).containsOnly("Completed");
    assertThat(status.getWaves()).extracting(w -> w.getUpdated()).containsExactly(2, 3, 4);
    assertThat(condition(status, "Ready")).isEqualTo("True");
    assertThat(condition(status, "Stalled")).isEqualTo("False");
    assertThat(argoCdHealth(id).status()).isEqualTo("Healthy");
    for (String node : fleet.nodes()) {
      assertThat(fleet.assignedShort(node, id)).isEqualTo(digest.substring(0, 12));
      assertThat(fleet.report(node, id).applied(digest)).isTrue();
      assertThat(fleet.desiredHistory(node, id)).as("writes on " + node).containsExactly(digest);
      assertThat(java.nio.file.Files.readAllBytes(fleet.contentDir(node).resolve(id).resolve("C-00000291.sys")))
          .as("file on " + node + "'s disk").isEqualTo(bytes("rules v1"));
    }
    assertThat(events(id)).contains("Validated", "WaveStarted", "WaveCompleted", "Succeeded");
    assertThat(registry.get("wavegate_node_writes").tag("rollout", id).counter().count())
        .as("one patch per node, in batches of 2 across reconciles").isEqualTo(9);
    assertThat(registry.get("wavegate_planning").tag("rollout", id).timer().count())
        .as("every reconcile of the rollout times its planning").isGreaterThanOrEqualTo(4);

    double succeeded = succeededGauge();
    client.resources(ContentRollout.class).withName(id).delete();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(succeededGauge()).as("a deleted rollout leaves wavegate_rollouts").isEqualTo(succeeded - 1));
  }

  /** What Argo CD shows for the rollout with the health check of gitops/argocd/argocd-cm-patch.yaml. */
  private static ArgoCd.Health argoCdHealth(String name) {
    return ArgoCd.health(client.resources(ContentRollout.class).withName(name).get());
  }

  private double succeededGauge() {
    return registry.get("wavegate_rollouts").tag("phase", "Succeeded").gauge().value();
  }

  @Test
  void allZeroContentWithItsCorrectDigestIsRejectedAndNoNodeIsTouched() {
    String digest = content("zeros", new byte[42 * 1024]);
    create(rollout(id, digest, "zeros", "0s"));

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Rejected);

    assertThat(validated(status).getReason()).isEqualTo("ZeroFilled");
    assertThat(validated(status).getMessage()).isEqualTo("content is 43008 bytes, all of them zero");
    assertThat(condition(status, "Stalled")).isEqualTo("True");
    assertThat(argoCdHealth(id)).isEqualTo(new ArgoCd.Health("Degraded",
        "Rejected: content is 43008 bytes, all of them zero"));
    assertNoNodeTouched();
    assertThat(events(id)).contains("Rejected");
  }

  @Test
  void digestMismatchIsRejectedWithBothDigests() {
    String real = content("mismatch", bytes("rules v2"));
    String claimed = Digests.sha256Hex(bytes("something else"));
    create(rollout(id, claimed, "mismatch", "0s"));

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Rejected);

    assertThat(validated(status).getReason()).isEqualTo("DigestMismatch");
    assertThat(validated(status).getMessage()).contains(real).contains(claimed);
    assertNoNodeTouched();
  }

  @Test
  void aCanaryRebootRollsEverythingBackAndNoNodeOutsideTheCanaryIsEverAssigned() {
    String digest = content("crashy", bytes("rules that panic the kernel"));
    create(rollout(id, digest, "crashy", "1h"));
    List<String> canary = fleet.nodesInPool("canary");
    await().atMost(Duration.ofSeconds(30)).until(() -> canary.stream().allMatch(n -> applied(n, digest)));
    assertThat(argoCdHealth(id).status()).as("baking in the canary").isEqualTo("Progressing");

    fleet.reboot(canary.get(0));

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.RolledBack);
    assertThat(argoCdHealth(id).status()).isEqualTo("Degraded");
    assertThat(argoCdHealth(id).message()).startsWith("NodesRebooted: ").contains(canary.get(0));
    assertThat(status.getFailedRevisions()).containsExactly(digest);
    assertThat(stalled(status).getReason()).isEqualTo("NodesRebooted");
    assertThat(stalled(status).getMessage()).contains(canary.get(0));
    for (String node : fleet.nodes()) {
      assertThat(fleet.assignedShort(node, id)).as(node).isNull();
      if (!canary.contains(node)) {
        assertThat(fleet.desiredHistory(node, id)).as("never assigned: " + node).isEmpty();
      }
    }
    assertThat(events(id)).contains("RollbackStarted", "RolledBack");
    assertThat(registry.get("wavegate_breach_to_decision").timer().count()).isEqualTo(1);
    assertThat(registry.get("wavegate_rollbacks").tag("rollout", id).tag("reason", "NodesRebooted").counter().count()).isEqualTo(1);
  }

  @Test
  void operatorRestartedMidWaveCompletesWithEachNodePatchedOnce() {
    String digest = content("restart", bytes("rules v3"));
    ContentRollout rollout = rollout(id, digest, "restart", "0s");
    rollout.getSpec().getStrategy().getWaves().get(1).setBakeTime("3s");
    create(rollout);
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.nodesInPool("early").stream().allMatch(n -> applied(n, digest)));

    operator.close();
    operator = startOperator();

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Succeeded);
    assertThat(status.getNodes()).isEqualTo("9/9");
    for (String node : fleet.nodes()) {
      assertThat(fleet.desiredHistory(node, id)).as("writes on " + node).containsExactly(digest);
    }
  }

  @Test
  void aCrashOnlyInTheSecondWaveRevertsBothWavesToTheStableRevision() throws Exception {
    String good = content("v1", bytes("rules v1"));
    create(rollout(id, good, "v1", "0s"));
    awaitPhase(id, RolloutPhase.Succeeded);

    String bad = content("v2", bytes("rules v2 that crash the sensor"));
    ContentRollout next = rollout(id, bad, "v2", "0s");
    next.getSpec().getStrategy().getWaves().get(1).setBakeTime("1h");
    update(next);
    List<String> early = fleet.nodesInPool("early");
    await().atMost(Duration.ofSeconds(30)).until(() -> early.stream().allMatch(n -> applied(n, bad)));

    fleet.crashPod(early.get(1), "default", "sensor");

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.RolledBack);
    assertThat(stalled(status).getReason()).isEqualTo("PodsCrashing");
    assertThat(status.getStableDigest()).isEqualTo(good);
    assertThat(status.getFailedRevisions()).containsExactly(bad);
    for (String node : fleet.nodes()) {
      assertThat(fleet.assignedShort(node, id)).as(node).isEqualTo(good.substring(0, 12));
      assertThat(fleet.report(node, id).applied(good)).as(node).isTrue();
      assertThat(java.nio.file.Files.readString(fleet.contentDir(node).resolve(id).resolve("C-00000291.sys")))
          .as("file on " + node + "'s disk").isEqualTo("rules v1");
    }
    for (String node : fleet.nodesInPool("broad")) {
      assertThat(fleet.desiredHistory(node, id)).as("broad never got the bad revision").containsExactly(good);
    }
  }

  @Test
  void aNodeDownBeforeItsWaveIsSkippedNeverBlamedAndServedWhenItIsBack() {
    String broadNode = fleet.nodesInPool("broad").get(0);
    fleet.setReady(broadNode, false);
    fleet.silence(broadNode); // its agent is down with it
    String digest = content("v1", bytes("rules v1"));
    create(rollout(id, digest, "v1", "0s"));

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Succeeded);
    assertThat(status.getHealth().getUnreadyNodes()).isZero();
    assertThat(condition(status, "Stalled")).isEqualTo("False");
    assertThat(status.getNodes()).isEqualTo("8/9 (1 unavailable)");
    assertThat(status.getWaves().get(2).getUnavailable()).isEqualTo(1);
    assertThat(fleet.desiredHistory(broadNode, id)).as("not assigned while down").isEmpty();

    fleet.revive(broadNode);
    fleet.setReady(broadNode, true);

    await().atMost(Duration.ofSeconds(30)).until(() -> applied(broadNode, digest));
    await().atMost(Duration.ofSeconds(10)).until(() -> "9/9".equals(status(id).getNodes()));
    assertThat(fleet.desiredHistory(broadNode, id)).containsExactly(digest);
  }

  @Test
  void aWaveWithMoreDownNodesThanItsBudgetWaitsWithAReasonAndDoesNotRollBack() {
    List<String> canary = fleet.nodesInPool("canary");
    fleet.setReady(canary.get(0), false);
    String digest = content("v1", bytes("rules v1"));
    ContentRollout rollout = rollout(id, digest, "v1", "0s");
    rollout.getSpec().getStrategy().setMaxUnavailableNodes(new IntOrString(0));
    create(rollout);

    await().atMost(Duration.ofSeconds(30)).until(() -> status(id) != null && status(id).getWait() != null);
    ContentRolloutStatus waiting = status(id);
    assertThat(waiting.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(waiting.getWait().getReason()).isEqualTo("UnavailableNodes");
    assertThat(waiting.getWait().getNodes()).containsExactly(canary.get(0));
    assertThat(waiting.getWait().getMessage()).contains("wave canary waits: 1 of its 2 node(s) are not Ready")
        .contains("maxUnavailableNodes (0) allows 0");
    assertThat(condition(waiting, "Reconciling")).isEqualTo("True");
    assertThat(condition(waiting, "Stalled")).isEqualTo("False");
    assertThat(events(id)).contains("WaveWaiting");
    assertNoNodeTouched();

    fleet.setReady(canary.get(0), true);

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Succeeded);
    assertThat(status.getNodes()).isEqualTo("9/9");
    assertThat(status.getWait()).isNull();
  }

  @Test
  void aPoisonSelectorStoredUnderAnOlderCrdIsStalledAndAHealthyRolloutBesideItStillRollsBackAtOnce() {
    String poison = id + "-poison";
    createUnderALaxCrd(poisonRollout(poison));
    await().atMost(Duration.ofSeconds(30)).until(() -> status(poison) != null && status(poison).getStall() != null);
    assertThat(status(poison).getStall().getReason()).isEqualTo("InvalidSpec");
    assertThat(status(poison).getStall().getMessage())
        .contains("spec.nodeSelector: matchExpressions key fleet: operator Matches is not one of");
    assertThat(condition(status(poison), "Stalled")).isEqualTo("True");
    assertThat(events(poison)).contains("InvalidSpec");

    String digest = content("crashy", bytes("rules that panic the kernel"));
    create(rollout(id, digest, "crashy", "1h"));
    List<String> canary = fleet.nodesInPool("canary");
    await().atMost(Duration.ofSeconds(30)).until(() -> canary.stream().allMatch(n -> applied(n, digest)));
    for (int i = 0; i < 20; i++) {
      fleet.setReady(fleet.nodesInPool("broad").get(i % 4), i % 2 == 0); // node events the poison rollout sees too
    }

    fleet.reboot(canary.get(0));

    await().atMost(Duration.ofSeconds(5)).until(() -> status(id).getPhase() == RolloutPhase.RollingBack
        || status(id).getPhase() == RolloutPhase.RolledBack);
    assertThat(registry.get("wavegate_breach_to_decision").timer().max(java.util.concurrent.TimeUnit.SECONDS))
        .as("breach to rollback decision, seconds").isLessThan(1.0);
    client.resources(ContentRollout.class).withName(poison).delete();
  }

  @Test
  void aForbiddenSourceNamesTheNamespaceAndPermissionInStatusAndRecoversOnceGranted() {
    String locked = id + "-locked";
    client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(locked)
        .endMetadata().build()).create();
    byte[] rules = bytes("rules in a namespace the operator may not read yet");
    client.configMaps().inNamespace(locked).resource(new ConfigMapBuilder().withNewMetadata().withName("rules")
        .endMetadata().addToBinaryData("C-00000291.sys", Base64.getEncoder().encodeToString(rules)).build()).create();
    operator.close();
    operator = startOperator(java.util.Set.of(NS, locked));
    ContentRollout rollout = rollout(id, Digests.sha256Hex(rules), "unused", "0s");
    rollout.getSpec().getContent().getSource().setConfigMapRef(new KeyRef(locked, "rules", "C-00000291.sys"));
    create(rollout);

    await().atMost(Duration.ofSeconds(30)).until(() -> status(id) != null && status(id).getError() != null);
    ContentRolloutStatus status = status(id);
    assertThat(status.getError().getReason()).as(status.getError().getMessage()).isEqualTo("SourceForbidden");
    assertThat(stalled(status).getReason()).isEqualTo("SourceForbidden");
    assertThat(stalled(status).getMessage()).contains("may not get configmaps in namespace " + locked)
        .contains("403");
    assertThat(events(id)).contains("ReconcileError");
    assertNoNodeTouched();

    client.rbac().roleBindings().inNamespace(locked).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
        .withNewMetadata().withName("wavegate-source-reader").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName("wavegate-source-reader").endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("wavegate-operator").withNamespace(NS).endSubject()
        .build()).create();

    ContentRolloutStatus done = awaitPhase(id, RolloutPhase.Succeeded);
    assertThat(done.getError()).isNull();
    assertThat(condition(done, "Stalled")).isEqualTo("False");
  }

  @Test
  void nodeWritesTheApiServerRefusesAreNamedInStatusCountedAndRetriedUntilTheyPass() {
    String frozen = fleet.nodesInPool("canary").get(0);
    try (var refused = new RefusedOperatorWrites(client, "freeze-" + id, "object.metadata.name == '" + frozen + "'",
        frozen)) {
      String digest = content("v1", bytes("rules v1"));
      create(rollout(id, digest, "v1", "0s"));

      await().atMost(Duration.ofSeconds(30)).until(() -> status(id) != null && status(id).getError() != null);
      ContentRolloutStatus failing = status(id);
      assertThat(failing.getError().getReason()).isEqualTo("NodeWritesFailed");
      assertThat(failing.getError().getNodes()).containsExactly(frozen);
      assertThat(failing.getError().getMessage()).contains(RefusedOperatorWrites.MESSAGE);
      assertThat(stalled(failing).getReason()).isEqualTo("NodeWritesFailed");
      await().atMost(Duration.ofSeconds(10)).until(() ->
          registry.get("wavegate_node_write_failures").tag("rollout", id).counter().count() >= 2);
    }

    ContentRolloutStatus done = awaitPhase(id, RolloutPhase.Succeeded);
    assertThat(done.getError()).isNull();
    assertThat(done.getNodes()).isEqualTo("9/9");
  }

  @Test
  void aFleetOnContractV1KeysMovesToNodeContentWithoutADownloadOrAWriteToAnyNode() throws Exception {
    String digest = content("v1", bytes("rules v1"));
    create(rollout(id, digest, "v1", "0s"));
    awaitPhase(id, RolloutPhase.Succeeded);
    // the state contract v1 left: assignments and reports as keys on the Nodes, the files on disk
    operator.close();
    Map<String, io.wavegate.contract.Assignment> v1 = new LinkedHashMap<>();
    Map<String, java.nio.file.attribute.FileTime> written = new LinkedHashMap<>();
    for (String node : fleet.nodes()) {
      fleet.silence(node);
      var assignment = io.wavegate.contract.NodeContents.assignment(fleet.content(node), id).orElseThrow();
      var report = fleet.report(node, id);
      v1.put(node, assignment);
      client.nodes().withName(node).edit(n -> {
        n.getMetadata().getLabels().put(NodeKeys.desired(id), Digests.shortRevision(digest));
        n.getMetadata().getAnnotations().put(NodeKeys.desired(id), NodeKeys.toJson(assignment));
        n.getMetadata().getLabels().put(NodeKeys.reported(id), Digests.shortRevision(digest));
        n.getMetadata().getAnnotations().put(NodeKeys.reported(id), NodeKeys.toJson(report));
        return n;
      });
      client.resources(io.wavegate.contract.NodeContent.class).withName(node).delete();
      written.put(node, java.nio.file.Files.getLastModifiedTime(fleet.contentDir(node).resolve(id).resolve("C-00000291.sys")));
    }
    // no snapshot to fetch from: a node that downloaded anything would fail
    client.configMaps().inNamespace(Chart.SNAPSHOTS).withLabel("wavegate.io/channel", id).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.nodes().stream().allMatch(n -> fleet.content(n) == null));
    Map<String, String> nodeVersions = new LinkedHashMap<>();
    fleet.nodes().forEach(n -> nodeVersions.put(n, fleet.node(n).getMetadata().getResourceVersion()));

    operator = startOperator();
    fleet.nodes().forEach(fleet::revive);

    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.nodes().stream().allMatch(n -> applied(n, digest)));
    for (String node : fleet.nodes()) {
      assertThat(io.wavegate.contract.NodeContents.assignment(fleet.content(node), id)).as(node)
          .contains(v1.get(node));
      assertThat(java.nio.file.Files.getLastModifiedTime(fleet.contentDir(node).resolve(id).resolve("C-00000291.sys")))
          .as("the file on " + node + " was not written again").isEqualTo(written.get(node));
      assertThat(fleet.node(node).getMetadata().getResourceVersion()).as("no write to Node " + node)
          .isEqualTo(nodeVersions.get(node));
    }
    assertThat(status(id).getPhase()).isEqualTo(RolloutPhase.Succeeded);
    assertThat(status(id).getNodes()).isEqualTo("9/9");
    assertThat(registry.get("wavegate_node_writes").tag("rollout", id).counter().count())
        .as("one NodeContent write per node, the move itself").isEqualTo(9);
  }

  /** Plays an object stored before the CRD refused poison selectors: the CRD is laxer only while it is created. */
  private static void createUnderALaxCrd(GenericKubernetesResource rollout) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    var strict = crds.withName("contentrollouts.wavegate.io").get();
    var lax = crds.withName("contentrollouts.wavegate.io").get();
    var expression = lax.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
        .getProperties().get("nodeSelector").getProperties().get("matchExpressions").getItems().getSchema();
    expression.getProperties().get("operator").setEnum(null);
    expression.setXKubernetesValidations(null);
    crds.resource(lax).update();
    try {
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        client.resource(rollout).create();
        return true;
      });
    } finally {
      var current = crds.withName("contentrollouts.wavegate.io").get();
      current.setSpec(strict.getSpec());
      crds.resource(current).update();
    }
  }

  private GenericKubernetesResource poisonRollout(String name) {
    ContentRollout typed = rollout(name, "0".repeat(64), "none", "0s");
    typed.getSpec().setNodeSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("fleet")
        .withOperator("Matches").withValues(id).endMatchExpression().build());
    GenericKubernetesResource generic = Serialization.unmarshal(Serialization.asJson(typed), GenericKubernetesResource.class);
    generic.setApiVersion("wavegate.io/v1alpha1");
    generic.setKind("ContentRollout");
    return generic;
  }

  @Test
  void pauseHoldsEveryWaveAndResumeFinishes() {
    String digest = content("v1", bytes("rules v1"));
    ContentRollout paused = rollout(id, digest, "v1", "0s");
    paused.getSpec().setPaused(true);
    create(paused);

    awaitPhase(id, RolloutPhase.Paused);
    assertNoNodeTouched();
    assertThat(argoCdHealth(id).status()).isEqualTo("Suspended");

    ContentRollout resumed = rollout(id, digest, "v1", "0s");
    resumed.getSpec().setPaused(false);
    update(resumed);
    assertThat(awaitPhase(id, RolloutPhase.Succeeded).getNodes()).isEqualTo("9/9");
  }

  @Test
  void abortRollsBackAtOnceAndTheAnnotationIsConsumed() {
    String digest = content("v1", bytes("rules v1"));
    create(rollout(id, digest, "v1", "1h"));
    List<String> canary = fleet.nodesInPool("canary");
    await().atMost(Duration.ofSeconds(30)).until(() -> canary.stream().allMatch(n -> applied(n, digest)));

    annotate(id, "wavegate.io/abort");

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.RolledBack);
    assertThat(stalled(status).getReason()).isEqualTo("Aborted");
    assertThat(status.getFailedRevisions()).containsExactly(digest);
    assertNoNodeHoldsTheChannel();
    await().atMost(Duration.ofSeconds(10)).until(() -> !client.resources(ContentRollout.class).withName(id).get()
        .getMetadata().getAnnotations().containsKey("wavegate.io/abort"));
  }

  @Test
  void promoteSkipsTheBake() {
    String digest = content("v1", bytes("rules v1"));
    create(rollout(id, digest, "v1", "1h"));
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.nodesInPool("canary").stream().allMatch(n -> applied(n, digest)));

    annotate(id, "wavegate.io/promote");

    assertThat(awaitPhase(id, RolloutPhase.Succeeded).getNodes()).isEqualTo("9/9");
    assertThat(events(id)).contains("WaveCompleted");
  }

  @Test
  void aWaveWithManualApprovalWaitsUntilKubectlWavegateApprove() throws Exception {
    String digest = content("v1", bytes("rules v1"));
    ContentRollout gated = rollout(id, digest, "v1", "0s");
    gated.getSpec().getStrategy().getWaves().get(2).setApproval(io.wavegate.api.WaveApproval.Manual);
    create(gated);

    ContentRolloutStatus waiting = await().atMost(Duration.ofSeconds(60)).until(() -> Rollouts.status(client, id),
        s -> s != null && s.getWait() != null && "AwaitingApproval".equals(s.getWait().getReason()));
    assertThat(waiting.getWait().getMessage()).contains("wave broad waits for approval", "kubectl wavegate approve " + id);
    assertThat(waiting.getWaves().get(1).getPhase()).isEqualTo("Completed");
    assertThat(fleet.nodesInPool("broad")).allSatisfy(n -> assertThat(fleet.assignedShort(n, id)).isNull());
    assertThat(argoCdHealth(id).status()).isEqualTo("Suspended");
    Thread.sleep(2_000);
    assertThat(Rollouts.status(client, id).getPhase()).as("it waits for a person, not a timer")
        .isEqualTo(RolloutPhase.Progressing);

    assertThat(new io.wavegate.plugin.WavegateCli(() -> client, java.time.Clock.systemUTC()).commandLine()
        .execute("approve", id)).as("kubectl wavegate approve " + id).isZero();

    assertThat(awaitPhase(id, RolloutPhase.Succeeded).getNodes()).isEqualTo("9/9");
    assertThat(client.resources(ContentRollout.class).withName(id).get().getMetadata().getAnnotations())
        .doesNotContainKey(io.wavegate.api.RolloutAction.APPROVE.annotation());
  }

  @Test
  void aPreWaveWebhookThatSaysNoHoldsTheWaveAndAPostBakeNoRollsBack() throws Exception {
    java.util.concurrent.atomic.AtomicInteger preAnswer = new java.util.concurrent.atomic.AtomicInteger(409);
    List<String> asked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    com.sun.net.httpserver.HttpServer hooks = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hooks.createContext("/pre", exchange -> {
      asked.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      answer(exchange, preAnswer.get(), "change freeze until 14:00");
    });
    hooks.createContext("/post", exchange -> answer(exchange, 403, "error budget exhausted"));
    hooks.start();
    try {
      client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
          .withName(id + "-hook").endMetadata().addToStringData("token", "s3cret").build()).create();
      String digest = content("v1", bytes("rules v1"));
      ContentRollout hooked = rollout(id, digest, "v1", "0s");
      String base = "http://127.0.0.1:" + hooks.getAddress().getPort();
      hooked.getSpec().getStrategy().getWaves().get(1).setWebhooks(List.of(
          webhook("change-window", io.wavegate.api.WebhookType.PreWave, base + "/pre", id + "-hook")));
      hooked.getSpec().getStrategy().getWaves().get(2).setWebhooks(List.of(
          webhook("error-budget", io.wavegate.api.WebhookType.PostBake, base + "/post", null)));
      create(hooked);

      ContentRolloutStatus held = await().atMost(Duration.ofSeconds(60)).until(() -> Rollouts.status(client, id),
          st -> st != null && st.getWait() != null && "WebhookRejected".equals(st.getWait().getReason()));
      assertThat(held.getWait().getMessage()).contains("wave early is held", "webhook change-window said no",
          "HTTP 409: change freeze until 14:00");
      assertThat(held.getWebhooks()).singleElement().satisfies(w -> assertThat(w.getOutcome()).isEqualTo("Failed"));
      assertThat(fleet.nodesInPool("early")).allSatisfy(n -> assertThat(fleet.desiredHistory(n, id)).isEmpty());
      assertThat(asked.get(0)).startsWith("Bearer s3cret ").contains("\"channel\":\"" + id + "\"",
          "\"revision\":\"" + digest + "\"", "\"wave\":\"early\"", "\"type\":\"PreWave\"");
      assertThat(events(id)).contains("WebhookRefused");

      preAnswer.set(200);
      // the yes comes at the next ask (up to 15 s), then two waves and a rollback: more than awaitPhase's 45 s on a
      // busy machine
      ContentRolloutStatus rolledBack = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(120));
      assertThat(rolledBack.getStall().getReason()).isEqualTo("WebhookRejected");
      assertThat(rolledBack.getStall().getMessage()).contains("PostBake webhook error-budget of wave broad said no",
          "HTTP 403: error budget exhausted");
      assertThat(asked.size()).as("asked again after the no, every 15 s, until it said yes").isGreaterThan(1);
      assertNoNodeHoldsTheChannel();
    } finally {
      hooks.stop(0);
    }
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int code, String body) throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static io.wavegate.api.WaveWebhook webhook(String name, io.wavegate.api.WebhookType type, String url,
      String secret) {
    io.wavegate.api.WaveWebhook webhook = new io.wavegate.api.WaveWebhook();
    webhook.setName(name);
    webhook.setType(type);
    webhook.setUrl(url);
    if (secret != null) {
      io.wavegate.api.SecretRef ref = new io.wavegate.api.SecretRef();
      ref.setNamespace(NS);
      ref.setName(secret);
      webhook.setSecretRef(ref);
    }
    return webhook;
  }

  @Test
  void aNewRevisionDuringARolloutSupersedesIt() {
    String first = content("v1", bytes("rules v1"));
    create(rollout(id, first, "v1", "1h"));
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.nodesInPool("canary").stream().allMatch(n -> applied(n, first)));

    String second = content("v2", bytes("rules v2"));
    update(rollout(id, second, "v2", "0s"));

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Succeeded);
    assertThat(status.getStableDigest()).isEqualTo(second);
    assertThat(status.getFailedRevisions()).isEmpty();
    for (String node : fleet.nodes()) {
      assertThat(fleet.report(node, id).applied(second)).as(node).isTrue();
    }
    for (String node : fleet.nodesInPool("broad")) {
      assertThat(fleet.desiredHistory(node, id)).as("broad never got the superseded revision").containsExactly(second);
    }
    assertThat(events(id)).contains("Superseded");
  }

  @Test
  void aNodeThatNeverReportsStallsTheWaveAtItsProgressDeadline() {
    String silent = fleet.nodesInPool("canary").get(1);
    fleet.silence(silent);
    String digest = content("v1", bytes("rules v1"));
    ContentRollout rollout = rollout(id, digest, "v1", "0s");
    rollout.getSpec().getStrategy().getHealthGates().setProgressDeadline("3s");
    create(rollout);

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.RolledBack);
    assertThat(stalled(status).getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(stalled(status).getMessage()).contains(silent);
  }

  @Test
  void aValidatorJobLoadsTheSnapshotReadOnlyAndItsSuccessLetsTheRolloutProceed() {
    String digest = content("v1", bytes("rules v1"));
    create(withValidatorJob(rollout(id, digest, "v1", "0s")));

    Job job = awaitValidatorJob(digest);
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
        assertThat(v.getConfigMap().getName()).isEqualTo("wavegate-validate-" + id + "-" + digest.substring(0, 12)));
    assertThat(client.configMaps().inNamespace(Chart.VALIDATORS).withName("wavegate-validate-" + id + "-"
        + digest.substring(0, 12)).get().getBinaryData()).containsKey("content");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> {
          assertThat(m.getMountPath()).isEqualTo("/content");
          assertThat(m.getReadOnly()).isTrue();
        });
    assertThat(awaitPhase(id, RolloutPhase.Validating).getNodes()).isEqualTo("0/9");
    assertNoNodeTouched();

    JobController.finish(client, job, true);

    assertThat(awaitPhase(id, RolloutPhase.Succeeded).getNodes()).isEqualTo("9/9");
  }

  @Test
  void aFailedValidatorJobRejectsTheContentBeforeAnyNodeSeesIt() {
    String digest = content("v1", bytes("rules the real sensor cannot load"));
    create(withValidatorJob(rollout(id, digest, "v1", "0s")));

    JobController.finish(client, awaitValidatorJob(digest), false);

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Rejected);
    assertThat(validated(status).getReason()).isEqualTo("ValidatorJobFailed");
    assertNoNodeTouched();
  }

  private ContentRollout withValidatorJob(ContentRollout rollout) {
    ValidationSpec validation = new ValidationSpec();
    ValidatorJobSpec job = new ValidatorJobSpec();
    job.setTemplate(new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("load")
        .withImage("sensor:7.1").withCommand("sensor", "--load", "/content/C-00000291.sys").endContainer()
        .endSpec().build());
    validation.setValidatorJob(job);
    rollout.getSpec().setValidation(validation);
    return rollout;
  }

  private Job awaitValidatorJob(String digest) {
    String name = "wavegate-validate-" + id + "-" + digest.substring(0, 12);
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> client.batch().v1().jobs().inNamespace(Chart.VALIDATORS).withName(name).get(), java.util.Objects::nonNull);
  }

  @Test
  void aSourceThatDoesNotExistYetIsWaitedForThenRolledOut() {
    byte[] rules = bytes("rules published after the rollout");
    String digest = Digests.sha256Hex(rules);
    create(rollout(id, digest, "late", "0s"));

    ContentRolloutStatus waiting = awaitPhase(id, RolloutPhase.Validating);
    await().atMost(Duration.ofSeconds(15)).until(() -> "SourceNotFound".equals(validated(status(id)).getReason()));
    assertThat(validated(status(id)).getMessage()).contains(id + "-late").contains("does not exist yet");
    assertThat(waiting.getNodes()).isEqualTo("0/9");

    content("late", rules);

    assertThat(awaitPhase(id, RolloutPhase.Succeeded).getStableDigest()).isEqualTo(digest);
  }

  @Test
  void retryClearsAFailedRevisionAndRollsItOutAgain() {
    String digest = content("v1", bytes("rules v1"));
    create(rollout(id, digest, "v1", "1h"));
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.nodesInPool("canary").stream().allMatch(n -> applied(n, digest)));
    annotate(id, "wavegate.io/abort");
    assertThat(awaitPhase(id, RolloutPhase.RolledBack).getFailedRevisions()).containsExactly(digest);

    annotate(id, "wavegate.io/retry");

    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.nodesInPool("canary").stream().allMatch(n -> applied(n, digest)));
    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Progressing);
    assertThat(status.getFailedRevisions()).isEmpty();
    assertThat(events(id)).contains("Retry");
  }

  private static ContentRolloutStatus status(String name) {
    return Rollouts.status(client, name);
  }

  @Test
  void withManualRollbackABreachHaltsAndKeepsNodesWhereTheyAre() {
    String digest = content("v1", bytes("rules v1"));
    ContentRollout rollout = rollout(id, digest, "v1", "1h");
    rollout.getSpec().getStrategy().setRollback(io.wavegate.api.RollbackPolicy.Manual);
    create(rollout);
    List<String> canary = fleet.nodesInPool("canary");
    await().atMost(Duration.ofSeconds(30)).until(() -> canary.stream().allMatch(n -> applied(n, digest)));

    fleet.setReady(canary.get(1), false);

    ContentRolloutStatus status = awaitPhase(id, RolloutPhase.Halted);
    assertThat(stalled(status).getReason()).isEqualTo("NodesUnready");
    assertThat(status.getStall().getNodes()).containsExactly(canary.get(1));
    assertThat(condition(status, "Stalled")).isEqualTo("True");
    assertThat(status.getFailedRevisions()).isEmpty();
    for (String node : canary) {
      assertThat(fleet.assignedShort(node, id)).isEqualTo(digest.substring(0, 12));
    }
    for (String node : fleet.nodesInPool("early")) {
      assertThat(fleet.desiredHistory(node, id)).isEmpty();
    }
    assertThat(events(id)).contains("Halted");

    annotate(id, "wavegate.io/abort");
    awaitPhase(id, RolloutPhase.RolledBack);
    assertNoNodeHoldsTheChannel();
  }

  @Test
  void nodesJoiningLaterFollowTheirWave() {
    String digest = content("v1", bytes("rules v1"));
    create(rollout(id, digest, "v1", "1h"));
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.nodesInPool("canary").stream().allMatch(n -> applied(n, digest)));

    fleet.addNode(id + "-canary-late", "canary");
    fleet.addNode(id + "-broad-late", "broad");

    await().atMost(Duration.ofSeconds(30)).until(() -> applied(id + "-canary-late", digest));
    assertThat(fleet.desiredHistory(id + "-broad-late", id)).as("its wave has not started").isEmpty();
    annotate(id, "wavegate.io/promote");
    assertThat(awaitPhase(id, RolloutPhase.Succeeded).getNodes()).isEqualTo("11/11");
  }

  // ---- helpers

  private WavegateOperator startOperator() {
    return startOperator(java.util.Set.of(NS));
  }

  private WavegateOperator startOperator(java.util.Set<String> sourceNamespaces) {
    registry = new SimpleMeterRegistry();
    // batches of 2 node writes, so that every scenario also crosses reconciles mid-wave
    return Chart.startOperator(client, Map.of("WAVEGATE_LEADER_ELECTION", "false", "WAVEGATE_NODE_WRITE_BATCH", "2",
            "WAVEGATE_SOURCE_NAMESPACES", String.join(",", sourceNamespaces)), registry);
  }

  private static Map<String, Integer> orderedPools(int canary, int early, int broad) {
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", canary);
    pools.put("early", early);
    pools.put("broad", broad);
    return pools;
  }

  private boolean applied(String node, String digest) {
    var report = fleet.report(node, id);
    return report != null && report.applied(digest);
  }

  private void assertNoNodeHoldsTheChannel() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (String node : fleet.nodes()) {
        assertThat(fleet.assignedShort(node, id)).as(node).isNull();
        assertThat(fleet.report(node, id)).as(node).isNull();
      }
    });
  }

  private void assertNoNodeTouched() {
    for (String node : fleet.nodes()) {
      assertThat(fleet.assignedShort(node, id)).as(node).isNull();
      assertThat(fleet.desiredHistory(node, id)).as(node).isEmpty();
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Stores content in a ConfigMap named after the test and returns its digest. */
  private String content(String name, byte[] bytes) {
    return Rollouts.publish(client, NS, id + "-" + name, "C-00000291.sys", bytes);
  }

  /** The test's fleet in three pool waves, every health limit 0. */
  private ContentRollout rollout(String channel, String digest, String contentName, String canaryBake) {
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, id + "-" + contentName, "C-00000291.sys"),
        canaryBake, Map.of("fleet", id));
    spec.getStrategy().getHealthGates().setMaxUnreadyNodes(new IntOrString(0));
    return Rollouts.named(channel, spec);
  }

  private static void create(ContentRollout rollout) {
    client.resource(rollout).create();
  }

  private static void update(ContentRollout rollout) {
    Rollouts.apply(client, rollout.getMetadata().getName(), rollout.getSpec());
  }

  private static void annotate(String name, String key) {
    Rollouts.annotate(client, name, key);
  }

  static ContentRolloutStatus awaitPhase(String name, RolloutPhase phase) {
    return Rollouts.awaitPhase(client, name, phase, Duration.ofSeconds(45));
  }

  static String condition(ContentRolloutStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow().getStatus();
  }

  static io.fabric8.kubernetes.api.model.Condition validated(ContentRolloutStatus status) {
    return status.getConditions().stream().filter(c -> c.getType().equals("Validated")).findFirst().orElseThrow();
  }

  static io.fabric8.kubernetes.api.model.Condition stalled(ContentRolloutStatus status) {
    return status.getConditions().stream().filter(c -> c.getType().equals("Stalled")).findFirst().orElseThrow();
  }

  static List<String> events(String rollout) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> rollout.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
  }
}
