package io.wavegate.health;

import io.wavegate.plan.CountOrPercent;

/** The health gates in force for a wave, its overrides merged over the rollout's defaults. */
public record HealthLimits(
    CountOrPercent maxUnreadyNodes,
    CountOrPercent maxNodeReboots,
    CountOrPercent maxCrashingPods,
    CountOrPercent maxContentFailures) {}
