package io.wavegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wavegate.api.RolloutPhase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OperationsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetricsHealthAndReadinessOverHttp() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RolloutMetrics metrics = new RolloutMetrics(registry, java.util.List.of("Aborted"), java.util.List.of("ZeroFilled"));
    List<RolloutPhase> phases = new ArrayList<>(List.of(RolloutPhase.Progressing, RolloutPhase.Succeeded));
    metrics.countPhasesOf(phases::stream);
    metrics.rollback("sensor-channel-291", "NodesRebooted");
    AtomicBoolean ready = new AtomicBoolean(false);
    try (OperationsServer server = new OperationsServer(0, registry, ready::get)) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
      String scrape = get(server, "/metrics").body();
      assertThat(scrape).contains("wavegate_rollouts{phase=\"Progressing\"} 1.0");
      assertThat(scrape).contains("wavegate_rollouts{phase=\"Succeeded\"} 1.0");
      assertThat(scrape).contains("wavegate_rollouts{phase=\"Rejected\"} 0.0");
      phases.remove(RolloutPhase.Succeeded);
      assertThat(get(server, "/metrics").body()).as("a deleted rollout is no longer counted")
          .contains("wavegate_rollouts{phase=\"Succeeded\"} 0.0");
      assertThat(scrape).contains("wavegate_rollbacks_total{reason=\"NodesRebooted\",rollout=\"sensor-channel-291\"} 1.0");
    }
  }

  private HttpResponse<String> get(OperationsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
