package io.wavegate.rollout;

import io.wavegate.health.HealthLimits;
import io.wavegate.plan.WaveRule;
import java.time.Duration;

/** A wave of the spec with its defaults resolved. */
public record WaveDef(WaveRule rule, Duration bakeTime, HealthLimits limits, Duration progressDeadline) {

  public String name() {
    return rule.name();
  }
}
