package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wavegate.analysis.Measurement;
import io.wavegate.analysis.PrometheusQuery;
import io.wavegate.analysis.QueryTemplate;
import io.wavegate.e2e.support.PrometheusServer;
import io.wavegate.sim.CrashExporter;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A metric gate's query scoped to 5,000 updated nodes, against a real Prometheus holding 5,500
 * nodes' series: the answer is exact, and its size and latency are printed (figures, not assertions).
 */
class MetricQueryScaleTest {

  static final int FLEET = 5_500;
  static final int UPDATED = 5_000;

  @Test
  void aQueryOverFiveThousandNodesIsExactAndItsSizeAndLatencyArePrinted() throws Exception {
    List<String> nodes = IntStream.range(0, FLEET).mapToObj(i -> "ip-10-" + (i / 250) + "-" + (i % 250)
        + ".eu-west-1.compute.internal").toList();
    try (CrashExporter exporter = new CrashExporter(nodes);
        PrometheusServer prometheus = new PrometheusServer(List.of(exporter.target()), false).start()) {
      // one crash on every updated node, three on every other: the scope decides the answer
      for (int i = 0; i < FLEET; i++) {
        exporter.set(nodes.get(i), i < UPDATED ? 1 : 3);
      }
      PrometheusQuery query = new PrometheusQuery(HttpClient.newHttpClient());
      await().atMost(Duration.ofSeconds(30)).until(() -> query.run(prometheus.address(), "sum(" + CrashExporter.METRIC
          + ")", PrometheusQuery.Credentials.NONE, Duration.ofSeconds(5)).values().equals(List.of(
              (double) UPDATED + 3.0 * (FLEET - UPDATED))));

      List<String> updated = nodes.subList(0, UPDATED);
      String rendered = QueryTemplate.render("sum(" + CrashExporter.METRIC + "{node=~\"{{nodes}}\"})",
          new QueryTemplate.Variables(updated, updated, "sensor", "a".repeat(64), "broad"));
      List<Long> millis = new ArrayList<>();
      Measurement last = null;
      for (int run = 0; run < 11; run++) {
        long started = System.nanoTime();
        last = query.run(prometheus.address(), rendered, PrometheusQuery.Credentials.NONE, Duration.ofSeconds(10));
        millis.add((System.nanoTime() - started) / 1_000_000);
      }
      assertThat(last.error()).isEmpty();
      assertThat(last.values()).as("exactly the 5,000 updated nodes, each with one crash").containsExactly((double) UPDATED);

      Collections.sort(millis);
      int body = ("query=" + URLEncoder.encode(rendered, StandardCharsets.UTF_8)).length();
      System.out.println("[figure] metric gate query over " + UPDATED + " of " + FLEET + " nodes: query "
          + rendered.length() + " bytes, POST body " + body + " bytes; latency p50 " + millis.get(millis.size() / 2)
          + " ms, max " + millis.get(millis.size() - 1) + " ms over " + millis.size() + " queries (Prometheus "
          + "on loopback, 2 cores)");
    }
  }
}
