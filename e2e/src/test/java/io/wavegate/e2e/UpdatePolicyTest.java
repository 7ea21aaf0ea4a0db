package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.api.HoldStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.UpdateRing;
import io.wavegate.api.WindowType;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.Chart;
import io.wavegate.sim.Policies;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * The node owner's update policies on a real API server, with the operator and the agents running as
 * the chart's identities over a simulated fleet in three pools (canary, early, broad). Windows and
 * delays are a few seconds wide: the operator wakes itself when a hold lifts (no event comes then).
 */
class UpdatePolicyTest {

  static final String NS = Chart.NAMESPACE;
  static final String NODE_OWNERS = "platform-sre";

  @RegisterExtension
  static final ApiServer api = new ApiServer(List.of());

  private static KubernetesClient client;
  private WavegateOperator operator;
  private SimulatedFleet fleet;
  private String id;

  @BeforeAll
  static void installChart() {
    client = api.client();
    // the node owners: a group of the platform team's SREs
    Chart.install(client, "--set", "policyWriters[0].kind=Group,policyWriters[0].name=" + NODE_OWNERS);
  }

  @BeforeEach
  void startOperatorAndFleet() {
    id = "p" + UUID.randomUUID().toString().substring(0, 6);
    operator = Chart.startOperator(client,
        Map.of("WAVEGATE_LEADER_ELECTION", "false", "WAVEGATE_SOURCE_NAMESPACES", NS), new SimpleMeterRegistry());
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", 1);
    pools.put("early", 2);
    pools.put("broad", 3);
    fleet = new SimulatedFleet(client, id, pools, node -> Chart.asAgentOn(client, node));
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    fleet.close();
    client.resources(ContentUpdatePolicy.class).withLabel("test", "update-policy").delete();
  }

