package io.wavegate.rollout;

import io.wavegate.contract.Assignment;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.SnapshotFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The channel's revocation as the rollout's state says it must be: its failed revisions are revoked,
 * and nodes go back to its stable revision, the one that completed every wave. Nothing else can be
 * named: the operator writes the object from this rule alone.
 */
final class RevocationRule {

  private RevocationRule() {}

  static Revocation of(String channel, RolloutState state, String snapshotNamespace, boolean secret) {
    Optional<Revocation.Stable> stable = Optional.ofNullable(state.stableDigest())
        .filter(digest -> !state.failedRevisions().contains(digest))
        .map(digest -> new Revocation.Stable(digest, SnapshotFormat.reference(snapshotNamespace, channel, digest),
            secret ? Assignment.SECRET : null, null, null, null));
    String reason = state.stall() == null ? null : state.stall().reason().name() + ": " + state.stall().message();
    return new Revocation(channel, state.failedRevisions(), stable, reason);
  }

  /**
   * Whether the object must be written: a channel that never revoked anything has none, and an
   * existing one is rewritten only when what it revokes or where it sends nodes changed.
   */
  static boolean needsWrite(Revocation desired, Optional<Revocation> current) {
    if (current.isEmpty()) {
      return !desired.revoked().isEmpty();
    }
    return !desired.revoked().equals(current.get().revoked())
        || !Objects.equals(desired.stable().map(RevocationRule::target), current.get().stable().map(RevocationRule::target));
  }

  private static String target(Revocation.Stable stable) {
    return stable.revision() + " " + stable.snapshot() + " " + stable.snapshotKind();
  }
}
