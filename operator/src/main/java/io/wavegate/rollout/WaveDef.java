package io.wavegate.rollout;

import io.wavegate.analysis.MetricDef;
import io.wavegate.analysis.WebhookDef;
import java.util.List;

import io.wavegate.health.HealthLimits;
import io.wavegate.plan.CountOrPercent;
import io.wavegate.plan.WaveRule;
import java.time.Duration;

/**
 * A wave of the spec with its defaults resolved.
 *
 * @param metrics the metric gates measured while this wave is in flight (its own list, else the strategy's)
 * @param manualApproval the wave waits for a person's approval before it starts
 * @param webhooks asked before the wave starts (PreWave) and after its bake (PostBake)
 * @param maxUnavailable how many of the wave's nodes may be not Ready when it starts (percents of the
 *     wave's nodes round up, as a DaemonSet's maxUnavailable does)
 * @param unresolvedMetrics why each of its metric gates that references a template cannot be resolved
 *     (a missing template or argument): the rollout stalls on them
 */
public record WaveDef(WaveRule rule, Duration bakeTime, HealthLimits limits, Duration progressDeadline,
    CountOrPercent maxUnavailable, List<MetricDef> metrics, boolean manualApproval, List<WebhookDef> webhooks,
    List<String> unresolvedMetrics) {

  public WaveDef(WaveRule rule, Duration bakeTime, HealthLimits limits, Duration progressDeadline,
      CountOrPercent maxUnavailable, List<MetricDef> metrics, boolean manualApproval, List<WebhookDef> webhooks) {
    this(rule, bakeTime, limits, progressDeadline, maxUnavailable, metrics, manualApproval, webhooks, List.of());
  }

  public WaveDef(WaveRule rule, Duration bakeTime, HealthLimits limits, Duration progressDeadline,
      CountOrPercent maxUnavailable, List<MetricDef> metrics, boolean manualApproval) {
    this(rule, bakeTime, limits, progressDeadline, maxUnavailable, metrics, manualApproval, List.of());
  }

  public WaveDef(WaveRule rule, Duration bakeTime, HealthLimits limits, Duration progressDeadline,
      CountOrPercent maxUnavailable, List<MetricDef> metrics) {
    this(rule, bakeTime, limits, progressDeadline, maxUnavailable, metrics, false);
  }

  public WaveDef(WaveRule rule, Duration bakeTime, HealthLimits limits, Duration progressDeadline,
      CountOrPercent maxUnavailable) {
    this(rule, bakeTime, limits, progressDeadline, maxUnavailable, List.of());
  }

  public String name() {
    return rule.name();
  }
}
