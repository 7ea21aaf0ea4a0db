package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.PrometheusServer;
import io.wavegate.metrics.OperationsServer;
import io.wavegate.sim.Policies;
import io.wavegate.sim.Rollouts;
import io.wavegate.api.UpdateRing;
import io.wavegate.sim.SimulatedFleet;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's alerts, proven: promtool accepts the rendered rules, every metric they use is exported
 * by a running operator, and a real Prometheus scraping that operator fires them after a rollback, a
 * rejection and a pool its owners paused.
 */
class AlertsTest {

  static final String NS = Chart.NAMESPACE;
  static final String FILE = "C-00000291.sys";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @Test
  void theRulesPassPromtoolUseOnlyExportedMetricsAndFireAfterARollbackAndARejection() throws Exception {
    Path rules = renderedRules();
    Process promtool = new ProcessBuilder(PrometheusServer.binaries().resolve("promtool").toString(), "check", "rules",
        rules.toString()).redirectErrorStream(true).start();
    String checked = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor()).as(checked).isZero();
    assertThat(checked).contains("SUCCESS: 8 rules found");

    KubernetesClient client = api.client();
    Chart.install(client);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    io.wavegate.metrics.ProcessMeters.bind(registry); // as the packaged operator does
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String id = "a" + java.util.UUID.randomUUID().toString().substring(0, 6);
    // closed in reverse: the operator stops before its fleet goes
    try (SimulatedFleet fleet = new SimulatedFleet(client, id, Map.of("canary", 1, "paused", 1),
            node -> Chart.asAgentOn(client, node));
        WavegateOperator operator = Chart.startOperator(client,
            Map.of("WAVEGATE_LEADER_ELECTION", "false", "WAVEGATE_SOURCE_NAMESPACES", NS), registry);
        OperationsServer http = new OperationsServer(port, registry, operator::started);
        PrometheusServer prometheus = new PrometheusServer("wavegate-metrics", List.of("127.0.0.1:" + port), false,
            rules).start()) {
      // a rollout aborted mid-bake rolls back (a metric gate measured meanwhile); a zero-filled one is refused
      ContentRolloutSpec aborted = spec(client, id, id + "-v1", "rules v1".getBytes(StandardCharsets.UTF_8));
      aborted.getStrategy().getHealthGates().setMetrics(List.of(operatorUp(prometheus)));
      client.resource(Rollouts.named(id, aborted)).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> Rollouts.status(client, id) != null
          && Rollouts.status(client, id).getHealth() != null && Rollouts.status(client, id).getHealth().getMetrics() != null);
      await().atMost(Duration.ofSeconds(30)).until(() -> Rollouts.status(client, id) != null
          && Rollouts.status(client, id).getPhase() == RolloutPhase.Progressing);
      Rollouts.annotate(client, id, "wavegate.io/abort");
      Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(30));
      String rejected = id + "-zeros";
      client.resource(Rollouts.named(rejected, spec(client, id, rejected, new byte[4096]))).create();
      Rollouts.awaitPhase(client, rejected, RolloutPhase.Rejected, Duration.ofSeconds(30));

      // a pool its owners paused: the rollout succeeds without it, and the pool stays held
      String held = id + "-held";
      client.resource(Policies.over(held, id, held, UpdateRing.Paused, "paused")).create();
      ContentRolloutSpec paused = spec(client, id, held, "rules v1".getBytes(StandardCharsets.UTF_8));
      paused.getStrategy().setWaves(List.of(Rollouts.poolWave("paused", "0s")));
      client.resource(Rollouts.named(held, paused)).create();
      Rollouts.awaitPhase(client, held, RolloutPhase.Succeeded, Duration.ofSeconds(30));

      String exported = get("http://127.0.0.1:" + port + "/metrics");
      assertThat(metricNames(Files.readString(rules))).as("every metric the rules use is exported")
          .allSatisfy(name -> assertThat(exported).contains(name));
      assertThat(metricNames(dashboard())).as("every metric the dashboard uses is exported").hasSizeGreaterThan(8)
          .allSatisfy(name -> assertThat(exported).contains(name));

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(firing(prometheus))
          .contains("WavegateRolloutRolledBack/" + id, "WavegateContentRejected/" + rejected,
              "WavegateNodesHeldTooLong/" + held));
    }
  }

  private static ContentRolloutSpec spec(KubernetesClient client, String fleet, String name, byte[] bytes) {
    String digest = Rollouts.publish(client, NS, name, FILE, bytes);
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, name, FILE), "60s", Map.of("fleet", fleet));
    spec.getStrategy().setWaves(List.of(Rollouts.poolWave("canary", "60s")));
    return spec;
  }

  /** A metric gate that is always met: the operator's own scrape is up. */
  private static io.wavegate.api.MetricGate operatorUp(PrometheusServer prometheus) {
    io.wavegate.api.MetricGate gate = new io.wavegate.api.MetricGate();
    gate.setName("operator-up");
    io.wavegate.api.PrometheusProvider provider = new io.wavegate.api.PrometheusProvider();
    provider.setAddress(prometheus.address());
    io.wavegate.api.MetricProvider wrapper = new io.wavegate.api.MetricProvider();
    wrapper.setPrometheus(provider);
    gate.setProvider(wrapper);
    gate.setQuery("max(up)");
    gate.setMax(1.0);
    gate.setInterval("1s");
    gate.setNoData(io.wavegate.api.MetricNoData.Ignore);
    return gate;
  }

  /** The chart's Grafana dashboard, rendered. */
  private static String dashboard() {
    String rendered = Chart.render("--set", "metrics.grafanaDashboard.enabled=true", "--show-only",
        "templates/grafana-dashboard.yaml");
    String json = Serialization.unmarshal(rendered, io.fabric8.kubernetes.api.model.ConfigMap.class).getData()
        .get("wavegate.json");
    assertThat(Serialization.unmarshal(json, Map.class)).containsKey("panels");
    return json;
  }

  /** The chart's PrometheusRule, rendered, as a Prometheus rules file. */
  private static Path renderedRules() throws Exception {
    // nodes held for a second count as held too long here (72h by default)
    String rendered = Chart.render("--set", "metrics.prometheusRule.enabled=true,metrics.prometheusRule.heldFor=1s",
        "--show-only", "templates/prometheusrule.yaml");
    GenericKubernetesResource rule = Serialization.unmarshal(rendered, GenericKubernetesResource.class);
    Path file = Files.createTempFile("wavegate-rules", ".yml");
    Files.writeString(file, Serialization.asYaml(rule.getAdditionalProperties().get("spec")));
    return file;
  }

  private static Set<String> metricNames(String rules) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = Pattern.compile("\\b(?:wavegate|jvm|process)_[a-z_]+").matcher(rules);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    names.remove("wavegate_metrics"); // the scrape job's name, not a metric
    return names;
  }

  /** alertname/rollout of every firing alert. */
  private static Set<String> firing(PrometheusServer prometheus) throws Exception {
    JsonNode alerts = new ObjectMapper().readTree(get(prometheus.address() + "/api/v1/alerts")).path("data")
        .path("alerts");
    Set<String> firing = new TreeSet<>();
    alerts.forEach(a -> {
      if ("firing".equals(a.path("state").asText())) {
        firing.add(a.path("labels").path("alertname").asText() + "/" + a.path("labels").path("rollout").asText());
      }
    });
    return firing;
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
