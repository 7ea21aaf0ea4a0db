package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.Chart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's life cycle with helm itself against a real API server, as a platform team runs it:
 * install (CRD first, the kubeVersion and values schema checked against the server), upgrade, and
 * uninstall, which keeps the CRD and with it every ContentRollout.
 */
class HelmInstallTest {

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  private static Path kubeconfig;
  private static KubernetesClient client;

  @BeforeAll
  static void kubeconfig() throws Exception {
    kubeconfig = Files.createTempFile("wavegate-helm", ".yaml");
    Files.writeString(kubeconfig, api.kubeconfigYaml());
    client = api.client();
  }

  @Test
  void installUpgradeAndUninstallWithHelm() {
    Chart.Result install = helm("install", Chart.RELEASE, Chart.dir().toString(), "--namespace", Chart.NAMESPACE,
        "--create-namespace");
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.output()).contains("STATUS: deployed").contains("wavegate 0.1.0 is installed in namespace wavegate-system");
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("contentrollouts.wavegate.io").get())
        .isNotNull();
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("nodecontents.wavegate.io").get())
        .as("helm installs both CRDs").isNotNull();
    assertThat(client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("wavegate-operator").get()
        .getSpec().getReplicas()).isEqualTo(1);
    assertThat(client.admissionRegistration().v1().validatingAdmissionPolicies().withName("wavegate-agent-nodecontent").get())
        .isNotNull();

    Chart.Result upgrade = helm("upgrade", Chart.RELEASE, Chart.dir().toString(), "--namespace", Chart.NAMESPACE,
        "--set", "operator.replicas=2");
    assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
    var pod = client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("wavegate-operator").get().getSpec();
    assertThat(pod.getReplicas()).isEqualTo(2);
    assertThat(pod.getTemplate().getSpec().getAffinity().getPodAntiAffinity()).as("standby on another node").isNotNull();
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(Chart.NAMESPACE).withName("wavegate-operator")
        .get().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);

    Chart.Result refused = helm("upgrade", Chart.RELEASE, Chart.dir().toString(), "--namespace", Chart.NAMESPACE,
        "--set", "agent.contentDir=relative/dir");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("/agent/contentDir");

    Chart.Result uninstall = helm("uninstall", Chart.RELEASE, "--namespace", Chart.NAMESPACE, "--wait");
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("wavegate-operator").get()).isNull();
    assertThat(client.admissionRegistration().v1().validatingAdmissionPolicies().withName("wavegate-agent-nodecontent").get())
        .isNull();
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("contentrollouts.wavegate.io").get())
        .as("helm keeps CRDs, so rollouts survive an uninstall").isNotNull();
    for (String kept : List.of(Chart.SNAPSHOTS, Chart.VALIDATORS)) {
      assertThat(client.namespaces().withName(kept).get().getMetadata().getDeletionTimestamp())
          .as(kept + " is kept: the snapshots are what nodes run").isNull();
    }
  }

  private static Chart.Result helm(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    return Chart.helm(all.toArray(String[]::new));
  }
}
