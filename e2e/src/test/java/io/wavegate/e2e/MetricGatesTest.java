package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.analysis.PrometheusQuery;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentMetricTemplateSpec;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.MetricArg;
import io.wavegate.api.MetricBaseline;
import io.wavegate.api.MetricGate;
import io.wavegate.api.MetricNoData;
import io.wavegate.api.MetricProvider;
import io.wavegate.api.MetricStatus;
import io.wavegate.api.MetricTemplateRef;
import io.wavegate.api.PrometheusProvider;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.SecretRef;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.PrometheusServer;
import io.wavegate.sim.CrashExporter;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metric gates against a real Prometheus scraping the simulated fleet's crash counters every
 * second, with the operator, the chart's RBAC and the real agents on a real API server.
 */
class MetricGatesTest {

  static final String NS = Chart.NAMESPACE;
  static final String FILE = "C-00000291.sys";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private static KubernetesClient client;
  private static CrashExporter exporter;
  private static PrometheusServer prometheus;
  private static PrometheusServer guarded;
  private WavegateOperator operator;
  private SimpleMeterRegistry registry;
  private SimulatedFleet fleet;
  private String id;

  @BeforeAll
  static void cluster() throws Exception {
    client = api.client();
    exporter = new CrashExporter(List.of());
    prometheus = new PrometheusServer(List.of(exporter.target()), false).start();
    guarded = new PrometheusServer(List.of(exporter.target()), true).start();
    // with the chart's own node_exporter reboots template, pointed at this Prometheus
    Chart.install(client, "--set", "metricTemplates.nodeReboots.enabled=true",
        "--set", "metricTemplates.nodeReboots.prometheusAddress=" + prometheus.address());
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    prometheus.close();
    guarded.close();
    exporter.close();
  }

  @BeforeEach
  void startOperatorAndFleet() {
    id = "m" + UUID.randomUUID().toString().substring(0, 6);
    registry = new SimpleMeterRegistry();
    operator = Chart.startOperator(client,
        Map.of("WAVEGATE_LEADER_ELECTION", "false", "WAVEGATE_SOURCE_NAMESPACES", NS), registry);
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", 2);
    pools.put("early", 3);
    pools.put("broad", 4);
    fleet = new SimulatedFleet(client, id, pools, node -> Chart.asAgentOn(client, node));
    fleet.nodes().forEach(node -> exporter.set(node, 0));
    awaitScraped(prometheus, PrometheusQuery.Credentials.NONE);
  }

  /** Until Prometheus holds a series of every node of this test's fleet: a real fleet's metrics predate its rollouts. */
  private void awaitScraped(PrometheusServer server, PrometheusQuery.Credentials credentials) {
    PrometheusQuery query = new PrometheusQuery(HttpClient.newHttpClient());
    await().atMost(Duration.ofSeconds(20)).until(() -> query.run(server.address(), "count(" + CrashExporter.METRIC
        + "{node=~\"" + id + "-.*\"})", credentials, Duration.ofSeconds(2)).values()
        .equals(List.of((double) fleet.nodes().size())));
  }

  @AfterEach
  void stop() {
    operator.close();
    fleet.close();
  }

