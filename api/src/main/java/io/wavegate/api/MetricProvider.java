package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where a metric gate queries. */
public class MetricProvider {

  @Required
  @JsonPropertyDescription("A Prometheus server (or any server with its HTTP query API: Thanos, Mimir, VictoriaMetrics).")
  private PrometheusProvider prometheus;

  public PrometheusProvider getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusProvider prometheus) { this.prometheus = prometheus; }
}
