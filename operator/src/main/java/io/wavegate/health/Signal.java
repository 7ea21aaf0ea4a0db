package io.wavegate.health;

/** A health signal; its name is the reason written to the Stalled condition and the Event. */
public enum Signal {
  NodesUnready("unready nodes", "maxUnreadyNodes"),
  NodesRebooted("node reboots", "maxNodeReboots"),
  PodsCrashing("crashing pods", "maxCrashingPods"),
  ContentFailures("content failures", "maxContentFailures"),
  ProgressDeadlineExceeded("nodes that did not apply the revision in time", "progressDeadline"),
  Aborted("abort requested", "wavegate.io/abort"),
  MetricThreshold("failed metric measurements", "failureLimit"),
  MetricProviderError("metric provider errors in a row", "consecutiveErrorLimit"),
  /** No data under noData: Inconclusive: the rollout halts for a person whatever the rollback policy. */
  MetricInconclusive("inconclusive metric measurements", "noData: Inconclusive"),
  /** A PostBake webhook said no (or did not answer) after the wave's bake. */
  WebhookRejected("webhooks that said no after the bake", "PostBake webhook");

  private final String description;
  private final String limitName;

  Signal(String description, String limitName) {
    this.description = description;
    this.limitName = limitName;
  }

  public String description() {
    return description;
  }

  public String limitName() {
    return limitName;
  }
}