  @Test
  void anEarlyAccessCanaryTakesTheRevisionAtOnceWhileTheDelayHoldsTheGaPoolUntilItEnds() {
    policy(Policies.over(id + "-canary", id, id, UpdateRing.EarlyAccess, "canary"));
    ContentUpdatePolicy ga = Policies.over(id + "-ga", id, id, UpdateRing.GeneralAvailability, "early", "broad");
    ga.getSpec().setDelay("6s");
    policy(ga);
    String digest = content("v1", "rules v1");
    create(rollout(digest, "v1"));

    ContentRolloutStatus held = awaitWait("HeldByPolicy");
    assertThat(held.getWait().getMessage()).contains("wave early waits", "policy " + id + "-ga delays");
    assertThat(held.getGenerallyAvailableAt()).as("the canary wave completed").isNotNull();
    assertThat(fleet.nodesInPool("canary")).allSatisfy(n -> assertThat(applied(n, digest)).isTrue());
    assertThat(fleet.nodesInPool("early")).allSatisfy(n -> assertThat(fleet.desiredHistory(n, id)).isEmpty());
    HoldStatus hold = held.getHolds().stream().filter(h -> h.getPolicy().equals(id + "-ga")).findFirst().orElseThrow();
    assertThat(hold.getReason()).isEqualTo("Delayed");
    assertThat(hold.getCount()).isEqualTo(5);
    Instant eligible = Instant.parse(hold.getNextEligibleAt());
    assertThat(eligible).isEqualTo(Instant.parse(held.getGenerallyAvailableAt()).plusSeconds(6));

    ContentRolloutStatus done = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(45));
    assertThat(done.getNodes()).isEqualTo("6/6");
    assertThat(fleet.nodesInPool("broad")).allSatisfy(n -> assertThat(applied(n, digest)).isTrue());
    assertThat(Instant.parse(done.getWaves().get(1).getStartedAt())).as("not before the delay ended")
        .isAfterOrEqualTo(eligible);
  }

  @Test
  void aDenyWindowOverTheBroadWaveHoldsItAndTheWaveStartsWhenTheWindowCloses() {
    Instant closes = Instant.now().plusSeconds(8);
    policy(Policies.window(Policies.over(id + "-freeze", id, id, UpdateRing.EarlyAccess, "broad"), WindowType.Deny,
        Instant.now().minusSeconds(2), closes));
    String digest = content("v1", "rules v1");
    create(rollout(digest, "v1"));

    ContentRolloutStatus held = awaitWait("HeldByPolicy");
    assertThat(held.getWait().getMessage()).contains("wave broad waits", "a deny window is open");
    assertThat(held.getWaves().get(1).getPhase()).isEqualTo("Completed");
    assertThat(fleet.nodesInPool("broad")).allSatisfy(n -> assertThat(fleet.desiredHistory(n, id)).isEmpty());
    assertThat(held.getHeldNodes()).isEqualTo(3);

    ContentRolloutStatus done = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(45));
    assertThat(done.getNodes()).isEqualTo("6/6");
    assertThat(done.getHolds()).isNull();
    assertThat(Instant.parse(done.getWaves().get(2).getStartedAt())).isAfterOrEqualTo(closes.minusMillis(999));
  }

  @Test
  void aBreachDuringAFreezeStillRevertsEveryNodeAtOnce() {
    String digest = content("v1", "rules v1");
    ContentRollout rollout = rollout(digest, "v1");
    rollout.getSpec().getStrategy().getWaves().get(1).setBakeTime("1h");
    create(rollout);
    List<String> touched = List.of(fleet.nodesInPool("canary").get(0), fleet.nodesInPool("early").get(0),
        fleet.nodesInPool("early").get(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> touched.stream().allMatch(n -> applied(n, digest)));
    policy(Policies.window(Policies.over(id + "-freeze", id, id, UpdateRing.EarlyAccess, "canary", "early", "broad"),
        WindowType.Deny, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)));

    fleet.reboot(fleet.nodesInPool("early").get(1));

    ContentRolloutStatus rolledBack = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(30));
    assertThat(rolledBack.getStall().getReason()).isEqualTo("NodesRebooted");
    for (String node : touched) {
      assertThat(fleet.assignedShort(node, id)).as(node + " reverted through the freeze").isNull();
      assertThat(fleet.report(node, id)).as(node).isNull();
    }
  }

  @Test
  void aPinnedPoolStaysPinnedThroughARolloutAndTakesTheStableRevisionWhenThePinExpires() {
    String v1 = content("v1", "rules v1");
    create(rollout(v1, "v1"));
    Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(45));
    Instant expires = Instant.now().plusSeconds(12);
    policy(Policies.pin(Policies.over(id + "-pinned", id, id, UpdateRing.EarlyAccess, "broad"), v1, expires));

    String v2 = content("v2", "rules v2");
    Rollouts.apply(client, id, rollout(v2, "v2").getSpec());

    ContentRolloutStatus succeeded = Rollouts.awaitPhase(client, id, v2, RolloutPhase.Succeeded, Duration.ofSeconds(45));
    assertThat(Instant.now()).as("the rollout finished inside the pin").isBefore(expires);
    assertThat(succeeded.getNodes()).isEqualTo("3/6 (3 held)");
    HoldStatus pinned = succeeded.getHolds().get(0);
    assertThat(pinned.getReason()).isEqualTo("Pinned");
    assertThat(pinned.getMessage()).contains("pins " + v1.substring(0, 12));
    assertThat(fleet.nodesInPool("broad")).allSatisfy(n -> assertThat(applied(n, v1)).as(n).isTrue());

    await().atMost(Duration.ofSeconds(40)).until(() -> fleet.nodesInPool("broad").stream().allMatch(n -> applied(n, v2)));
    assertThat(Instant.now()).isAfter(expires);
    await().atMost(Duration.ofSeconds(10)).until(() -> "6/6".equals(Rollouts.status(client, id).getNodes()));
  }

  @Test
  void aPausedPoolIsSkippedUntilTheChannelIsMarkedCriticalAndOnlyNodeOwnersMayMarkIt() {
    policy(Policies.over(id + "-paused", id, id, UpdateRing.Paused, "broad"));
    String digest = content("v1", "rules v1");
    create(rollout(digest, "v1"));
    ContentRolloutStatus held = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(45));
    assertThat(held.getNodes()).isEqualTo("3/6 (3 held)");
    assertThat(fleet.nodesInPool("broad")).allSatisfy(n -> assertThat(fleet.desiredHistory(n, id)).isEmpty());
    assertThat(held.getHolds()).singleElement().satisfies(h -> {
      assertThat(h.getReason()).isEqualTo("Paused");
      assertThat(h.getNextEligibleAt()).as("a pause has no end of its own").isNull();
    });

    // a content pipeline bound to the chart's publisher role by hand (docs/rbac.md)
    String pipeline = "content-pipeline-" + id;
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(pipeline)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", Chart.RELEASE + "-publisher")
        .addNewSubject().withKind("ServiceAccount").withName(pipeline).withNamespace("pipelines").endSubject().build())
        .create();
    KubernetesClient publisher = ApiServer.impersonating(client, "system:serviceaccount:pipelines:" + pipeline, Map.of());
    assertThat(publisher.resources(ContentUpdatePolicy.class).list().getItems()).as("publishers may read policies")
        .extracting(p -> p.getMetadata().getName()).contains(id + "-paused");
    assertThatThrownBy(() -> publisher.resources(ContentUpdatePolicy.class).withName(id + "-paused").edit(p -> {
      p.getSpec().setRing(UpdateRing.EarlyAccess);
      return p;
    })).as("but never write them").isInstanceOf(KubernetesClientException.class).hasMessageContaining("forbidden");
    assertThatThrownBy(() -> publisher.resources(ContentRollout.class).withName(id).edit(r -> {
      r.getSpec().setCritical(true);
      return r;
    })).isInstanceOf(KubernetesClientException.class).hasMessageContaining("only the chart's policyWriters may set it");

    // an on-call SRE who is a node owner (policyWriters) and may also edit rollouts (the publisher role, by hand)
    String oncall = "oncall-" + id;
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(oncall)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", Chart.RELEASE + "-publisher")
        .addNewSubject().withKind("User").withName(oncall).withApiGroup("rbac.authorization.k8s.io").endSubject()
        .build()).create();
    KubernetesClient nodeOwner = client.newClient(new io.fabric8.kubernetes.client.RequestConfigBuilder()
        .withImpersonateUsername(oncall).withImpersonateGroups(NODE_OWNERS, "system:authenticated").build())
        .adapt(KubernetesClient.class);
    assertThat(nodeOwner.resources(ContentUpdatePolicy.class).withName(id + "-paused").get()).isNotNull();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> nodeOwner.resources(ContentRollout.class)
        .withName(id).edit(r -> {
          r.getSpec().setCritical(true);
          return r;
        }) != null);
    await().atMost(Duration.ofSeconds(30)).until(() -> "6/6".equals(Rollouts.status(client, id).getNodes()));
    assertThat(fleet.nodesInPool("broad")).allSatisfy(n -> assertThat(applied(n, digest)).isTrue());
  }

  @Test
  void overlappingPoliciesResolveByPrecedence() {
    ContentUpdatePolicy paused = Policies.over(id + "-a-paused", id, id, UpdateRing.Paused, "broad");
    paused.getSpec().setPrecedence(10);
    policy(paused);
    ContentUpdatePolicy early = Policies.over(id + "-b-early", id, id, UpdateRing.EarlyAccess, "early", "broad");
    early.getSpec().setPrecedence(5);
    policy(early);
    String digest = content("v1", "rules v1");
    create(rollout(digest, "v1"));

    ContentRolloutStatus held = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(45));
    assertThat(held.getNodes()).as("early: governed by the early-access policy alone; broad: by the paused one")
        .isEqualTo("3/6 (3 held)");
    assertThat(held.getHolds()).singleElement().satisfies(h -> assertThat(h.getPolicy()).isEqualTo(id + "-a-paused"));

    client.resources(ContentUpdatePolicy.class).withName(id + "-b-early").edit(p -> {
      p.getSpec().setPrecedence(20);
      return p;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> "6/6".equals(Rollouts.status(client, id).getNodes()));
  }

  // ---- helpers

  private static void policy(ContentUpdatePolicy policy) {
    policy.getMetadata().setLabels(Map.of("test", "update-policy"));
    client.resource(policy).create();
  }

  private ContentRolloutStatus awaitWait(String reason) {
    return await().atMost(Duration.ofSeconds(45)).until(() -> Rollouts.status(client, id),
        s -> s != null && s.getWait() != null && reason.equals(s.getWait().getReason()));
  }

  private boolean applied(String node, String digest) {
    var report = fleet.report(node, id);
    return report != null && report.applied(digest);
  }

  private String content(String name, String text) {
    return Rollouts.publish(client, NS, id + "-" + name, "C-00000291.sys", text.getBytes(StandardCharsets.UTF_8));
  }

  private ContentRollout rollout(String digest, String contentName) {
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, id + "-" + contentName, "C-00000291.sys"),
        "0s", Map.of("fleet", id));
    spec.getStrategy().getHealthGates().setMaxUnreadyNodes(new IntOrString(0));
    return Rollouts.named(id, spec);
  }

  private static void create(ContentRollout rollout) {
    client.resource(rollout).create();
  }
}
