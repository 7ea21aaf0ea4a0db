package io.wavegate.rollout;

import io.wavegate.health.HealthLimits;
import io.wavegate.plan.CountOrPercent;
import io.wavegate.plan.WaveRule;
import java.time.Duration;

/**
 * A wave of the spec with its defaults resolved.
 *
 * @param maxUnavailable how many of the wave's nodes may be not Ready when it starts (percents of the
 *     wave's nodes round up, as a DaemonSet's maxUnavailable does)
 */
public record WaveDef(WaveRule rule, Duration bakeTime, HealthLimits limits, Duration progressDeadline,
    CountOrPercent maxUnavailable) {

  public String name() {
    return rule.name();
  }
}
