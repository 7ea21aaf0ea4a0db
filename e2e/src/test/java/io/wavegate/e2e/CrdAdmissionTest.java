package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.e2e.support.ApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed CRD on a real API server: it installs, takes the examples, and refuses bad objects. */
class CrdAdmissionTest {

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private static CustomResourceDefinition crd;

  @BeforeAll
  static void installCrd() {
    crd = api.installCrd();
    api.client().resource(new NamespaceBuilder().withNewMetadata().withName("wavegate-system").endMetadata().build())
        .serverSideApply();
  }

  @Test
  void crdIsEstablishedClusterScopedWithStatusAndPrinterColumns() {
    assertThat(ApiServer.established(crd)).isTrue();
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("cro");
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("PHASE", "WAVE", "NODES", "REVISION", "STABLE", "AGE", "UNAVAILABLE", "HELD", "BAKE-UNTIL", "MESSAGE");
  }

  @Test
  void examplesAreAccepted() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(ApiServer.repoRoot().resolve("examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
    for (Path example : examples) {
      List<HasMetadata> items;
      try (InputStream in = Files.newInputStream(example)) {
        items = api.client().load(in).items();
      }
      for (HasMetadata item : items) {
        api.client().resource(item).serverSideApply();
      }
      assertThat(items).as(example.toString()).anyMatch(i -> i.getKind().equals("ContentRollout"));
    }
    assertThat(api.client().resources(ContentRollout.class).list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .contains("sensor-channel-291", "syscall-policy", "sensor-channel-292");
    ContentRollout sensor = api.client().resources(ContentRollout.class).withName("sensor-channel-291").get();
    assertThat(sensor.getSpec().getStrategy().getWaves()).hasSize(3);
  }

  static Stream<Arguments> badObjects() {
    return Stream.of(
        bad("sha256 missing", r -> content(r).remove("sha256"), "spec.content.sha256: Required value"),
        bad("sha256 not hex", r -> content(r).put("sha256", "XYZ" + "0".repeat(61)), "sha256 must be the 64 lowercase hex"),
        bad("sha256 too short", r -> content(r).put("sha256", "abc123"), "sha256 must be the 64 lowercase hex"),
        bad("no content source", r -> content(r).put("source", new LinkedHashMap<>()), "exactly one content source must be set"),
        bad("two content sources", r -> source(r).put("secretRef", Map.of("name", "s", "key", "k")),
            "exactly one content source must be set"),
        bad("no waves", r -> strategy(r).put("waves", List.of()), "spec.strategy.waves: Invalid value"),
        bad("duplicate wave names", r -> waves(r).add(wave("canary", "broad")), "wave names must be unique"),
        bad("wave without pools or nodeSelector", r -> waves(r).add(Map.of("name", "lonely")),
            "each wave needs pools or a nodeSelector"),
        bad("maxNodes above 100%", r -> waves(r).get(0).put("maxNodes", "150%"), "maxNodes must be a whole number >= 0 or a percent"),
        bad("maxNodes negative", r -> waves(r).get(0).put("maxNodes", -1), "maxNodes must be a whole number >= 0 or a percent"),
        bad("maxNodes not a number", r -> waves(r).get(0).put("maxNodes", "two"), "maxNodes must be a whole number >= 0 or a percent"),
        bad("bakeTime not a duration", r -> waves(r).get(0).put("bakeTime", "ten minutes"), "bakeTime must be a duration"),
        bad("progressDeadline without unit", r -> gates(r).put("progressDeadline", "600"), "progressDeadline must be a duration"),
        bad("maxUnreadyNodes bad percent", r -> gates(r).put("maxUnreadyNodes", "2.5%"), "maxUnreadyNodes must be a whole number"),
        bad("maxBytes below minBytes", r -> spec(r).put("validation", Map.of("minBytes", 4096, "maxBytes", 1024)),
            "validation.maxBytes must be greater than or equal to validation.minBytes"),
        bad("unknown rollback policy", r -> strategy(r).put("rollback", "Sometimes"), "Unsupported value: \"Sometimes\""),
        bad("unknown format", r -> spec(r).put("validation", Map.of("format", "XML")), "Unsupported value: \"XML\""),
        bad("unknown signature algorithm", r -> content(r).put("signature",
            Map.of("algorithm", "RSA", "value", "AAAA", "keyId", "release-2026")),
            "Unsupported value: \"RSA\""),
        bad("fileName with a directory", r -> content(r).put("fileName", "../../etc/passwd"), "fileName must be a plain file name of letters"),
        bad("fileName of the agent's state", r -> content(r).put("fileName", ".wavegate-state"),
            "does not start with '.' (names starting with '.' are the node agent's own)"),
        bad("fileName of the agent's directory", r -> content(r).put("fileName", ".wavegate"), "does not start with '.'"),
        bad("a source key starting with a dot and no fileName", r -> {
          content(r).remove("fileName");
          source(r).put("configMapRef", Map.of("name", "channel", "key", ".wavegate-current"));
        }, "the source key starts with '.', and no file name on nodes may"),
        bad("wave name not a DNS label", r -> waves(r).get(0).put("name", "Canary_1"), "wave name must be a DNS label"),
        bad("strategy missing", r -> spec(r).remove("strategy"), "spec.strategy: Required value"),
        bad("name longer than 50", r -> r.getMetadata().setName("c".repeat(51)), "at most 50 characters"),
        bad("name not a DNS label", r -> r.getMetadata().setName("sensor.channel"), "must be a DNS label"),
        bad("fleet selector with operator Matches", r -> spec(r).put("nodeSelector", expression("Matches", List.of("a"))),
            "Unsupported value: \"Matches\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""),
        bad("fleet selector In without values", r -> spec(r).put("nodeSelector", expression("In", List.of())),
            "operators In and NotIn need at least one value"),
        bad("fleet selector Exists with values", r -> spec(r).put("nodeSelector", expression("Exists", List.of("x"))),
            "Exists and DoesNotExist take no values"),
        bad("selector expression without key", r -> spec(r).put("nodeSelector",
            Map.of("matchExpressions", List.of(Map.of("operator", "Exists")))), "key: Required value"),
        bad("selector key not a label key", r -> spec(r).put("nodeSelector",
            Map.of("matchExpressions", List.of(Map.of("key", "bad key!", "operator", "Exists")))), "should match"),
        bad("matchLabels value not a label value", r -> spec(r).put("nodeSelector",
            Map.of("matchLabels", Map.of("pool", "not a value!"))), "should match"),
        bad("wave selector with operator Matches", r -> waves(r).add(Map.of("name", "sel",
            "nodeSelector", expression("Matches", List.of("a")))), "Unsupported value: \"Matches\""),
        bad("crashingPodSelector NotIn without values", r -> gates(r).put("crashingPodSelector",
            expression("NotIn", List.of())), "operators In and NotIn need at least one value"),
        bad("jsonSchemaRef with format Raw", r -> spec(r).put("validation", Map.of("format", "Raw",
            "jsonSchemaRef", Map.of("name", "schemas", "key", "s.json"))),
            "validation.jsonSchemaRef needs validation.format JSON or YAML"),
        bad("jsonSchemaRef with the default format", r -> spec(r).put("validation",
            Map.of("jsonSchemaRef", Map.of("name", "schemas", "key", "s.json"))),
            "validation.jsonSchemaRef needs validation.format JSON or YAML"),
        bad("signature keyId not a key id", r -> content(r).put("signature", Map.of("algorithm", "Ed25519",
            "value", "AAAA", "keyId", "../other")), "keyId must be the id of a trusted key"),
        bad("maxUnavailableNodes above 100%", r -> strategy(r).put("maxUnavailableNodes", "101%"),
            "maxUnavailableNodes must be a whole number >= 0 or a percent"),
        bad("wave maxUnavailableNodes negative", r -> waves(r).get(0).put("maxUnavailableNodes", -2),
            "maxUnavailableNodes must be a whole number >= 0 or a percent"),
        bad("metric with no threshold", r -> gates(r).put("metrics", List.of(metric(Map.of()))),
            "a metric needs a threshold: min, max or a baseline"),
        bad("metric interval not a duration", r -> gates(r).put("metrics", List.of(metric(Map.of("max", 0,
            "interval", "soon")))), "interval must be a positive duration"),
        bad("metric interval zero", r -> gates(r).put("metrics", List.of(metric(Map.of("max", 0, "interval", "0s")))),
            "interval must be a positive duration"),
        bad("baseline without ratio or margin", r -> gates(r).put("metrics", List.of(metric(Map.of("baseline",
            Map.of())))), "a baseline needs maxRatio or maxMargin"),
        bad("baseline ratio below 1", r -> gates(r).put("metrics", List.of(metric(Map.of("baseline",
            Map.of("maxRatio", 0.5))))), "maxRatio must be at least 1"),
        bad("metric names repeated", r -> gates(r).put("metrics", List.of(metric(Map.of("max", 0)),
            metric(Map.of("max", 1)))), "metric names must be unique"),
        bad("metric address not a URL", r -> gates(r).put("metrics", List.of(metric(Map.of("max", 0, "provider",
            Map.of("prometheus", Map.of("address", "prometheus:9090")))))), "spec.strategy.healthGates.metrics[0]"
            + ".provider.prometheus.address: Invalid value"),
        bad("unknown noData policy", r -> gates(r).put("metrics", List.of(metric(Map.of("max", 0, "noData", "Pass")))),
            "Unsupported value: \"Pass\""),
        bad("credentials Secret without namespace", r -> gates(r).put("metrics", List.of(metric(Map.of("max", 0,
            "provider", Map.of("prometheus", Map.of("address", "http://p:9090", "authSecretRef", Map.of("name", "s"))))))),
            "authSecretRef.namespace: Required value"),
        bad("metric gate with a templateRef and a query", r -> gates(r).put("metrics", List.of(metric(Map.of("max", 0,
            "templateRef", Map.of("name", "node-reboots"))))), "a metric gate has either a templateRef, or a provider"
            + " and a query, not both"),
        bad("metric gate with neither a templateRef nor a query", r -> gates(r).put("metrics", List.of(Map.of("name",
            "crashes", "max", 0))), "a metric gate has either a templateRef, or a provider and a query"),
        bad("templateRef argument that would rewrite the query", r -> gates(r).put("metrics", List.of(reference(
            Map.of("name", "job", "value", "x\"} or vector(0)")))), "an argument value may hold only letters, digits"),
        bad("templateRef argument without a value", r -> gates(r).put("metrics", List.of(reference(
            Map.of("name", "job")))), "every argument of a templateRef needs a value"));
  }

  /** A metric gate that references the template node-reboots with the given arguments. */
  @SafeVarargs
  private static Map<String, Object> reference(Map<String, Object>... args) {
    return Map.of("name", "reboots", "templateRef", Map.of("name", "node-reboots", "args", List.of(args)));
  }

  static Stream<Arguments> badTemplates() {
    return Stream.of(
        bad("no threshold", t -> specOf(t).remove("max"), "a metric needs a threshold: min, max or a baseline"),
        bad("no query", t -> specOf(t).remove("query"), "a metric template needs a provider and a query"),
        bad("an argument named twice", t -> specOf(t).put("args", List.of(Map.of("name", "job"),
            Map.of("name", "job", "value", "node"))), "argument names must be unique"),
        bad("an argument name that is no name", t -> specOf(t).put("args", List.of(Map.of("name", "the job"))),
            "spec.args[0].name: Invalid value"),
        bad("a default that would rewrite the query", t -> specOf(t).put("args", List.of(Map.of("name", "job",
            "value", "node) or vector(0"))), "an argument value may hold only letters, digits"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTemplates")
  void badMetricTemplateIsRefusedWithAMessageNamingTheProblem(String problem,
      Consumer<GenericKubernetesResource> breakIt, String expectedMessage) {
    Map<String, Object> spec = new LinkedHashMap<>(metric(Map.of("max", 0)));
    spec.remove("name");
    assertRefused("ContentMetricTemplate", problem, spec, breakIt, expectedMessage);
  }

  /** A cluster-scoped object of this kind, with this spec broken as the row says, is refused with its message. */
  private static void assertRefused(String kind, String problem, Map<String, Object> spec,
      Consumer<GenericKubernetesResource> breakIt, String expectedMessage) {
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setApiVersion("wavegate.io/v1alpha1");
    object.setKind(kind);
    object.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName("bad-" + Math.abs(problem.hashCode())).build());
    object.setAdditionalProperty("spec", spec);
    breakIt.accept(object);

    assertThatThrownBy(() -> api.client().resource(object).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expectedMessage);
  }


  /** A metric gate with the given fields over a minimal valid one. */
  private static Map<String, Object> metric(Map<String, Object> fields) {
    Map<String, Object> metric = new LinkedHashMap<>();
    metric.put("name", "crashes");
    metric.put("provider", Map.of("prometheus", Map.of("address", "http://prometheus.monitoring:9090")));
    metric.put("query", "sum(sensor_crashes_total{node=~\"{{nodes}}\"})");
    metric.putAll(fields);
    return metric;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badObjects")
  void badObjectIsRefusedWithAMessageNamingTheProblem(String problem, Consumer<GenericKubernetesResource> breakIt,
      String expectedMessage) {
    GenericKubernetesResource rollout = validRollout("bad-" + Math.abs(problem.hashCode()));
    breakIt.accept(rollout);

    assertThatThrownBy(() -> api.client().resource(rollout).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expectedMessage);
  }

  static Stream<Arguments> badPolicies() {
    return Stream.of(
        badPolicy("neither pools nor nodeSelector", p -> specOf(p).remove("pools"),
            "a policy needs pools or a nodeSelector"),
        badPolicy("an unknown ring", p -> specOf(p).put("ring", "Sometimes"), "spec.ring: Unsupported value"),
        badPolicy("a window time of 25:00", p -> specOf(p).put("windows", List.of(Map.of("type", "Allow",
            "start", "25:00", "end", "04:00"))), "start must be a time of day HH:MM or HH:MM:SS"),
        badPolicy("a window day that is no day", p -> specOf(p).put("windows", List.of(Map.of("type", "Deny",
            "days", List.of("someday"), "start", "22:00", "end", "04:00"))), "days must be mon, tue, wed"),
        badPolicy("a pin that is no sha256", p -> specOf(p).put("pin", Map.of("revision", "v33")),
            "pin.revision must be the 64 lowercase hex"),
        badPolicy("a pin expiry that is no time", p -> specOf(p).put("pin", Map.of("revision", "a".repeat(64),
            "until", "tomorrow")), "pin.until must be an RFC 3339 time"),
        badPolicy("a delay that is no duration", p -> specOf(p).put("delay", "a day"), "delay must be a duration"),
        badPolicy("a precedence above 1000", p -> specOf(p).put("precedence", 5000), "spec.precedence: Invalid value"));
  }

  private static Arguments badPolicy(String problem, Consumer<GenericKubernetesResource> breakIt, String message) {
    return Arguments.of(problem, breakIt, message);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> specOf(GenericKubernetesResource object) {
    return (Map<String, Object>) object.getAdditionalProperties().get("spec");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPolicies")
  void badUpdatePolicyIsRefusedWithAMessageNamingTheProblem(String problem,
      Consumer<GenericKubernetesResource> breakIt, String expectedMessage) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("pools", List.of("broad"));
    assertRefused("ContentUpdatePolicy", problem, spec, breakIt, expectedMessage);
  }


  static Stream<Arguments> edgeCases() {
    return Stream.of(
        Arguments.of("maxNodes zero", (Consumer<GenericKubernetesResource>) r -> waves(r).get(0).put("maxNodes", 0)),
        Arguments.of("maxNodes 0%", (Consumer<GenericKubernetesResource>) r -> waves(r).get(0).put("maxNodes", "0%")),
        Arguments.of("maxNodes 100%", (Consumer<GenericKubernetesResource>) r -> waves(r).get(0).put("maxNodes", "100%")),
        Arguments.of("compound duration", (Consumer<GenericKubernetesResource>) r -> waves(r).get(0).put("bakeTime", "1h30m")),
        Arguments.of("secret source", (Consumer<GenericKubernetesResource>) r -> source(r).clear()),
        Arguments.of("name of 50 characters", (Consumer<GenericKubernetesResource>) r -> r.getMetadata().setName("c".repeat(50))),
        Arguments.of("every selector operator used as Kubernetes allows", (Consumer<GenericKubernetesResource>) r ->
            spec(r).put("nodeSelector", Map.of("matchLabels", Map.of("kubernetes.io/os", "linux"), "matchExpressions",
                List.of(Map.of("key", "a", "operator", "In", "values", List.of("x")),
                    Map.of("key", "b.example.com/c", "operator", "NotIn", "values", List.of("y", "")),
                    Map.of("key", "d", "operator", "Exists"), Map.of("key", "e", "operator", "DoesNotExist"))))),
        Arguments.of("jsonSchemaRef with format JSON", (Consumer<GenericKubernetesResource>) r -> spec(r).put("validation",
            Map.of("format", "JSON", "jsonSchemaRef", Map.of("name", "schemas", "key", "s.json")))),
        Arguments.of("metric gate with max, baseline and credentials", (Consumer<GenericKubernetesResource>) r ->
            gates(r).put("metrics", List.of(metric(Map.of("max", 0.5, "min", 0, "interval", "1m30s", "failureLimit", 1,
                "noData", "Ignore", "baseline", Map.of("maxRatio", 1.5, "maxMargin", 2), "provider", Map.of("prometheus",
                    Map.of("address", "https://p.example:9090", "timeout", "5s", "insecureSkipVerify", true,
                        "authSecretRef", Map.of("namespace", "monitoring", "name", "prom")))))))),
        Arguments.of("metric gate referencing a template, with arguments and its own interval and max",
            (Consumer<GenericKubernetesResource>) r -> gates(r).put("metrics", List.of(Map.of("name", "reboots",
                "interval", "10s", "max", 1, "templateRef", Map.of("name", "node-reboots", "args", List.of(
                    Map.of("name", "job", "value", "node-exporter"), Map.of("name", "window", "value", "5m"),
                    Map.of("name", "nodes", "value", "web-.*|db-.*"))))))),
        Arguments.of("maxUnavailableNodes count and percent", (Consumer<GenericKubernetesResource>) r -> {
          strategy(r).put("maxUnavailableNodes", "25%");
          waves(r).get(0).put("maxUnavailableNodes", 0);
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edgeCases")
  void edgeCaseIsAccepted(String caseName, Consumer<GenericKubernetesResource> adjust) {
    GenericKubernetesResource rollout = validRollout("edge-" + Math.abs(caseName.hashCode()));
    adjust.accept(rollout);
    if (source(rollout).isEmpty()) {
      source(rollout).put("secretRef", Map.of("name", "channel", "key", "C-1.sys"));
    }
    try {
      assertThat(api.client().resource(rollout).create().getMetadata().getUid()).isNotBlank();
    } finally {
      api.client().resource(rollout).delete();
    }
  }

  @Test
  void defaultsAreFilledInByTheApiServer() {
    GenericKubernetesResource created = api.client().resource(validRollout("defaults")).create();
    try {
      ContentRollout typed = Serialization.unmarshal(Serialization.asJson(created), ContentRollout.class);
      assertThat(typed.getSpec().getStrategy().getPoolLabel()).isEqualTo("wavegate.io/pool");
      assertThat(typed.getSpec().getStrategy().getRollback().name()).isEqualTo("Automatic");
      assertThat(typed.getSpec().getPaused()).isFalse();
    } finally {
      api.client().resource(created).delete();
    }
  }

  private static Arguments bad(String problem, Consumer<GenericKubernetesResource> breakIt, String message) {
    return Arguments.of(problem, breakIt, message);
  }

  private static GenericKubernetesResource validRollout(String name) {
    Map<String, Object> spec = new LinkedHashMap<>();
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("sha256", "4f2c".repeat(16));
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("configMapRef", Map.of("name", "channel", "key", "C-1.sys"));
    content.put("source", source);
    spec.put("content", content);
    Map<String, Object> strategy = new LinkedHashMap<>();
    List<Map<String, Object>> waves = new ArrayList<>();
    waves.add(wave("canary", "canary"));
    waves.add(wave("broad", "broad"));
    strategy.put("waves", waves);
    strategy.put("healthGates", new LinkedHashMap<>(Map.of("maxUnreadyNodes", 0)));
    spec.put("strategy", strategy);

    GenericKubernetesResource rollout = new GenericKubernetesResource();
    rollout.setApiVersion("wavegate.io/v1alpha1");
    rollout.setKind("ContentRollout");
    rollout.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    rollout.setAdditionalProperty("spec", spec);
    return rollout;
  }

  private static Map<String, Object> expression(String operator, List<String> values) {
    Map<String, Object> requirement = new LinkedHashMap<>();
    requirement.put("key", "fleet");
    requirement.put("operator", operator);
    if (!values.isEmpty() || operator.equals("In") || operator.equals("NotIn")) {
      requirement.put("values", values);
    }
    return Map.of("matchExpressions", List.of(requirement));
  }

  private static Map<String, Object> wave(String name, String pool) {
    Map<String, Object> wave = new LinkedHashMap<>();
    wave.put("name", name);
    wave.put("pools", List.of(pool));
    return wave;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> content(GenericKubernetesResource r) {
    return (Map<String, Object>) spec(r).get("content");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> source(GenericKubernetesResource r) {
    return (Map<String, Object>) content(r).get("source");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> strategy(GenericKubernetesResource r) {
    return (Map<String, Object>) spec(r).get("strategy");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> waves(GenericKubernetesResource r) {
    return (List<Map<String, Object>>) strategy(r).get("waves");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> gates(GenericKubernetesResource r) {
    return (Map<String, Object>) strategy(r).get("healthGates");
  }
}
