package io.wavegate.analysis;

import java.time.Duration;

/**
 * A metric gate as the decision needs it, from the ContentRollout's spec and the template it
 * references: plain values.
 *
 * @param credentials namespace/name of the Secret with the provider's credentials, or null
 * @param template the ContentMetricTemplate it was resolved from, or null for a gate written inline
 */
public record MetricDef(String name, String address, String query, Duration interval, MetricJudge.Limits limits,
    int failureLimit, int consecutiveErrorLimit, String credentials, boolean insecureSkipVerify, Duration timeout,
    Template template) {

  /** The template a gate was resolved from: status records which generation each measurement used. */
  public record Template(String name, long generation) {}

  public boolean hasBaseline() {
    return limits.hasBaseline();
  }
}