  @Test
  void aCrashCounterRisingOnlyOnCanaryNodesRollsBackWithTheCanaryAsBlastRadius() {
    create("v1", "10s", gate(m -> m.setMax(0.0)));
    String canary = awaitCanaryApplied();

    exporter.set(canary, 1);

    ContentRolloutStatus status = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(45));
    assertThat(status.getStall().getReason()).isEqualTo("MetricThreshold");
    assertThat(status.getStall().getMessage()).contains("metric sensor-crashes: 1 > max 0 over 2 updated nodes",
        canary);
    MetricStatus measured = metric(status);
    assertThat(measured.getValue()).isEqualTo(1.0);
    assertThat(measured.getFailures()).isEqualTo(1);
    assertThat(measured.getOutcome()).isEqualTo("Failed");
    for (String node : fleet.nodes()) {
      if (!node.contains("canary")) {
        assertThat(fleet.desiredHistory(node, id)).as("outside the canary: never assigned").isEmpty();
      }
    }
    assertThat(events()).contains("MetricMeasurement", "RollbackStarted");
    assertThat(registry.get("wavegate_metric_measurements").tag("rollout", id).tag("outcome", "Failed").counter()
        .count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aMetricWithinItsThresholdsLetsTheRolloutSucceedAndItsValuesAreInStatus() {
    create("v1", "3s", gate(m -> m.setMax(0.0)));

    ContentRolloutStatus status = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    MetricStatus measured = metric(status);
    assertThat(measured.getOutcome()).isEqualTo("Passed");
    assertThat(measured.getValue()).isEqualTo(0.0);
    assertThat(measured.getMeasurements()).isGreaterThanOrEqualTo(2);
    assertThat(measured.getFailures()).isZero();
    assertThat(measured.getAt()).isNotNull();
  }

  @Test
  void noDataHaltsUnderInconclusiveAndPromoteGoesOn() {
    create("v1", "3s", gate(withoutData(MetricNoData.Inconclusive)));

    ContentRolloutStatus halted = Rollouts.awaitPhase(client, id, RolloutPhase.Halted, Duration.ofSeconds(45));
    assertThat(halted.getStall().getReason()).isEqualTo("MetricInconclusive");
    assertThat(halted.getStall().getMessage()).contains("no data", "wavegate.io/promote");

    Rollouts.annotate(client, id, "wavegate.io/promote");
    ContentRolloutStatus done = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    assertThat(metric(done).getNoDataAccepted()).isTrue();
  }

  @Test
  void noDataFailsUnderFailAndIsIgnoredUnderIgnore() {
    create("v1", "3s", gate(withoutData(MetricNoData.Fail)));
    ContentRolloutStatus failed = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(45));
    assertThat(failed.getStall().getMessage()).contains("no data (noData: Fail)");

    String second = id + "-ignore";
    createAs(second, "v2", "3s", gate(withoutData(MetricNoData.Ignore)));
    ContentRolloutStatus ignored = Rollouts.awaitPhase(client, second, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    assertThat(ignored.getHealth().getMetrics().get(0).getOutcome()).isEqualTo("Ignored");
  }

  @Test
  void prometheusStoppedMidBakeIsAProviderErrorBreachAfterItsLimit() throws Exception {
    create("v1", "30s", gate(m -> {
      m.setMax(0.0);
      m.setConsecutiveErrorLimit(2);
    }));
    awaitCanaryApplied();
    await().atMost(Duration.ofSeconds(20)).until(() -> metric(Rollouts.status(client, id)) != null
        && "Passed".equals(metric(Rollouts.status(client, id)).getOutcome()));
    prometheus.stop();
    try {
      ContentRolloutStatus status = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(45));
      assertThat(status.getStall().getReason()).isEqualTo("MetricProviderError");
      assertThat(status.getStall().getMessage()).contains("3 provider errors in a row, consecutiveErrorLimit 2",
          "cannot reach Prometheus at " + prometheus.address());
    } finally {
      prometheus.start();
    }
  }

  @Test
  void oneFlakyMeasurementUnderFailureLimitOneLetsTheRolloutGoOn() {
    create("v1", "12s", gate(m -> {
      m.setMax(0.0);
      m.setFailureLimit(1);
      m.setInterval("3s");
    }));
    String canary = awaitCanaryApplied();
    exporter.set(canary, 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> metric(Rollouts.status(client, id)).getFailures() == 1);
    exporter.set(canary, 0);

    ContentRolloutStatus status = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    assertThat(metric(status).getFailures()).isEqualTo(1);
  }

