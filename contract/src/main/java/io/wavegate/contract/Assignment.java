package io.wavegate.contract;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What the operator wants on a node for one channel (annotation {@code wavegate.io/<channel>}):
 * the revision, the snapshot holding its bytes, and the baseline to judge the node's health by.
 *
 * @param revision full sha256 of the content
 * @param wave the wave the node was assigned in (membership is sticky for this revision)
 * @param snapshot namespace/name of the immutable snapshot holding the bytes (and the file name)
 * @param bootId status.nodeInfo.bootID when assigned
 * @param ready whether the node's Ready condition was True when assigned
 * @param assignedAt RFC 3339 time of assignment
 * @param snapshotKind {@code Secret} when the snapshot is a Secret (content from a Secret); else a ConfigMap
 * @param confirmAfter how long the node must stay up with the new revision before the agent confirms it
 *     (a duration such as "5m"); until then a reboot makes the agent restore the previous file. Null or
 *     "0s": confirmed at once.
 */
public record Assignment(String revision, String wave, String snapshot, String bootId, boolean ready,
    String assignedAt, String snapshotKind, String confirmAfter) {

  public static final String SECRET = "Secret";

  public Assignment(String revision, String wave, String snapshot, String bootId, boolean ready, String assignedAt) {
    this(revision, wave, snapshot, bootId, ready, assignedAt, null, null);
  }

  /** How long the revision stays tentative on the node; zero when the assignment does not say or says it badly. */
  public java.time.Duration confirmAfterDuration() {
    try {
      return Durations.parse(confirmAfter, java.time.Duration.ZERO);
    } catch (IllegalArgumentException e) {
      return java.time.Duration.ZERO;
    }
  }

  public boolean secretSnapshot() {
    return SECRET.equals(snapshotKind);
  }

  public boolean wellFormed() {
    if (revision == null || assignedAt == null) {
      return false;
    }
    try {
      Instant.parse(assignedAt);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** When the node was assigned; well-formed assignments only. */
  public Instant assignedInstant() {
    return Instant.parse(assignedAt);
  }
}
