package io.wavegate.plan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;
import java.util.Set;

/** Which nodes may belong to a wave, and how many of them. */
public record WaveRule(String name, Set<String> pools, LabelSelector nodeSelector, CountOrPercent maxNodes) {

  public boolean admits(Map<String, String> labels, String poolLabel) {
    if (!pools.isEmpty()) {
      return pools.contains(labels.get(poolLabel));
    }
    return nodeSelector != null && LabelSelectors.matches(nodeSelector, labels);
  }
}
