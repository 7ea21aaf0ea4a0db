package io.wavegate.rollout;

/** The reason of every Event wavegate records; metrics count by it. */
public enum EventReason {
  Validated(false),
  Rejected(true),
  WaveStarted(false),
  WaveWaiting(true),
  WaveApplied(false),
  WaveCompleted(false),
  WaveSkipped(false),
  WebhookRefused(true),
  Succeeded(false),
  Paused(false),
  Resumed(false),
  Halted(true),
  RollbackStarted(true),
  RolledBack(false),
  Superseded(false),
  Retry(false),
  FailedBefore(true),
  InvalidSpec(true),
  MetricTemplateUnresolved(true),
  MetricMeasurement(true),
  ReconcileError(true);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  public boolean warning() {
    return warning;
  }
}
