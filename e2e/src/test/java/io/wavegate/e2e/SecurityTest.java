package io.wavegate.e2e;

import io.wavegate.contract.Digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentFormat;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.SignatureAlgorithm;
import io.wavegate.api.SignatureSpec;
import io.wavegate.api.ValidationSpec;
import io.wavegate.api.ValidatorJobSpec;
import io.wavegate.config.OperatorConfig;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.contract.SnapshotFormat;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.Signing;
import io.wavegate.e2e.support.JobController;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The publisher is not trusted. The chart is installed with a content pipeline bound to its
 * publisher roles; every rollout here is written by that pipeline (an impersonated service
 * account), on a real API server that allows privileged pods as real clusters do. Each way a
 * ContentRollout could hand it the operator's or the agent's powers is refused with a reason, and
 * the legitimate paths still work.
 */
class SecurityTest {

  static final String NS = "content";
  static final String PIPELINE = "system:serviceaccount:pipelines:content-pipeline";
  static final String FILE = "policy.json";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private static KubernetesClient admin;
  private static KubernetesClient publisher;
  private WavegateOperator operator;
  private SimpleMeterRegistry registry;
  private SimulatedFleet fleet;
  private String id;

  @BeforeAll
  static void installChartWithAPipeline() {
    admin = api.client();
    for (String namespace : List.of("pipelines", NS)) {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }
    Chart.install(admin, "--set", "sourceNamespaces[0]=" + NS + ",publishers[0].kind=ServiceAccount,"
        + "publishers[0].name=content-pipeline,publishers[0].namespace=pipelines");
    publisher = ApiServer.impersonating(admin, PIPELINE, Map.of());
  }

  @BeforeEach
  void startOperatorAndFleet() {
    id = "s" + UUID.randomUUID().toString().substring(0, 6);
    operator = start(config());
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", 1);
    pools.put("early", 1);
    pools.put("broad", 1);
    fleet = new SimulatedFleet(admin, id, pools, node -> Chart.asAgentOn(admin, node));
  }

  @AfterEach
  void stop() {
    operator.close();
    fleet.close();
  }

