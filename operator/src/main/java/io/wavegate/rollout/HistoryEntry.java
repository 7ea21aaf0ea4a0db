package io.wavegate.rollout;

import java.time.Instant;

/**
 * How one revision ended: Succeeded, RolledBack, Rejected or Superseded, why, and when it started
 * and finished. status.history keeps the last {@link RolloutDecider#HISTORY} of them.
 */
public record HistoryEntry(String revision, String outcome, String reason, Instant startedAt, Instant finishedAt) {}
