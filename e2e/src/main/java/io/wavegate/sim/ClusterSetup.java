package io.wavegate.sim;

import io.wavegate.contract.NodeContent;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the tests and the demo do to a fresh API server before wavegate runs on it. */
public final class ClusterSetup {

  /** The Kubernetes version of the test binaries (-Dwavegate.k8s.version, with scripts/kube-binaries.sh's). */
  public static final String K8S_VERSION = System.getProperty("wavegate.k8s.version", "1.34.4");

  private ClusterSetup() {}

  /** The repository's root (-Dwavegate.root, which the build sets; the working directory's parent otherwise). */
  public static Path repoRoot() {
    return Path.of(System.getProperty("wavegate.root", "..")).toAbsolutePath().normalize();
  }

  /**
   * Starts a local kube-apiserver and etcd of the test version (-Dwavegate.k8s.version, default
   * 1.34.4), offline when scripts/kube-binaries.sh has cached the binaries under ~/.kubeapitest.
   */
  public static KubeAPIServer startApiServer() {
    String version = System.getProperty("wavegate.k8s.version", "1.34.4");
    boolean cached = Files.isExecutable(Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s",
        version + "-linux-amd64", "kube-apiserver"));
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withApiServerVersion(version).withOfflineMode(cached).withStartupTimeout(120_000).build());
    server.start();
    return server;
  }

  /**
   * Applies the committed CRDs from crds/ (ContentRollout, NodeContent, ContentRevocation, ContentUpdatePolicy, ContentMetricTemplate), waits until the API
   * server reports them Established, and returns the ContentRollout one.
   */
  public static CustomResourceDefinition installCrd(KubernetesClient client, Path repoRoot) {
    CustomResourceDefinition contentRollouts = null;
    for (String file : List.of("crds/nodecontents.wavegate.io-v1.yml", "crds/contentrevocations.wavegate.io-v1.yml",
        "crds/contentupdatepolicies.wavegate.io-v1.yml", "crds/contentmetrictemplates.wavegate.io-v1.yml",
        "crds/contentrollouts.wavegate.io-v1.yml")) {
      CustomResourceDefinition crd;
      try (InputStream in = Files.newInputStream(repoRoot.resolve(file))) {
        crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      client.resource(crd).serverSideApply();
      contentRollouts = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(ClusterSetup::established, 60, TimeUnit.SECONDS);
    }
    return contentRollouts;
  }

  public static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static void createNamespace(KubernetesClient client, String namespace) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).serverSideApply();
  }
}
