package io.wavegate.e2e;

import io.wavegate.contract.Digests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.RequiresDockerImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * wavegate as a platform team installs it: the image loaded into k3s (a real kubelet, a real node),
 * the chart installed with helm, and rollouts whose content must (or must not) reach the file on
 * the node's disk. Needs Docker and the image in the local Docker engine: scripts/k3s-e2e.sh builds
 * the image and runs this class. Without Docker every test here is skipped with the reason.
 */
@ExtendWith(RequiresDockerImage.class)
class K3sEndToEndTest {

  static final String IMAGE = RequiresDockerImage.IMAGE;
  static final String K3S_IMAGE = System.getProperty("wavegate.k3s.image", "rancher/k3s:v1.34.1-k3s1");
  static final String CONTENT_DIR = "/var/lib/wavegate";
  static final String FILE = "C-00000291.sys";

  private static K3sContainer k3s;
  private static KubernetesClient client;

  @BeforeAll
  static void installWavegateIntoK3s() throws Exception {
    k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE).asCompatibleSubstituteFor("rancher/k3s"));
    k3s.start();
    loadImage(IMAGE);
    loadImage(RequiresDockerImage.AGENT_IMAGE);
    Path kubeconfig = Files.createTempFile("wavegate-k3s", ".yaml");
    Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();

    String repository = IMAGE.substring(0, IMAGE.lastIndexOf(':'));
    String tag = IMAGE.substring(IMAGE.lastIndexOf(':') + 1);
    Chart.Result install = Chart.helm("install", Chart.RELEASE, Chart.dir().toString(), "--namespace", Chart.NAMESPACE,
        "--create-namespace", "--kubeconfig", kubeconfig.toString(), "--set", "image.repository=" + repository,
        "--set", "image.tag=" + tag, "--set", "image.pullPolicy=Never",
        "--set", "agent.image.repository=" + RequiresDockerImage.AGENT_IMAGE.substring(0,
            RequiresDockerImage.AGENT_IMAGE.lastIndexOf(':')),
        "--set", "agent.image.tag=" + RequiresDockerImage.AGENT_IMAGE.substring(RequiresDockerImage.AGENT_IMAGE.lastIndexOf(':') + 1),
        "--wait", "--timeout", "5m");
    assertThat(install.exitCode()).as("helm install:\n" + install.output()).isZero();

    String node = client.nodes().list().getItems().get(0).getMetadata().getName();
    client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"wavegate.io/pool\":\"canary\"}}}");
  }

  @AfterAll
  static void stopK3s() {
    if (client != null) {
      client.close();
    }
    if (k3s != null) {
      k3s.stop();
    }
  }

  @Test
  void goodContentLandsInTheFileOnTheNodesDisk() throws Exception {
    byte[] rules = "rule 1: allow\nrule 2: deny pipes\n".getBytes(StandardCharsets.UTF_8);
    apply("k3s-good", rules);

    ContentRolloutStatus status = awaitPhase("k3s-good", RolloutPhase.Succeeded);

    assertThat(status.getNodes()).isEqualTo("1/1");
    assertThat(fileOnNode("k3s-good")).isEqualTo(new String(rules, StandardCharsets.UTF_8));
  }

  @Test
  void badContentIsRefusedAndTheFileOnTheNodeDoesNotChange() throws Exception {
    byte[] good = "signature set 33\n".getBytes(StandardCharsets.UTF_8);
    apply("k3s-bad", good);
    awaitPhase("k3s-bad", RolloutPhase.Succeeded);
    ExecResult before = k3s.execInContainer("sha256sum", CONTENT_DIR + "/k3s-bad/" + FILE);

    apply("k3s-bad", new byte[40 * 1024]);
    ContentRolloutStatus status = awaitPhase("k3s-bad", RolloutPhase.Rejected);

    assertThat(status.getConditions()).anyMatch(c -> c.getType().equals("Validated") && "ZeroFilled".equals(c.getReason()));
    assertThat(fileOnNode("k3s-bad")).isEqualTo(new String(good, StandardCharsets.UTF_8));
    assertThat(k3s.execInContainer("sha256sum", CONTENT_DIR + "/k3s-bad/" + FILE).getStdout())
        .isEqualTo(before.getStdout());
  }

  // ---- helpers

  /** The content in a ConfigMap and a one-wave ContentRollout over the canary pool, as kubectl apply would. */
  private static void apply(String channel, byte[] bytes) {
    client.configMaps().inNamespace(Chart.NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(channel).withNamespace(Chart.NAMESPACE).endMetadata()
        .addToBinaryData(FILE, Base64.getEncoder().encodeToString(bytes)).build()).forceConflicts().serverSideApply();
    String yaml = """
        apiVersion: wavegate.io/v1alpha1
        kind: ContentRollout
        metadata:
          name: %s
        spec:
          content:
            sha256: %s
            source:
              configMapRef: {namespace: %s, name: %s, key: %s}
          strategy:
            waves:
            - name: canary
              pools: [canary]
              bakeTime: 5s
        """.formatted(channel, Digests.sha256Hex(bytes), Chart.NAMESPACE, channel, FILE);
    client.resource(Serialization.unmarshal(yaml, ContentRollout.class)).forceConflicts().serverSideApply();
  }

  private static ContentRolloutStatus awaitPhase(String name, RolloutPhase phase) {
    return io.wavegate.sim.Rollouts.awaitPhase(client, name, phase, Duration.ofMinutes(3));
  }

  private static String fileOnNode(String channel) throws IOException, InterruptedException {
    ExecResult cat = k3s.execInContainer("cat", CONTENT_DIR + "/" + channel + "/" + FILE);
    assertThat(cat.getExitCode()).as(cat.getStderr()).isZero();
    return cat.getStdout();
  }

  /** docker save of the local image, imported into k3s's containerd (the chart uses pullPolicy Never). */
  private static void loadImage(String name) throws IOException, InterruptedException {
    Path tar = Files.createTempFile("wavegate-image", ".tar");
    try (InputStream image = DockerClientFactory.instance().client().saveImageCmd(name).exec()) {
      Files.copy(image, tar, StandardCopyOption.REPLACE_EXISTING);
    }
    k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/wavegate-image.tar");
    ExecResult imported = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/wavegate-image.tar");
    assertThat(imported.getExitCode()).as("ctr images import: " + imported.getStderr()).isZero();
    Files.delete(tar);
  }
}
