package io.wavegate.rollout;

import java.time.Instant;

/** One wave's progress for the revision in flight; persisted in status.waves. */
public record WaveProgress(String name, WavePhase phase, Instant startedAt, Instant bakeUntil, Instant completedAt) {

  static WaveProgress pending(String name) {
    return new WaveProgress(name, WavePhase.Pending, null, null, null);
  }

  WaveProgress start(Instant now) {
    return new WaveProgress(name, WavePhase.Progressing, now, null, null);
  }

  WaveProgress bake(Instant until) {
    return new WaveProgress(name, WavePhase.Baking, startedAt, until, null);
  }

  WaveProgress complete(Instant now) {
    return new WaveProgress(name, WavePhase.Completed, startedAt, bakeUntil, now);
  }

  WaveProgress rolledBack() {
    return phase == WavePhase.Pending ? this : new WaveProgress(name, WavePhase.RolledBack, startedAt, bakeUntil, completedAt);
  }

  boolean started() {
    return phase != WavePhase.Pending;
  }
}
