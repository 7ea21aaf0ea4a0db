package io.wavegate.plan;

import io.wavegate.api.StrategySpec;
import io.wavegate.api.WaveSpec;
import java.util.List;
import java.util.Set;

/** Which nodes each wave of a strategy may take: what the planner needs of the spec, nothing more. Pure. */
public final class WaveRules {

  private WaveRules() {}

  public static List<WaveRule> from(StrategySpec strategy) {
    return strategy.getWaves().stream().map(WaveRules::rule).toList();
  }

  public static WaveRule rule(WaveSpec wave) {
    return new WaveRule(wave.getName(), wave.getPools() == null ? Set.of() : Set.copyOf(wave.getPools()),
        wave.getNodeSelector(), CountOrPercent.of(wave.getMaxNodes(), Integer.MAX_VALUE));
  }
}
