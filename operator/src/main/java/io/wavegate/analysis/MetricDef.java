package io.wavegate.analysis;

import java.time.Duration;

/**
 * A metric gate as the decision needs it, from the ContentRollout's spec: plain values.
 *
 * @param credentials namespace/name of the Secret with the provider's credentials, or null
 */
public record MetricDef(String name, String address, String query, Duration interval, MetricJudge.Limits limits,
    int failureLimit, int consecutiveErrorLimit, String credentials, boolean insecureSkipVerify, Duration timeout) {

  public boolean hasBaseline() {
    return limits.hasBaseline();
  }
}
