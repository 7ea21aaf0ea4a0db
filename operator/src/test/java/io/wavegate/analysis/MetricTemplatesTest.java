package io.wavegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentMetricTemplateSpec;
import io.wavegate.api.MetricArg;
import io.wavegate.api.MetricGate;
import io.wavegate.api.MetricNoData;
import io.wavegate.api.MetricProvider;
import io.wavegate.api.MetricTemplateRef;
import io.wavegate.api.PrometheusProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricTemplatesTest {

  static final String REBOOTS_QUERY =
      "sum(changes(node_boot_time_seconds{job=\"{{args.job}}\", {{args.nodeLabel}}=~\"{{nodes}}\"}[{{args.window}}]))";

  static Stream<Arguments> resolutions() {
    return Stream.of(
        resolved("an inline gate as written, with the documented defaults",
            inline(g -> g.setMax(0.0)), Map.of(), def -> {
              assertThat(def.query()).isEqualTo("sum(crashes{node=~\"{{nodes}}\"})");
              assertThat(def.interval()).isEqualTo(Duration.ofSeconds(30));
              assertThat(def.failureLimit()).isZero();
              assertThat(def.consecutiveErrorLimit()).isEqualTo(4);
              assertThat(def.limits().noData()).isEqualTo(MetricJudge.NoData.Inconclusive);
              assertThat(def.template()).isNull();
            }),
        resolved("a reference takes the template's query with its arguments, defaults for those left out",
            ref("node-reboots", new MetricArg("job", "node")), Map.of("node-reboots", reboots(7)), def -> {
              assertThat(def.name()).isEqualTo("reboots");
              assertThat(def.query()).isEqualTo(
                  "sum(changes(node_boot_time_seconds{job=\"node\", instance=~\"{{nodes}}\"}[10m]))");
              assertThat(def.address()).isEqualTo("http://prometheus:9090");
              assertThat(def.limits().max()).isEqualTo(0.0);
              assertThat(def.interval()).isEqualTo(Duration.ofMinutes(1));
              assertThat(def.limits().noData()).isEqualTo(MetricJudge.NoData.Fail);
              assertThat(def.template()).isEqualTo(new MetricDef.Template("node-reboots", 7));
            }),
        resolved("the gate's own fields override the template's; its thresholds replace the template's as a set",
            ref("node-reboots", g -> {
              g.setInterval("5s");
              g.setFailureLimit(2);
              g.setMin(1.0);
            }, new MetricArg("job", "node")), Map.of("node-reboots", reboots(1)), def -> {
              assertThat(def.interval()).isEqualTo(Duration.ofSeconds(5));
              assertThat(def.failureLimit()).isEqualTo(2);
              assertThat(def.limits().min()).isEqualTo(1.0);
              assertThat(def.limits().max()).as("the template's max is not mixed with the gate's min").isNull();
              assertThat(def.limits().noData()).as("not overridden").isEqualTo(MetricJudge.NoData.Fail);
            }),
        unresolved("a missing template", ref("node-reboots", new MetricArg("job", "node")), Map.of(),
            "metric gate reboots: ContentMetricTemplate node-reboots not found"),
        unresolved("an argument without a default left out", ref("node-reboots"), Map.of("node-reboots", reboots(1)),
            "metric gate reboots: ContentMetricTemplate node-reboots needs argument job: give it in templateRef.args"),
        unresolved("an argument the template does not declare",
            ref("node-reboots", new MetricArg("job", "node"), new MetricArg("jbo", "node")),
            Map.of("node-reboots", reboots(1)),
            "templateRef.args gives jbo, which ContentMetricTemplate node-reboots does not declare (it declares job,"
                + " nodeLabel, window)"),
        unresolved("a template whose query uses an argument it does not declare",
            ref("node-reboots", new MetricArg("job", "node")),
            Map.of("node-reboots", template("node-reboots", 1, REBOOTS_QUERY.replace("args.window", "args.range"))),
            "ContentMetricTemplate node-reboots: the query uses {{args.range}}, an argument that is not declared"),
        unresolved("a gate with neither a reference nor a query (stored under an older CRD)",
            inline(g -> g.setQuery(null)), Map.of(), "metric gate crashes: it has neither a templateRef nor a provider"),
        unresolved("an inline gate whose query uses an argument",
            inline(g -> g.setQuery("sum(crashes{job=\"{{args.job}}\"})")), Map.of(),
            "metric gate crashes: the query uses {{args.job}}, an argument that is not declared"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resolutions")
  void resolves(String name, MetricGate gate, Map<String, ContentMetricTemplate> templates,
      Consumer<MetricTemplates.Resolution> then) {
    then.accept(MetricTemplates.resolve(gate, templates));
  }

  private static Arguments resolved(String name, MetricGate gate, Map<String, ContentMetricTemplate> templates,
      Consumer<MetricDef> then) {
    return Arguments.of(name, gate, templates, (Consumer<MetricTemplates.Resolution>) r -> {
      assertThat(r).isInstanceOf(MetricTemplates.Resolved.class);
      then.accept(((MetricTemplates.Resolved) r).def());
    });
  }

  private static Arguments unresolved(String name, MetricGate gate, Map<String, ContentMetricTemplate> templates,
      String message) {
    return Arguments.of(name, gate, templates, (Consumer<MetricTemplates.Resolution>) r -> {
      assertThat(r).isInstanceOf(MetricTemplates.Unresolved.class);
      assertThat(((MetricTemplates.Unresolved) r).message()).contains(message);
    });
  }

  static ContentMetricTemplate reboots(long generation) {
    return template("node-reboots", generation, REBOOTS_QUERY);
  }

  static ContentMetricTemplate template(String name, long generation, String query) {
    ContentMetricTemplateSpec spec = new ContentMetricTemplateSpec();
    spec.setProvider(provider());
    spec.setQuery(query);
    spec.setInterval("1m");
    spec.setMax(0.0);
    spec.setNoData(MetricNoData.Fail);
    spec.setArgs(List.of(new MetricArg("job", null), new MetricArg("nodeLabel", "instance"),
        new MetricArg("window", "10m")));
    ContentMetricTemplate template = new ContentMetricTemplate();
    template.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(generation).build());
    template.setSpec(spec);
    return template;
  }

  static MetricGate ref(String template, MetricArg... args) {
    return ref(template, g -> { }, args);
  }

  static MetricGate ref(String template, Consumer<MetricGate> customize, MetricArg... args) {
    MetricGate gate = new MetricGate();
    gate.setName("reboots");
    MetricTemplateRef ref = new MetricTemplateRef();
    ref.setName(template);
    ref.setArgs(args.length == 0 ? null : Arrays.asList(args));
    gate.setTemplateRef(ref);
    customize.accept(gate);
    return gate;
  }

  static MetricGate inline(Consumer<MetricGate> customize) {
    MetricGate gate = new MetricGate();
    gate.setName("crashes");
    gate.setProvider(provider());
    gate.setQuery("sum(crashes{node=~\"{{nodes}}\"})");
    customize.accept(gate);
    return gate;
  }

  private static MetricProvider provider() {
    PrometheusProvider prometheus = new PrometheusProvider();
    prometheus.setAddress("http://prometheus:9090");
    MetricProvider provider = new MetricProvider();
    provider.setPrometheus(prometheus);
    return provider;
  }
}