  @Test
  void thePipelinePublishesAndSteersARollout() {
    String digest = publish("v1", "{\"rules\": [\"allow\"]}");
    create(rollout(digest, "v1", "1h"));
    await().atMost(Duration.ofSeconds(30)).until(() -> applied(fleet.nodesInPool("canary").get(0), digest));

    Rollouts.annotate(publisher, id, "wavegate.io/promote");

    assertThat(Rollouts.awaitPhase(admin, id, RolloutPhase.Succeeded, Duration.ofSeconds(45)).getNodes()).isEqualTo("3/3");
    publisher.resources(ContentRollout.class).withName(id).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"paused\":true}}");
  }

  @Test
  void rbacGivesThePipelineNothingBeyondPublishing() {
    assertForbidden(() -> publisher.batch().v1().jobs().inNamespace(Chart.VALIDATORS).resource(new JobBuilder()
        .withNewMetadata().withName("mine").endMetadata().withNewSpec().withTemplate(loader()).endSpec().build())
        .create());
    assertForbidden(() -> publisher.secrets().inNamespace(Chart.SNAPSHOTS).list());
    assertForbidden(() -> publisher.configMaps().inNamespace(Chart.SNAPSHOTS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("wavegate-forged").endMetadata().addToData("content", "forged").build()).create());
    assertForbidden(() -> publisher.configMaps().inNamespace(Chart.NAMESPACE).withName(Chart.TRUSTED_KEYS)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"mine\":\"pem\"}}"));
    assertForbidden(() -> publisher.nodes().withName(fleet.nodes().get(0)).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"wavegate.io/pool\":\"canary\"}}}"));
    assertForbidden(() -> publisher.secrets().inAnyNamespace().list());
    assertForbidden(() -> publisher.pods().inNamespace(Chart.NAMESPACE).list());
    assertForbidden(() -> publisher.secrets().inNamespace(Chart.NAMESPACE).withName("anything").get());

    String digest = publish("v1", "{\"rules\": []}");
    create(rollout(digest, "v1", "0s"));
    ContentRollout forged = new ContentRollout();
    forged.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(id).build());
    ContentRolloutStatus status = new ContentRolloutStatus();
    status.setPhase(RolloutPhase.Succeeded);
    forged.setStatus(status);
    assertForbidden(() -> publisher.resource(forged).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"status\":{\"phase\":\"Succeeded\"}}"));
  }

  static Stream<Arguments> unsafeTemplates() {
    return Stream.of(
        unsafe("the operator's service account", t -> t.getSpec().setServiceAccountName("wavegate-operator"),
            "serviceAccountName"),
        unsafe("the host's PID namespace", t -> t.getSpec().setHostPID(true), "hostPID"),
        unsafe("the host network", t -> t.getSpec().setHostNetwork(true), "hostNetwork"),
        unsafe("a privileged container", t -> t.getSpec().getContainers().get(0)
            .setSecurityContext(new io.fabric8.kubernetes.api.model.SecurityContextBuilder().withPrivileged(true).build()),
            "containers[0].securityContext.privileged"),
        unsafe("a hostPath mount of /", t -> t.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder()
            .withName("root").withNewHostPath().withPath("/").endHostPath().build())), "volumes[0].hostPath"),
        unsafe("an added capability", t -> t.getSpec().getContainers().get(0).setSecurityContext(
            new io.fabric8.kubernetes.api.model.SecurityContextBuilder().withNewCapabilities().withAdd("SYS_ADMIN")
                .endCapabilities().build()), "capabilities.add"),
        unsafe("privilege escalation", t -> t.getSpec().getContainers().get(0).setSecurityContext(
            new io.fabric8.kubernetes.api.model.SecurityContextBuilder().withAllowPrivilegeEscalation(true).build()),
            "allowPrivilegeEscalation"),
        unsafe("root", t -> t.getSpec().setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder()
            .withRunAsUser(0L).build()), "securityContext.runAsUser"),
        unsafe("another rollout's secret content", t -> t.getSpec().setVolumes(List.of(
            new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("s").withNewSecret().withSecretName("x")
                .endSecret().build())), "volumes[0].secret"),
        unsafe("an API token", t -> t.getSpec().setAutomountServiceAccountToken(true), "automountServiceAccountToken"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsafeTemplates")
  void aValidatorTemplateAskingForMoreThanAConfinedPodIsRejectedBeforeAnyJobExists(String what,
      Consumer<PodTemplateSpec> breakIt, String field) {
    String digest = publish("v1", "{\"rules\": []}");
    PodTemplateSpec template = loader();
    breakIt.accept(template);
    ContentRollout rollout = rollout(digest, "v1", "0s");
    rollout.getSpec().setValidation(validator(template));
    create(rollout);

    ContentRolloutStatus status = Rollouts.awaitPhase(admin, id, RolloutPhase.Rejected, Duration.ofSeconds(30));
    assertThat(status.getGate().getReason()).isEqualTo("UnsafeValidatorJob");
    assertThat(status.getGate().getMessage()).contains(field);
    assertThat(admin.batch().v1().jobs().inAnyNamespace().withLabel("wavegate.io/channel", id).list().getItems())
        .as("no Job anywhere").isEmpty();
    for (String node : fleet.nodes()) {
      assertThat(fleet.desiredHistory(node, id)).as(node).isEmpty();
    }
  }

  @Test
  void aWellFormedValidatorRunsConfinedWhereTheRestrictedLevelIsEnforced() {
    String digest = publish("v1", "{\"rules\": []}");
    ContentRollout rollout = rollout(digest, "v1", "0s");
    rollout.getSpec().setValidation(validator(loader()));
    create(rollout);

    String name = "wavegate-validate-" + id + "-" + digest.substring(0, 12);
    Job job = await().atMost(Duration.ofSeconds(30)).until(
        () -> admin.batch().v1().jobs().inNamespace(Chart.VALIDATORS).withName(name).get(), java.util.Objects::nonNull);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(Chart.VALIDATOR_ACCOUNT);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getContainers().get(0).getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(admin.rbac().roleBindings().inNamespace(Chart.VALIDATORS).list().getItems())
        .noneMatch(b -> b.getSubjects().stream().anyMatch(s -> Chart.VALIDATOR_ACCOUNT.equals(s.getName())));

    // the pod the Job controller would create passes Pod Security admission there; a privileged one does not
    var confined = new PodBuilder().withNewMetadata().withName("confined-" + id).endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec()).build();
    admin.pods().inNamespace(Chart.VALIDATORS).resource(confined).dryRun().create();
    var privileged = new PodBuilder(confined).editSpec().editFirstContainer().withSecurityContext(
        new io.fabric8.kubernetes.api.model.SecurityContextBuilder().withPrivileged(true).build()).endContainer()
        .endSpec().build();
    assertThatThrownBy(() -> admin.pods().inNamespace(Chart.VALIDATORS).resource(privileged).dryRun().create())
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"");
    admin.pods().inNamespace("default").resource(new PodBuilder(privileged).editMetadata().withNamespace("default")
        .endMetadata().build()).dryRun().create(); // the server itself allows privileged pods

    JobController.finish(admin, job, true);
    assertThat(Rollouts.awaitPhase(admin, id, RolloutPhase.Succeeded, Duration.ofSeconds(30)).getNodes()).isEqualTo("3/3");
  }

  @Test
  void secretContentIsSnapshottedIntoASecretAndItsBytesAppearNowhereElse() throws Exception {
    String marker = "wavegate-secret-" + UUID.randomUUID();
    byte[] bytes = ("{\"rules\": [\"" + marker + "\"]}").getBytes(StandardCharsets.UTF_8);
    publisher.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(id + "-creds")
        .endMetadata().addToData(FILE, Base64.getEncoder().encodeToString(bytes)).build()).create();
    ListAppender<ILoggingEvent> logs = captureLogs();
    try {
      ContentRollout rollout = rollout(Digests.sha256Hex(bytes), "unused", "0s");
      rollout.getSpec().getContent().getSource().setConfigMapRef(null);
      rollout.getSpec().getContent().getSource().setSecretRef(new KeyRef(NS, id + "-creds", FILE));
      ValidationSpec validation = validator(loader());
      validation.setFormat(ContentFormat.JSON);
      rollout.getSpec().setValidation(validation);
      create(rollout);
      String job = "wavegate-validate-" + id + "-" + Digests.sha256Hex(bytes).substring(0, 12);
      JobController.finish(admin, await().atMost(Duration.ofSeconds(30)).until(
          () -> admin.batch().v1().jobs().inNamespace(Chart.VALIDATORS).withName(job).get(), java.util.Objects::nonNull),
          true);
      Rollouts.awaitPhase(admin, id, RolloutPhase.Succeeded, Duration.ofSeconds(45));

      String snapshot = "wavegate-" + id + "-" + Digests.sha256Hex(bytes).substring(0, 12);
      assertThat(admin.secrets().inNamespace(Chart.SNAPSHOTS).withName(snapshot).get().getImmutable()).isTrue();
      assertThat(admin.configMaps().inNamespace(Chart.SNAPSHOTS).withName(snapshot).get()).isNull();
      for (String node : fleet.nodes()) {
        assertThat(Files.readAllBytes(fleet.contentDir(node).resolve(id).resolve(FILE))).as(node).isEqualTo(bytes);
      }
      String base64 = Base64.getEncoder().encodeToString(bytes);
      assertThat(admin.configMaps().inAnyNamespace().list().getItems()).as("ConfigMaps")
          .allSatisfy(c -> assertThat(Serialization.asJson(c)).doesNotContain(marker).doesNotContain(base64));
      assertThat(admin.v1().events().inAnyNamespace().list().getItems()).as("Events")
          .allSatisfy(e -> assertThat(Serialization.asJson(e)).doesNotContain(marker));
      assertThat(Serialization.asJson(Rollouts.status(admin, id))).as("status").doesNotContain(marker);
      assertThat(registry.getMeters()).as("metrics").allSatisfy(m -> assertThat(m.getId().toString()).doesNotContain(marker));
      assertThat(logs.list).as("log lines").allSatisfy(l -> assertThat(l.getFormattedMessage()).doesNotContain(marker));
      assertThat(logs.list).as("the capture saw the operator's log").isNotEmpty();
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }
  }

  @Test
  void aSecretThatFailsTheGateIsRefusedWithoutQuotingIt() {
    String marker = "wavegate-secret-" + UUID.randomUUID();
    byte[] bytes = ("{\"rules\": " + marker + "}").getBytes(StandardCharsets.UTF_8);
    publisher.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(id + "-bad")
        .endMetadata().addToData(FILE, Base64.getEncoder().encodeToString(bytes)).build()).create();
    ContentRollout rollout = rollout(Digests.sha256Hex(bytes), "unused", "0s");
    rollout.getSpec().getContent().getSource().setConfigMapRef(null);
    rollout.getSpec().getContent().getSource().setSecretRef(new KeyRef(NS, id + "-bad", FILE));
    ValidationSpec validation = new ValidationSpec();
    validation.setFormat(ContentFormat.JSON);
    rollout.getSpec().setValidation(validation);
    create(rollout);

    ContentRolloutStatus status = Rollouts.awaitPhase(admin, id, RolloutPhase.Rejected, Duration.ofSeconds(30));
    assertThat(status.getGate().getReason()).isEqualTo("ParseError");
    assertThat(Serialization.asJson(status)).doesNotContain(marker);
    assertThat(admin.v1().events().inAnyNamespace().list().getItems())
        .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(marker));
  }

  @Test
  void onlyKeysTheClusterAdminTrustsVouchAndTheyRotate() throws Exception {
    KeyPair pipelineOwn = Signing.ed25519();
    KeyPair release2026 = Signing.ed25519();
    KeyPair release2027 = Signing.ed25519();
    trustKeys(Map.of("release-2026", Signing.pem(release2026)));

    String digest = publish("v1", "{\"rules\": [\"v1\"]}");
    ContentRollout own = rollout(digest, "v1", "0s");
    own.getSpec().getContent().setSignature(signature(pipelineOwn, "v1", "pipeline-key"));
    create(own);
    ContentRolloutStatus untrusted = Rollouts.awaitPhase(admin, id, RolloutPhase.Rejected, Duration.ofSeconds(30));
    assertThat(untrusted.getGate().getReason()).isEqualTo("UntrustedKey");
    assertThat(untrusted.getGate().getMessage()).contains("pipeline-key is not one the cluster admin trusts");

    update(withSignature(digest, "v1", signature(pipelineOwn, "v1", "release-2026")));
    await().atMost(Duration.ofSeconds(30)).until(() -> "BadSignature".equals(Rollouts.status(admin, id).getGate().getReason()));

    update(withSignature(digest, "v1", signature(release2026, "v1", "release-2026")));
    ContentRolloutStatus passed = Rollouts.awaitPhase(admin, id, RolloutPhase.Succeeded, Duration.ofSeconds(45));
    assertThat(passed.getGate().getMessage()).contains("Ed25519 signature verified by trusted key release-2026");
    assertThat(admin.configMaps().inNamespace(Chart.SNAPSHOTS).withName(SnapshotFormat.name(id, digest)).get()
        .getMetadata().getAnnotations()).as("the signature travels with the snapshot, for agents that verify it")
        .containsEntry(SnapshotFormat.SIGNATURE_ANNOTATION, admin.resources(ContentRollout.class).withName(id).get()
            .getSpec().getContent().getSignature().getValue())
        .containsEntry(SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION, "Ed25519")
        .containsEntry(SnapshotFormat.SIGNATURE_KEY_ID_ANNOTATION, "release-2026");

    // rotation: both keys trusted, the new one signs, then the old one is removed
    trustKeys(Map.of("release-2026", Signing.pem(release2026), "release-2027", Signing.pem(release2027)));
    String v2 = publish("v2", "{\"rules\": [\"v2\"]}");
    update(withSignature(v2, "v2", signature(release2027, "v2", "release-2027")));
    await().atMost(Duration.ofSeconds(45)).until(() -> v2.equals(Rollouts.status(admin, id).getStableDigest()));
    trustKeys(Map.of("release-2027", Signing.pem(release2027)));
    String v3 = publish("v3", "{\"rules\": [\"v3\"]}");
    update(withSignature(v3, "v3", signature(release2026, "v3", "release-2026")));
    await().atMost(Duration.ofSeconds(30)).until(() -> Rollouts.status(admin, id).getPhase() == RolloutPhase.Rejected
        && v3.equals(Rollouts.status(admin, id).getRevisionDigest()));
    assertThat(Rollouts.status(admin, id).getGate().getReason()).as("the removed key vouches for nothing")
        .isEqualTo("UntrustedKey");
  }

  @Test
  void whenSignaturesAreRequiredUnsignedContentIsRejected() {
    operator.close();
    operator = start(Chart.operatorConfig(admin, Map.of("WAVEGATE_LEADER_ELECTION", "false",
        "WAVEGATE_REQUIRE_SIGNATURES", "true")));
    String digest = publish("v1", "{\"rules\": []}");
    create(rollout(digest, "v1", "0s"));

    ContentRolloutStatus status = Rollouts.awaitPhase(admin, id, RolloutPhase.Rejected, Duration.ofSeconds(30));
    assertThat(status.getGate().getReason()).isEqualTo("Unsigned");
    for (String node : fleet.nodes()) {
      assertThat(fleet.desiredHistory(node, id)).as(node).isEmpty();
    }
  }

  @Test
  void aSourceOutsideTheAllowedNamespacesIsRefused() {
    admin.configMaps().inNamespace("pipelines").resource(new ConfigMapBuilder().withNewMetadata().withName(id)
        .endMetadata().addToData(FILE, "{}").build()).create();
    ContentRollout rollout = rollout(Digests.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)), "unused", "0s");
    rollout.getSpec().getContent().getSource().setConfigMapRef(new KeyRef("pipelines", id, FILE));
    create(rollout);

    ContentRolloutStatus status = Rollouts.awaitPhase(admin, id, RolloutPhase.Rejected, Duration.ofSeconds(30));
    assertThat(status.getGate().getReason()).isEqualTo("SourceNotAllowed");
    assertThat(status.getGate().getMessage()).contains("namespace pipelines");
  }

  // ---- helpers

  /** The chart's settings as installed here (the content namespace is its one source namespace). */
  private static OperatorConfig config() {
    return Chart.operatorConfig(admin, Map.of("WAVEGATE_LEADER_ELECTION", "false"));
  }

  private WavegateOperator start(OperatorConfig config) {
    registry = new SimpleMeterRegistry();
    return new WavegateOperator(Chart.asOperator(admin), config, registry).start();
  }

  private String publish(String name, String json) {
    return Rollouts.publish(publisher, NS, id + "-" + name, FILE, json.getBytes(StandardCharsets.UTF_8));
  }

  private ContentRollout rollout(String digest, String contentName, String canaryBake) {
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, id + "-" + contentName, FILE), canaryBake,
        Map.of("fleet", id));
    return Rollouts.named(id, spec);
  }

  private ContentRollout withSignature(String digest, String contentName, SignatureSpec signature) {
    ContentRollout rollout = rollout(digest, contentName, "0s");
    rollout.getSpec().getContent().setSignature(signature);
    return rollout;
  }

  private static void create(ContentRollout rollout) {
    publisher.resource(rollout).create();
  }

  private static void update(ContentRollout rollout) {
    Rollouts.apply(publisher, rollout.getMetadata().getName(), rollout.getSpec());
  }

  private boolean applied(String node, String digest) {
    var report = fleet.report(node, id);
    return report != null && report.applied(digest);
  }

  private SignatureSpec signature(KeyPair keys, String contentName, String keyId) throws Exception {
    byte[] bytes = Base64.getDecoder().decode(admin.configMaps().inNamespace(NS).withName(id + "-" + contentName).get()
        .getBinaryData().get(FILE));
    SignatureSpec signature = new SignatureSpec();
    signature.setAlgorithm(SignatureAlgorithm.ED25519);
    signature.setValue(Signing.sign(keys, bytes));
    signature.setKeyId(keyId);
    return signature;
  }

  /** What `helm upgrade --set-file signatures.trustedKeys.ID=key.pem` does: the cluster admin's trust root. */
  private static void trustKeys(Map<String, String> pems) {
    admin.configMaps().inNamespace(Chart.NAMESPACE).withName(Chart.TRUSTED_KEYS).edit(c -> {
      c.setData(new LinkedHashMap<>(pems));
      return c;
    });
  }

  private static PodTemplateSpec loader() {
    return new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("load").withImage("sensor:7.1")
        .withCommand("sensor", "--load", "/content/" + FILE).endContainer().endSpec().build();
  }

  private static ValidationSpec validator(PodTemplateSpec template) {
    ValidatorJobSpec job = new ValidatorJobSpec();
    job.setTemplate(template);
    ValidationSpec validation = new ValidationSpec();
    validation.setValidatorJob(job);
    return validation;
  }

  private static Arguments unsafe(String what, Consumer<PodTemplateSpec> breakIt, String field) {
    return Arguments.of(what, breakIt, field);
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }
}