  @Test
  void aBaselinePassesFleetWideNoiseAndFailsARateThatRisesOnUpdatedNodesOnly() {
    fleet.nodes().forEach(node -> exporter.set(node, 2));
    Consumer<MetricGate> baseline = m -> {
      m.setQuery("avg(sensor_crashes_total{node=~\"{{nodes}}\"})");
      MetricBaseline b = new MetricBaseline();
      b.setMaxRatio(1.5);
      m.setBaseline(b);
    };
    create("v1", "3s", gate(baseline));
    ContentRolloutStatus noisy = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    assertThat(metric(noisy).getFailures()).isZero();

    update("v2", "10s", gate(baseline));
    String canary = awaitCanaryApplied();
    fleet.nodes().stream().filter(n -> n.contains("canary")).forEach(n -> exporter.set(n, 6));
    ContentRolloutStatus rising = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(45));
    assertThat(rising.getStall().getMessage()).contains("6 > baseline 2 x 1.5", canary);
  }

  @Test
  void credentialsAreSentAndAWrongPasswordIsAClearProviderError() {
    awaitScraped(guarded, new PrometheusQuery.Credentials(java.util.Optional.empty(),
        java.util.Optional.of(PrometheusServer.USER), java.util.Optional.of(PrometheusServer.PASSWORD), "test"));
    secret(id + "-good", PrometheusServer.PASSWORD);
    create("v1", "3s", gate(m -> {
      m.setMax(0.0);
      m.getProvider().getPrometheus().setAddress(guarded.address());
      m.getProvider().getPrometheus().setAuthSecretRef(secretRef(id + "-good"));
    }));
    ContentRolloutStatus passed = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    assertThat(metric(passed).getOutcome()).isEqualTo("Passed");

    secret(id + "-bad", "not-the-password");
    String second = id + "-bad";
    createAs(second, "v2", "3s", gate(m -> {
      m.setMax(0.0);
      m.setConsecutiveErrorLimit(0);
      m.getProvider().getPrometheus().setAddress(guarded.address());
      m.getProvider().getPrometheus().setAuthSecretRef(secretRef(id + "-bad"));
    }));
    ContentRolloutStatus refused = Rollouts.awaitPhase(client, second, RolloutPhase.RolledBack, Duration.ofSeconds(45));
    assertThat(refused.getStall().getReason()).isEqualTo("MetricProviderError");
    assertThat(refused.getStall().getMessage()).contains("refused the credentials (HTTP 401) from Secret " + NS + "/"
        + id + "-bad");
  }

  @Test
  void aGateReferencingATemplateMeasuresWithItsArgumentsAndAnEditTakesEffectOnTheNextMeasurement() {
    String name = id + "-crashes";
    client.resource(template(name, t -> t.setMax(5.0))).create();
    create("v1", "60s", reference(name, new MetricArg("metric", CrashExporter.METRIC)));
    String canary = awaitCanaryApplied();
    exporter.set(canary, 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      MetricStatus m = metric(Rollouts.status(client, id));
      return m != null && Double.valueOf(1.0).equals(m.getValue()) && "Passed".equals(m.getOutcome());
    });
    MetricStatus first = metric(Rollouts.status(client, id));
    assertThat(first.getTemplate()).isEqualTo(name);
    assertThat(first.getTemplateGeneration()).isEqualTo(1L);
    assertThat(first.getMessage()).isEqualTo("1 within its thresholds");

    client.resources(ContentMetricTemplate.class).withName(name).edit(t -> {
      t.getSpec().setMax(0.0);
      return t;
    });

    ContentRolloutStatus status = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(45));
    assertThat(status.getStall().getReason()).isEqualTo("MetricThreshold");
    assertThat(status.getStall().getMessage()).contains("metric sensor-crashes: 1 > max 0 over 2 updated nodes");
    assertThat(metric(status).getTemplateGeneration()).as("the edit was measured").isEqualTo(2L);
  }

  @Test
  void aMissingTemplateOrArgumentStallsThatRolloutAloneUntilItResolves() {
    String name = id + "-later";
    create("v1", "3s", reference(name));
    ContentRolloutStatus missing = awaitStall("not found");
    assertThat(missing.getStall().getMessage()).contains("metric gate sensor-crashes: ContentMetricTemplate " + name
        + " not found");
    assertThat(missing.getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(missing.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Stalled");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("MetricTemplateUnresolved");
    });
    assertThat(events()).contains("MetricTemplateUnresolved");

    String other = id + "-inline";
    createAs(other, "v2", "3s", gate(m -> m.setMax(0.0)));
    Rollouts.awaitPhase(client, other, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    for (String node : fleet.nodes()) {
      assertThat(fleet.desiredHistory(node, id)).as("the stalled rollout assigned no node").isEmpty();
    }

    client.resource(template(name, t -> t.setMax(0.0))).create();
    ContentRolloutStatus noArgument = awaitStall("needs argument");
    assertThat(noArgument.getStall().getMessage()).contains("ContentMetricTemplate " + name
        + " needs argument metric: give it in templateRef.args");

    update("v1", "3s", reference(name, new MetricArg("metric", CrashExporter.METRIC)));
    ContentRolloutStatus done = Rollouts.awaitPhase(client, id, RolloutPhase.Succeeded, Duration.ofSeconds(60));
    assertThat(done.getStall()).isNull();
    assertThat(metric(done).getTemplate()).isEqualTo(name);
  }

  @Test
  void theChartsNodeRebootsTemplateRollsBackWhenACanaryNodeBootsAgain() {
    MetricGate reboots = reference("node-reboots", new MetricArg("job", "fleet"), new MetricArg("nodeLabel", "node"),
        new MetricArg("window", "1m"));
    reboots.setInterval("1s");
    create("v1", "60s", reboots);
    String canary = awaitCanaryApplied();
    await().atMost(Duration.ofSeconds(20)).until(() -> metric(Rollouts.status(client, id)) != null
        && "Passed".equals(metric(Rollouts.status(client, id)).getOutcome()));
    assertThat(metric(Rollouts.status(client, id)).getTemplate()).isEqualTo("node-reboots");

    exporter.reboot(canary);

    ContentRolloutStatus status = Rollouts.awaitPhase(client, id, RolloutPhase.RolledBack, Duration.ofSeconds(45));
    assertThat(status.getStall().getReason()).isEqualTo("MetricThreshold");
    assertThat(status.getStall().getMessage()).contains("metric sensor-crashes: 1 > max 0", canary);
  }

  // ---- helpers

  private ContentRolloutStatus awaitStall(String saying) {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      ContentRolloutStatus s = Rollouts.status(client, id);
      return s != null && s.getStall() != null && "MetricTemplateUnresolved".equals(s.getStall().getReason())
          && s.getStall().getMessage().contains(saying);
    });
    return Rollouts.status(client, id);
  }

  /** A platform team's template of the fleet's crash counters: the metric's name is its argument. */
  private ContentMetricTemplate template(String name, Consumer<ContentMetricTemplateSpec> customize) {
    ContentMetricTemplateSpec spec = new ContentMetricTemplateSpec();
    spec.setProvider(gate(m -> { }).getProvider());
    spec.setQuery("sum({{args.metric}}{node=~\"{{nodes}}\"})");
    spec.setInterval("1s");
    spec.setNoData(MetricNoData.Fail);
    spec.setArgs(List.of(new MetricArg("metric", null)));
    customize.accept(spec);
    ContentMetricTemplate template = new ContentMetricTemplate();
    template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    template.setSpec(spec);
    return template;
  }

  private static MetricGate reference(String template, MetricArg... args) {
    MetricGate gate = new MetricGate();
    gate.setName("sensor-crashes");
    MetricTemplateRef ref = new MetricTemplateRef();
    ref.setName(template);
    ref.setArgs(args.length == 0 ? null : List.of(args));
    gate.setTemplateRef(ref);
    return gate;
  }

  /** A gate on a metric the fleet does not export: every measurement is no data. */
  private static Consumer<MetricGate> withoutData(MetricNoData policy) {
    return m -> {
      m.setQuery("sum(sensor_load_errors_total{node=~\"{{nodes}}\"})");
      m.setMax(0.0);
      m.setNoData(policy);
    };
  }

  private String awaitCanaryApplied() {
    String canary = fleet.nodes().stream().filter(n -> n.contains("canary")).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.report(canary, id) != null
        && Rollouts.status(client, id).getRevisionDigest() != null
        && fleet.report(canary, id).applied(Rollouts.status(client, id).getRevisionDigest()));
    return canary;
  }

  private static MetricStatus metric(ContentRolloutStatus status) {
    return status == null || status.getHealth() == null || status.getHealth().getMetrics() == null
        || status.getHealth().getMetrics().isEmpty() ? null : status.getHealth().getMetrics().get(0);
  }

  private MetricGate gate(Consumer<MetricGate> customize) {
    MetricGate gate = new MetricGate();
    gate.setName("sensor-crashes");
    PrometheusProvider provider = new PrometheusProvider();
    provider.setAddress(prometheus.address());
    provider.setTimeout("2s");
    MetricProvider wrapper = new MetricProvider();
    wrapper.setPrometheus(provider);
    gate.setProvider(wrapper);
    gate.setQuery("sum(" + CrashExporter.METRIC + "{node=~\"{{nodes}}\"})");
    gate.setInterval("1s");
    gate.setNoData(MetricNoData.Fail);
    customize.accept(gate);
    return gate;
  }

  private void create(String content, String canaryBake, MetricGate gate) {
    createAs(id, content, canaryBake, gate);
  }

  private void createAs(String name, String content, String canaryBake, MetricGate gate) {
    client.resource(Rollouts.named(name, spec(content, canaryBake, gate))).create();
  }

  private void update(String content, String canaryBake, MetricGate gate) {
    Rollouts.apply(client, id, spec(content, canaryBake, gate));
  }

  private ContentRolloutSpec spec(String content, String canaryBake, MetricGate gate) {
    String digest = Rollouts.publish(client, NS, id + "-" + content, FILE,
        ("rules " + content + " " + id).getBytes(StandardCharsets.UTF_8));
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, id + "-" + content, FILE), canaryBake,
        Map.of("fleet", id));
    spec.getStrategy().getHealthGates().setMetrics(List.of(gate));
    return spec;
  }

  private void secret(String name, String password) {
    client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .addToStringData("username", PrometheusServer.USER).addToStringData("password", password).build()).create();
  }

  private static SecretRef secretRef(String name) {
    SecretRef ref = new SecretRef();
    ref.setNamespace(NS);
    ref.setName(name);
    return ref;
  }

  private List<String> events() {
    return client.v1().events().inAnyNamespace().list().getItems().stream()
        .filter(e -> id.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
  }
}
