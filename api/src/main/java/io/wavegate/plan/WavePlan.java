package io.wavegate.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Members of each wave, in wave order; fleet nodes that fall in no wave are listed apart. */
public record WavePlan(List<List<String>> members, List<String> unplanned, Map<String, Integer> waveOf) {

  public static final WavePlan EMPTY = new WavePlan(List.of(), List.of(), Map.of());

  public Optional<Integer> waveOf(String node) {
    return Optional.ofNullable(waveOf.get(node));
  }
}
