package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutAction;
import io.wavegate.api.RolloutPhase;
import io.wavegate.e2e.support.ArgoCd;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health check before wavegate has looked at a change; RolloutScenariosTest checks it
 * on the statuses the operator writes (Healthy, Degraded, Suspended, Progressing).
 */
class ArgoCdTest {

  @Test
  void aRolloutWavegateHasNotSeenYetIsProgressing() {
    assertThat(ArgoCd.health(rollout(1, null)))
        .isEqualTo(new ArgoCd.Health("Progressing", "waiting for wavegate to observe generation 1"));
  }

  @Test
  void aSucceededStatusOfAnOlderGenerationIsNotHealthyYet() {
    ContentRolloutStatus old = new ContentRolloutStatus();
    old.setObservedGeneration(1L);
    old.setPhase(RolloutPhase.Succeeded);

    assertThat(ArgoCd.health(rollout(2, old)))
        .isEqualTo(new ArgoCd.Health("Progressing", "waiting for wavegate to observe generation 2"));
  }

  @Test
  void aWaveWaitingForApprovalIsSuspendedAndOffersApprove() {
    ContentRollout waiting = inPhase(RolloutPhase.Progressing, false);
    io.wavegate.api.StatusNote wait = new io.wavegate.api.StatusNote();
    wait.setReason("AwaitingApproval");
    wait.setMessage("wave broad waits for approval (approval: Manual): kubectl wavegate approve sensor");
    waiting.getStatus().setWait(wait);

    assertThat(ArgoCd.health(waiting)).isEqualTo(new ArgoCd.Health("Suspended", wait.getMessage()));
    assertThat(ArgoCd.actions(waiting)).containsEntry("approve", true);
    assertThat(ArgoCd.actions(inPhase(RolloutPhase.Progressing, false))).containsEntry("approve", false);
    assertThat(ArgoCd.act("approve", waiting).getMetadata().getAnnotations())
        .containsEntry(RolloutAction.APPROVE.annotation(), "true");
  }

  @Test
  void actionsAreOfferedWhereTheyMeanSomething() {
    assertThat(ArgoCd.actions(inPhase(RolloutPhase.Progressing, false)))
        .containsEntry("pause", true).containsEntry("promote", true).containsEntry("abort", true)
        .containsEntry("resume", false).containsEntry("retry", false);
    assertThat(ArgoCd.actions(inPhase(RolloutPhase.Paused, true)))
        .containsEntry("pause", false).containsEntry("resume", true);
    assertThat(ArgoCd.actions(inPhase(RolloutPhase.RolledBack, false)))
        .containsEntry("retry", true).containsEntry("promote", false).containsEntry("abort", false);
    assertThat(ArgoCd.actions(inPhase(RolloutPhase.Succeeded, false))).doesNotContainValue(true);
  }

  @Test
  void theLuaActionsFollowThePhaseSetsTheOperatorAndThePluginUse() {
    for (RolloutPhase phase : RolloutPhase.values()) {
      Map<String, Boolean> offered = ArgoCd.actions(inPhase(phase, false));
      assertThat(offered).as(phase.name()).containsEntry("abort", phase.rolling()).containsEntry("promote", phase.rolling())
          .containsEntry("pause", phase.rolling()).containsEntry("retry", phase == RolloutPhase.RolledBack);
    }
  }

  @Test
  void eachActionChangesWhatTheOperatorActsOn() {
    ContentRollout progressing = inPhase(RolloutPhase.Progressing, false);
    assertThat(ArgoCd.act("pause", progressing).getSpec().getPaused()).isTrue();
    assertThat(ArgoCd.act("resume", inPhase(RolloutPhase.Paused, true)).getSpec().getPaused()).isFalse();
    assertThat(ArgoCd.act("promote", progressing).getMetadata().getAnnotations()).containsEntry(RolloutAction.PROMOTE.annotation(), "true");
    assertThat(ArgoCd.act("abort", progressing).getMetadata().getAnnotations()).containsEntry(RolloutAction.ABORT.annotation(), "true");
    ContentRollout retried = ArgoCd.act("retry", inPhase(RolloutPhase.RolledBack, false));
    assertThat(retried.getMetadata().getAnnotations()).containsEntry(RolloutAction.RETRY.annotation(), "true");
    assertThat(retried.getSpec().getStrategy().getWaves()).as("the rest of the object unchanged")
        .extracting(w -> w.getName()).containsExactly("canary");
  }

  @Test
  void theNotificationManifestsHoldWhatArgoCdAndFluxRead() throws Exception {
    java.nio.file.Path repo = io.wavegate.e2e.support.ApiServer.repoRoot();
    java.util.Map<String, String> notifications = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        java.nio.file.Files.readString(repo.resolve("gitops/argocd/notifications-cm-patch.yaml")),
        io.fabric8.kubernetes.api.model.ConfigMap.class).getData();
    java.util.List<java.util.Map<String, Object>> trigger = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        notifications.get("trigger.on-content-rollout-degraded"), java.util.List.class);
    assertThat(trigger.get(0).get("when").toString()).contains("ContentRollout", "Degraded");
    assertThat(trigger.get(0).get("send")).asList().containsExactly("content-rollout-degraded");
    assertThat(notifications).containsKey("template.content-rollout-degraded");

    var flux = java.util.Arrays.stream(java.nio.file.Files.readString(repo.resolve("gitops/flux/alert.yaml"))
        .split("\n---\n")).map(doc -> io.fabric8.kubernetes.client.utils.Serialization.unmarshal(doc,
            java.util.Map.class)).toList();
    assertThat(flux).hasSize(2);
    assertThat(flux.toString()).contains("kind=Provider", "kind=Alert", "providerRef={name=sre-alerts}",
        "kind=Kustomization", "eventSeverity=error");
  }

  private static ContentRollout inPhase(RolloutPhase phase, boolean paused) {
    ContentRolloutStatus status = new ContentRolloutStatus();
    status.setObservedGeneration(1L);
    status.setPhase(phase);
    ContentRollout rollout = rollout(1, status);
    io.wavegate.api.ContentRolloutSpec spec = io.wavegate.sim.Rollouts.overPools("a".repeat(64),
        new io.wavegate.api.KeyRef("ns", "c", "k"), "1m", null);
    spec.getStrategy().setWaves(java.util.List.of(io.wavegate.sim.Rollouts.poolWave("canary", "1m")));
    spec.setPaused(paused);
    rollout.setSpec(spec);
    return rollout;
  }

  private static ContentRollout rollout(long generation, ContentRolloutStatus status) {
    ContentRollout rollout = new ContentRollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("sensor").withGeneration(generation).build());
    rollout.setStatus(status);
    return rollout;
  }
}
