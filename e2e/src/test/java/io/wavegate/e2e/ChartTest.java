package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.config.OperatorConfig;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.AuditLog;
import io.wavegate.e2e.support.NodeContentWrites;
import io.wavegate.sim.Chart;
import io.wavegate.sim.ClusterSetup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Helm chart rendered by helm and installed into a real API server, and its least privilege
 * proven there: the operator and the agent act with real tokens of the chart's service accounts, and the
 * writes they must not make are refused by the API server (RBAC or the NodeContent admission policies).
 */
class ChartTest {

  static final String NODE_A = "node-a";
  static final String NODE_B = "node-b";
  static final Assignment ASSIGNMENT = new Assignment("a".repeat(64), "canary", "wavegate-snapshots/wavegate-ch1-aaaaaaaaaaaa",
      "boot", true, "2026-11-27T12:00:00Z");

  /** This suite shows the chart's refusals: each one it provokes, by identity, verb and resource. */
  @RegisterExtension
  static final ApiServer api = new ApiServer(List.of(
      refused("agent", "delete", "nodes"), refused("agent", "get", "nodes"), refused("agent", "patch", "nodes"),
      refused("agent", "delete", "wavegate.io/nodecontents"), refused("agent", "patch", "wavegate.io/nodecontents"),
      refused("agent", "patch", "wavegate.io/nodecontents/status"), refused("agent", "get", "secrets"),
      refused("agent", "list", "secrets"), refused("agent", "watch", "secrets"),
      refused("agent", "patch", "wavegate.io/contentrevocations"), refused("agent", "create", "wavegate.io/contentrevocations"),
      refused("external-agent", "*", "*"),
      refused("operator", "delete", "nodes"), refused("operator", "patch", "nodes"),
      refused("operator", "patch", "nodes/status"), refused("operator", "get", "secrets"),
      refused("operator", "list", "secrets"), refused("operator", "patch", "wavegate.io/nodecontents/status")));

  private static AuditLog.ExpectedRefusal refused(String identity, String verb, String resource) {
    return new AuditLog.ExpectedRefusal(identity, verb, resource);
  }

  private static KubernetesClient admin;
  private static List<HasMetadata> installed;

