package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.e2e.support.ArgoCdHealth;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health check before wavegate has looked at a change; RolloutScenariosTest checks it
 * on the statuses the operator writes (Healthy, Degraded, Suspended, Progressing).
 */
class ArgoCdHealthTest {

  @Test
  void aRolloutWavegateHasNotSeenYetIsProgressing() {
    assertThat(ArgoCdHealth.of(rollout(1, null)))
        .isEqualTo(new ArgoCdHealth.Health("Progressing", "waiting for wavegate to observe generation 1"));
  }

  @Test
  void aSucceededStatusOfAnOlderGenerationIsNotHealthyYet() {
    ContentRolloutStatus old = new ContentRolloutStatus();
    old.setObservedGeneration(1L);
    old.setPhase(RolloutPhase.Succeeded);

    assertThat(ArgoCdHealth.of(rollout(2, old)))
        .isEqualTo(new ArgoCdHealth.Health("Progressing", "waiting for wavegate to observe generation 2"));
  }

  private static ContentRollout rollout(long generation, ContentRolloutStatus status) {
    ContentRollout rollout = new ContentRollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("sensor").withGeneration(generation).build());
    rollout.setStatus(status);
    return rollout;
  }
}
