package io.wavegate.rollout;

import io.wavegate.health.Signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.Revocation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevocationRuleTest {

  private static final String STABLE = "5".repeat(64);
  private static final String BAD = "b".repeat(64);
  private static final String WORSE = "c".repeat(64);

  private static RolloutState state(String stable, List<String> failed) {
    return new RolloutState(RolloutPhase.RollingBack, BAD, stable, failed, List.of(), null,
        Note.of(Reason.of(Signal.PodsCrashing), "1 crashing pods"), null);
  }

  @Test
  void theFailedRevisionsAreRevokedAndNodesGoBackToTheStableSnapshot() {
    Revocation revocation = RevocationRule.of("rules", state(STABLE, List.of(WORSE, BAD)), "wavegate-snapshots", true);

    assertThat(revocation.revoked()).containsExactly(WORSE, BAD);
    assertThat(revocation.stable()).contains(new Revocation.Stable(STABLE,
        "wavegate-snapshots/wavegate-rules-555555555555", "Secret", null, null, null));
    assertThat(revocation.reason()).isEqualTo("PodsCrashing: 1 crashing pods");
  }

  @Test
  void withoutAStableRevisionNodesGoBackToNoContent() {
    assertThat(RevocationRule.of("rules", state(null, List.of(BAD)), "ns", false).stable()).isEmpty();
  }

  @Test
  void aChannelThatNeverRevokedAnythingHasNoObjectAndAnExistingOneIsRewrittenOnlyWhenItsMeaningChanges() {
    Revocation none = RevocationRule.of("rules", state(STABLE, List.of()), "ns", false);
    Revocation one = RevocationRule.of("rules", state(STABLE, List.of(BAD)), "ns", false);
    Revocation otherReason = new Revocation("rules", one.revoked(), one.stable(), "Aborted: by an SRE");
    Revocation signed = new Revocation("rules", one.revoked(), Optional.of(new Revocation.Stable(STABLE,
        one.stable().get().snapshot(), null, "c2ln", "Ed25519", "k1")), one.reason());

    assertThat(RevocationRule.needsWrite(none, Optional.empty())).isFalse();
    assertThat(RevocationRule.needsWrite(one, Optional.empty())).isTrue();
    assertThat(RevocationRule.needsWrite(one, Optional.of(otherReason))).isFalse();
    assertThat(RevocationRule.needsWrite(one, Optional.of(signed))).as("the writer adds the signature").isFalse();
    assertThat(RevocationRule.needsWrite(none, Optional.of(one))).as("a retry withdraws the revocation").isTrue();
    assertThat(RevocationRule.needsWrite(RevocationRule.of("rules", state(WORSE, List.of(BAD)), "ns", false),
        Optional.of(one))).as("a new stable revision").isTrue();
  }
}
