package io.wavegate.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the informers last delivered a change for each node (its Node, or a Pod on it), so that the
 * time from a breach signal to the rollback decision can be measured. Used for that metric only;
 * no decision depends on it, so losing it on restart loses nothing.
 */
public final class SignalClock {

  private final Clock clock;
  private final Map<String, Instant> lastChange = new ConcurrentHashMap<>();

  public SignalClock(Clock clock) {
    this.clock = clock;
  }

  public void changed(String node) {
    if (node != null) {
      lastChange.put(node, clock.instant());
    }
  }

  public void forget(String node) {
    lastChange.remove(node);
  }

  /** Time since the newest change among the offending nodes: the change that tipped the breach. */
  public Optional<Duration> sinceLatestChange(Collection<String> nodes) {
    return nodes.stream().map(lastChange::get).filter(java.util.Objects::nonNull).max(Instant::compareTo)
        .map(at -> Duration.between(at, clock.instant()));
  }
}
