package io.wavegate.agent;

import io.wavegate.contract.Digests;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A few Prometheus metrics of the agent, in the text format, rendered from its counters and its disk. */
public final class AgentMetrics {

  /** The outcome of a revert to the stable revision that a revocation ordered. */
  static final String REVERTED = "Reverted";

  private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

  /** Counts one outcome: Applied, Reverted, or the reason of a failure. */
  void count(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
  }

  String render(ContentStore store) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# HELP wavegate_agent_deliveries_total Deliveries by outcome: Applied, Reverted (a revocation), or the reason it failed.\n")
        .append("# TYPE wavegate_agent_deliveries_total counter\n");
    new TreeMap<>(outcomes).forEach((outcome, n) -> out.append("wavegate_agent_deliveries_total{outcome=\"")
        .append(outcome).append("\"} ").append(n.get()).append('\n'));
    out.append("# HELP wavegate_agent_content_info The revision on disk per channel, and whether it is still tentative.\n")
        .append("# TYPE wavegate_agent_content_info gauge\n");
    StringBuilder applied = new StringBuilder();
    for (String channel : store.channels()) {
      String revision = store.current(channel).map(ContentStore.Current::revision).orElse(null);
      if (revision == null) {
        continue;
      }
      ChannelState state = store.state(channel);
      boolean tentative = state.tentative() && revision.equals(state.revision());
      out.append("wavegate_agent_content_info{channel=\"").append(channel).append("\",revision=\"")
          .append(Digests.shortRevision(revision)).append("\",tentative=\"").append(tentative).append("\"} 1\n");
      Instant at = revision.equals(state.revision()) ? state.appliedAt() : null;
      if (at != null) {
        applied.append("wavegate_agent_last_apply_timestamp_seconds{channel=\"").append(channel).append("\"} ")
            .append(at.getEpochSecond()).append('\n');
      }
    }
    out.append("# HELP wavegate_agent_last_apply_timestamp_seconds When the channel's current file was applied.\n")
        .append("# TYPE wavegate_agent_last_apply_timestamp_seconds gauge\n").append(applied);
    return out.toString();
  }
}
