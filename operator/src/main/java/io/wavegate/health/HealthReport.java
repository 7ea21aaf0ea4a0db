package io.wavegate.health;

import java.util.List;
import java.util.Optional;

/** Signal counts over every node updated so far, and the limits they passed (first is the verdict). */
public record HealthReport(int unreadyNodes, int nodeReboots, int crashingPods, int contentFailures,
    List<Breach> breaches, List<String> offendingNodes) {

  public static final HealthReport HEALTHY = new HealthReport(0, 0, 0, 0, List.of(), List.of());

  public Optional<Breach> firstBreach() {
    return breaches.stream().findFirst();
  }
}