  @BeforeAll
  static void installChart() {
    admin = api.client();
    installed = Chart.install(admin);
    for (String name : List.of(NODE_A, NODE_B)) {
      admin.resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("wavegate.io/pool", "canary")
          .addToLabels("team", "core").endMetadata().build()).create();
    }
    // Admission policies take effect once the API server's policy informer has seen them.
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      try {
        admin.resource(NodeContents.assignmentApply("probe", null, "probe", Optional.empty())).dryRun().create();
        return false;
      } catch (KubernetesClientException e) {
        return e.getCode() == 403;
      }
    });
  }

  // ---- the chart

  @Test
  void helmLintPasses() {
    Chart.Result lint = Chart.helm("lint", "--strict", Chart.dir().toString(), "--kube-version", Chart.KUBE_VERSION);

    assertThat(lint.exitCode()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @Test
  void everyComponentIsAcceptedByTheApiServer() {
    assertThat(installed).extracting(HasMetadata::getKind).contains("CustomResourceDefinition", "Deployment",
        "DaemonSet", "Service", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
        "PriorityClass", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    for (HasMetadata object : installed) {
      assertThat(admin.resource(object).get()).as(object.getKind() + " " + object.getMetadata().getName()).isNotNull();
    }
    assertThat(ClusterSetup.established(admin.apiextensions().v1().customResourceDefinitions()
        .withName("contentrollouts.wavegate.io").get())).isTrue();
  }

  @Test
  void theOperatorRunsLeaderElectedWithProbesAndTheRestrictedProfile() {
    Deployment deployment = admin.apps().deployments().inNamespace(Chart.NAMESPACE).withName("wavegate-operator").get();
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertThat(operator.getImage()).as("the image the build makes").isEqualTo(System.getProperty("wavegate.image"));
    assertThat(operator.getArgs()).containsExactly("operator");
    assertThat(env(operator, "WAVEGATE_LEADER_ELECTION")).isEqualTo("true");
    assertThat(env(operator, "WAVEGATE_NODE_WRITE_BATCH")).isEqualTo("500");
    assertThat(operator.getEnv()).anyMatch(e -> e.getName().equals("WAVEGATE_NAMESPACE")
        && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace"));
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(pod.getServiceAccountName()).isEqualTo("wavegate-operator");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(admin.services().inNamespace(Chart.NAMESPACE).withName("wavegate-metrics").get().getSpec().getSelector())
        .containsEntry("app.kubernetes.io/component", "operator");
  }

  @Test
  void theAgentRunsOnEveryNodeWithItsNodeNameAndTheContentDirectory() {
    DaemonSet daemonSet = admin.apps().daemonSets().inNamespace(Chart.NAMESPACE).withName("wavegate-agent").get();
    var pod = daemonSet.getSpec().getTemplate().getSpec();
    Container agent = pod.getContainers().get(0);

    assertThat(agent.getImage()).startsWith("ghcr.io/wavegate/wavegate-agent:");
    assertThat(agent.getArgs()).containsExactly("run");
    assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(agent.getEnv()).noneMatch(e -> e.getName().equals("WAVEGATE_TRUSTED_KEYS_DIR"))
        .noneMatch(e -> e.getName().equals("WAVEGATE_APPLY_HOOK"));
    assertThat(agent.getEnv()).anyMatch(e -> e.getName().equals("NODE_NAME")
        && e.getValueFrom().getFieldRef().getFieldPath().equals("spec.nodeName"));
    assertThat(pod.getVolumes()).anyMatch(v -> v.getHostPath() != null
        && v.getHostPath().getPath().equals("/var/lib/wavegate"));
    assertThat(pod.getTolerations()).anyMatch(t -> "Exists".equals(t.getOperator()) && t.getKey() == null);
    assertThat(admin.scheduling().v1().priorityClasses().withName(pod.getPriorityClassName()).get()).isNotNull();
    assertThat(agent.getEnv()).as("the documented agent flags (agent/jvm.properties)")
        .anyMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS") && e.getValue().equals(AgentJarTest.documented("AGENT_JVM_FLAGS")));
    assertThat(agent.getResources().getLimits().get("memory").toString()).isEqualTo("128Mi");
    assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void agentsVerifySignaturesWithTheTrustedKeysAndRunTheApplyHookOnRequest() {
    String rendered = Chart.render("--set", "signatures.required=true", "--set", "agent.verifySignatures=true",
        "--set-string", "signatures.trustedKeys.release-2026=-----BEGIN PUBLIC KEY-----x", "--set-string",
        "agent.applyHook=systemctl reload sensor");
    assertThat(rendered).contains("- name: WAVEGATE_TRUSTED_KEYS_DIR\n              value: /etc/wavegate/trusted-keys")
        .contains("mountPath: /etc/wavegate/trusted-keys\n              readOnly: true")
        .contains("configMap:\n            name: wavegate-trusted-keys")
        .contains("- name: WAVEGATE_APPLY_HOOK\n              value: \"systemctl reload sensor\"");
    assertThat(Chart.render("--set", "signatures.required=true", "--set", "agent.verifySignatures=true",
        "--set", "agent.trustedKeysHostPath=/etc/sensor/keys")).contains("path: /etc/sensor/keys\n            type: Directory");

    Chart.Result notRequired = Chart.helm("template", "x", Chart.dir().toString(), "--kube-version", Chart.KUBE_VERSION,
        "--set", "agent.verifySignatures=true", "--set-string", "signatures.trustedKeys.k=-----BEGIN PUBLIC KEY-----x");
    assertThat(notRequired.exitCode()).isNotZero();
    assertThat(notRequired.output()).contains("agent.verifySignatures needs signatures.required");
    Chart.Result noKeys = Chart.helm("template", "x", Chart.dir().toString(), "--kube-version", Chart.KUBE_VERSION,
        "--set", "agent.verifySignatures=true", "--set", "signatures.required=true");
    assertThat(noKeys.exitCode()).isNotZero();
    assertThat(noKeys.output()).contains("agent.verifySignatures needs trusted keys");
  }

  @Test
  void helmTestChecksTheOperatorsReadyzWithARestrictedPodTheApiServerAccepts() {
    String rendered = Chart.render("--show-only", "templates/tests/operator-ready.yaml");
    io.fabric8.kubernetes.api.model.Pod pod = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(rendered,
        io.fabric8.kubernetes.api.model.Pod.class);
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
    assertThat(pod.getSpec().getContainers().get(0).getCommand())
        .containsExactly("wget", "-q", "-O-", "http://wavegate-metrics." + Chart.NAMESPACE + ":8080/readyz");
    assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    try {
      assertThat(admin.resource(pod).create().getMetadata().getUid()).isNotBlank();
    } finally {
      admin.resource(pod).delete();
    }
  }

  @Test
  void theValuesSchemaRefusesBadValuesWithAReadableError() {
    Chart.Result threeReplicas = Chart.helm("template", "x", Chart.dir().toString(), "--kube-version",
        Chart.KUBE_VERSION, "--set", "operator.replicas=3");
    Chart.Result typo = Chart.helm("template", "x", Chart.dir().toString(), "--kube-version", Chart.KUBE_VERSION,
        "--set", "operator.replica=2");

    assertThat(threeReplicas.exitCode()).isNotZero();
    assertThat(threeReplicas.output()).contains("/operator/replicas").contains("maximum: got 3, want 2");
    assertThat(typo.exitCode()).isNotZero();
    assertThat(typo.output()).contains("replica");
  }

  @Test
  void aServiceMonitorExtraSourceNamespacesAndAPodSelectorRenderOnRequest() {
    String rendered = Chart.render("--set", "metrics.serviceMonitor.enabled=true",
        "--set", "sourceNamespaces={content,wavegate-system}", "--set-string", "operator.podSelector=app in (sensor)");

    assertThat(rendered).contains("kind: ServiceMonitor").contains("value: \"content,wavegate-system\"");
    assertThat(rendered).contains("- name: WAVEGATE_POD_SELECTOR\n              value: \"app in (sensor)\"");
    assertThat(Chart.render()).doesNotContain("WAVEGATE_POD_SELECTOR");
    assertThat(rendered.split("name: wavegate-source-reader\n  namespace: ", -1)).hasSize(3);
  }

  // ---- the node contract: what the operator and the agent may write

  @Test
  void theOperatorWritesAssignmentsInNodeContentAndTheAgentReportsInItsOwnStatus() {
    NodeContent assigned = NodeContentWrites.assign(Chart.asOperator(admin), NODE_A, "ch1", Optional.of(ASSIGNMENT));
    assertThat(assigned.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Node/" + NODE_A));

    NodeContent reported = report(Chart.asAgentOn(admin, NODE_A), NODE_A, "ch1");

    assertThat(NodeContents.report(reported, "ch1")).map(AgentReport::state).contains(AgentReport.APPLIED);
    assertThat(admin.nodes().withName(NODE_A).get().getMetadata().getAnnotations()).as("no wavegate key on the Node")
        .isNullOrEmpty();
  }

  @Test
  void anAgentMayNotReportInAnotherNodesObject() {
    NodeContentWrites.assign(Chart.asOperator(admin), NODE_B, "ch1", Optional.of(ASSIGNMENT));

    assertRefused(() -> report(Chart.asAgentOn(admin, NODE_A), NODE_B, "ch1"),
        "the wavegate agent on node node-a may not report in the NodeContent of node-b");
    assertThat(NodeContentWrites.report(admin, NODE_B, "ch1")).isEmpty();
  }

  @Test
  void anAgentTokenBoundToNoNodeMayReportNowhere() {
    NodeContentWrites.assign(Chart.asOperator(admin), NODE_A, "ch3", Optional.of(ASSIGNMENT));
    KubernetesClient unbound = Chart.asUnboundAgent(admin);

    assertRefused(() -> report(unbound, NODE_A, "ch3"), "this token is bound to no node");
  }

  @Test
  void anAgentOutsideAPodReportsForTheNodeItsUserNamesOnlyAndOnlyWhenTheChartAllowsIt() {
    NodeContentWrites.assign(Chart.asOperator(admin), NODE_A, "ch4", Optional.of(ASSIGNMENT));
    NodeContentWrites.assign(Chart.asOperator(admin), NODE_B, "ch4", Optional.of(ASSIGNMENT));
    KubernetesClient systemdAgentOnA = admin.newClient(new RequestConfigBuilder()
        .withImpersonateUsername("wavegate:agent:" + NODE_A)
        .withImpersonateGroups("wavegate:agents", "system:authenticated").build()).adapt(KubernetesClient.class);

    assertForbiddenByRbac(() -> report(systemdAgentOnA, NODE_A, "ch4"));
    try {
      Chart.install(admin, "--set", "agent.externalIdentities.enabled=true");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> report(systemdAgentOnA, NODE_A, "ch4") != null);
      assertThat(NodeContentWrites.report(admin, NODE_A, "ch4")).get().extracting(AgentReport::state)
          .isEqualTo(AgentReport.APPLIED);
      // the policy's new match takes effect a moment after the binding's (the API server compiles it)
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertRefused(() -> report(systemdAgentOnA, NODE_B,
          "ch4"), "the wavegate agent on node node-a may not report in the NodeContent of node-b"));
      assertForbiddenByRbac(() -> NodeContentWrites.assign(systemdAgentOnA, NODE_A, "ch4", Optional.of(ASSIGNMENT)));
    } finally {
      Chart.install(admin);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertForbiddenByRbac(() -> report(systemdAgentOnA,
        NODE_A, "ch4")));
  }

  @Test
  void anAgentMayNotWriteAssignmentsNorTheOperatorReports() {
    NodeContentWrites.assign(Chart.asOperator(admin), NODE_A, "ch2", Optional.of(ASSIGNMENT));

    assertForbiddenByRbac(() -> NodeContentWrites.assign(Chart.asAgentOn(admin, NODE_A), NODE_A, "ch2",
        Optional.of(ASSIGNMENT)));
    assertForbiddenByRbac(() -> report(Chart.asOperator(admin), NODE_A, "ch2"));
  }

  @Test
  void nobodyButTheOperatorCreatesANodeContent() {
    admin.resource(new NodeBuilder().withNewMetadata().withName("node-c").endMetadata().build()).create();

    assertRefused(() -> NodeContentWrites.assign(admin, "node-c", "ch1", Optional.of(ASSIGNMENT)),
        "only the wavegate operator creates NodeContent objects; refused for");
    assertThat(admin.resources(NodeContent.class).withName("node-c").get()).isNull();
  }

  @Test
  void aForgedRevocationIsRefusedEvenForAClusterAdminAndTheAgentMayOnlyReadThem() {
    String good = "a".repeat(64);
    Revocation forged = new Revocation("ch9", List.of("b".repeat(64)), Optional.of(new Revocation.Stable(good,
        Chart.SNAPSHOTS + "/attacker-content", null, null, null, null)), "forged");

    assertRefused(() -> admin.resource(forged.toObject(null)).fieldManager("someone").serverSideApply(),
        "only the wavegate operator writes ContentRevocations");
    assertForbiddenByRbac(() -> Chart.asAgentOn(admin, NODE_A).resource(forged.toObject(null))
        .fieldManager("agent").serverSideApply());
    assertThat(admin.resources(ContentRevocation.class).withName("ch9").get()).isNull();

    ContentRevocation written = Chart.asOperator(admin).resource(forged.toObject(null)).fieldManager("wavegate-operator")
        .serverSideApply();
    assertThat(Chart.asAgentOn(admin, NODE_A).resources(ContentRevocation.class).list().getItems())
        .extracting(r -> r.getMetadata().getName()).contains("ch9");
    assertRefused(() -> admin.resource(written).delete(), "only the wavegate operator writes ContentRevocations");
    assertRefused(() -> admin.resources(ContentRevocation.class).withName("ch9")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"revoked\":[]}}"),
        "only the wavegate operator writes ContentRevocations");
    // the garbage collector's exemption is for its deletes only: an admin impersonating it rewrites nothing
    KubernetesClient asCollector = ApiServer.impersonating(admin,
        "system:serviceaccount:kube-system:generic-garbage-collector", Map.of());
    assertRefused(() -> asCollector.resources(ContentRevocation.class).withName("ch9").dryRun()
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"revoked\":[]}}"),
        "only the wavegate operator writes ContentRevocations");
  }

  @Test
  void aRevocationCannotRevokeTheRevisionItSendsNodesBackTo() {
    String stable = "a".repeat(64);
    Revocation contradictory = new Revocation("ch8", List.of(stable), Optional.of(new Revocation.Stable(stable,
        Chart.SNAPSHOTS + "/wavegate-ch8-aaaaaaaaaaaa", null, null, null, null)), "contradictory");

    assertThatThrownBy(() -> Chart.asOperator(admin).resource(contradictory.toObject(null))
        .fieldManager("wavegate-operator").serverSideApply())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("the stable revision cannot be revoked too");
  }

  @Test
  void neitherComponentMayWriteANode() {
    assertForbiddenByRbac(() -> patch(Chart.asOperator(admin), NODE_B, "{\"metadata\":{\"labels\":{\"wavegate.io/ch2\":\"abc\"}}}"));
    assertForbiddenByRbac(() -> patch(Chart.asOperator(admin), NODE_B, "{\"metadata\":{\"labels\":{\"wavegate.io/pool\":\"broad\"}}}"));
    assertForbiddenByRbac(() -> patch(Chart.asAgentOn(admin, NODE_A), NODE_A,
        "{\"metadata\":{\"labels\":{\"agent.wavegate.io/ch1\":\"abc\"}}}"));
    assertForbiddenByRbac(() -> patch(Chart.asAgentOn(admin, NODE_A), NODE_A, "{\"spec\":{\"unschedulable\":true}}"));
    assertThat(admin.nodes().withName(NODE_B).get().getMetadata().getLabels()).containsEntry("wavegate.io/pool", "canary");
  }

  // ---- what RBAC does not grant at all

  @Test
  void rbacGrantsNeitherNodeStatusNorNodeDeletion() {
    assertForbiddenByRbac(() -> Chart.asOperator(admin).nodes().withName(NODE_A).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"capacity\":{\"cpu\":\"1\"}}}"));
    assertForbiddenByRbac(() -> Chart.asOperator(admin).nodes().withName(NODE_A).delete());
    assertForbiddenByRbac(() -> Chart.asAgentOn(admin, NODE_A).nodes().withName(NODE_A).delete());
    assertForbiddenByRbac(() -> Chart.asAgentOn(admin, NODE_A).resources(NodeContent.class).withName(NODE_A).delete());
  }

  @Test
  void secretsAreReadableOnlyInSourceNamespacesAndNeverByTheAgent() {
    ClusterSetup.createNamespace(admin, "elsewhere");

    assertForbiddenByRbac(() -> Chart.asOperator(admin).secrets().inNamespace("elsewhere").withName("keys").get());
    assertForbiddenByRbac(() -> Chart.asOperator(admin).secrets().inNamespace(Chart.NAMESPACE).list());
    assertThat(Chart.asOperator(admin).secrets().inNamespace(Chart.NAMESPACE).withName("keys").get())
        .as("get in its source namespace is allowed (and finds nothing)").isNull();
    assertForbiddenByRbac(() -> Chart.asAgentOn(admin, NODE_A).secrets().inNamespace(Chart.NAMESPACE)
        .withName("keys").get());
    assertThat(Chart.asAgentOn(admin, NODE_A).secrets().inNamespace(Chart.SNAPSHOTS).withName("wavegate-x-0").get())
        .as("get by name in the snapshot namespace is allowed (and finds nothing)").isNull();
    assertForbiddenByRbac(() -> Chart.asAgentOn(admin, NODE_A).secrets().inNamespace(Chart.SNAPSHOTS).list());
  }

  @Test
  void watchesAreAuthorizedAsTheServiceAccountToo() {
    assertThatThrownBy(() -> Chart.asAgentOn(admin, NODE_A).secrets().inAnyNamespace().watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Secret resource) {}

      @Override
      public void onClose(WatcherException cause) {}
    })).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void theOperatorTakesItsLeaseWithTheChartsPermissions() {
    OperatorConfig config = Chart.operatorConfig(admin, Map.of());
    try (WavegateOperator operator = new WavegateOperator(Chart.asOperator(admin), config, new SimpleMeterRegistry())
        .start()) {
      Lease lease = await().atMost(Duration.ofSeconds(30)).until(
          () -> admin.leases().inNamespace(Chart.NAMESPACE).withName("wavegate-operator").get(),
          l -> l != null && l.getSpec().getHolderIdentity() != null);
      assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
    }
  }

  // ---- helpers

  /** An agent's Applied report for the channel, by server-side apply of its node's NodeContent status. */
  private static NodeContent report(KubernetesClient as, String node, String channel) {
    return NodeContents.applyReport(as, node, channel, new AgentReport(ASSIGNMENT.revision(), AgentReport.APPLIED,
        null, null, "2026-11-27T12:00:01Z"));
  }

  private static Node patch(KubernetesClient as, String node, String mergePatch) {
    return as.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  private static void assertRefused(ThrowingCallable write, String message) {
    assertThatThrownBy(write).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(403);
      assertThat(e.getMessage()).contains("ValidatingAdmissionPolicy").contains(message);
    });
  }

  private static void assertForbiddenByRbac(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(403);
      assertThat(e.getMessage()).contains("cannot");
    });
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
  }
}
