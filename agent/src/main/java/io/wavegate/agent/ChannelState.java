package io.wavegate.agent;

import java.time.Instant;

/**
 * What the agent remembers of one channel on the node's disk, beside the file itself: which revision
 * it applied, under which boot, whether that revision is still tentative (boot assessment), and the
 * revision it took back, which it never applies again on its own while it stays assigned.
 *
 * @param revision sha256 of the file the agent applied; null when nothing is recorded
 * @param appliedAt when that file became current
 * @param bootId the node's boot ID when it was applied
 * @param confirmAt when it is confirmed if the node stays up; null for a confirmed revision
 * @param confirmedAt when it was confirmed; null while tentative
 * @param refusedRevision a revision the agent took back (a reboot while tentative, a failing hook)
 * @param refusedReason RevertedAfterReboot or HookFailed
 * @param refusedMessage why, for the report
 */
public record ChannelState(String revision, Instant appliedAt, String bootId, Instant confirmAt, Instant confirmedAt,
    String refusedRevision, String refusedReason, String refusedMessage) {

  public static final ChannelState NONE = new ChannelState(null, null, null, null, null, null, null, null);

  /** A revision just applied: tentative until {@code confirmAt}, or confirmed at once when that is now. */
  public static ChannelState applied(String revision, Instant now, String bootId, Instant confirmAt) {
    boolean immediate = !confirmAt.isAfter(now);
    return new ChannelState(revision, now, bootId, immediate ? null : confirmAt, immediate ? now : null, null, null, null);
  }

  public boolean tentative() {
    return revision != null && confirmedAt == null;
  }

  public ChannelState confirmed(Instant now) {
    return new ChannelState(revision, appliedAt, bootId, null, now, refusedRevision, refusedReason, refusedMessage);
  }

  /** The revision was taken back: {@code restored} (the previous file's digest, or null) is current and counts as confirmed. */
  public static ChannelState refused(String revision, String reason, String message, String restored, Instant now) {
    return new ChannelState(restored, restored == null ? null : now, null, null, restored == null ? null : now,
        revision, reason, message);
  }

  public boolean refuses(String assigned) {
    return assigned != null && assigned.equals(refusedRevision);
  }

  /** The refusal is forgotten once the operator assigns something else: the choice is theirs again. */
  public ChannelState forgetRefusal() {
    return new ChannelState(revision, appliedAt, bootId, confirmAt, confirmedAt, null, null, null);
  }
}
