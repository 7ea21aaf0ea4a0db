package io.wavegate.e2e.support;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.wavegate.sim.ClusterSetup;
import io.wavegate.sim.ServiceAccountTokens;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kube-apiserver + etcd (Fabric8 kube-api-test), one per test class:
 * {@code @RegisterExtension static final ApiServer api = new ApiServer();}
 *
 * <p>Binaries come from ~/.kubeapitest/k8s/&lt;version&gt;-linux-amd64, provisioned by
 * scripts/kube-binaries.sh; when they are there the server starts offline, so nothing waits on a
 * download.
 */
public final class ApiServer implements BeforeAllCallback, AfterAllCallback {

  public static final String K8S_VERSION = ClusterSetup.K8S_VERSION;

  private final List<AuditLog.ExpectedRefusal> expectedRefusals;
  private String suite;
  private KubeAPIServer server;
  /** The kube-apiserver process this class started itself after a {@link #restartApiServer}. */
  private Process restarted;
  private KubernetesClient client;
  private String kubeconfig;

  /** A server whose audit log must show no refusal of a chart identity (the operator, the agent). */
  public ApiServer() {
    this(List.of());
  }

  /** As above, except the refusals this test class provokes on purpose. */
  public ApiServer(List<AuditLog.ExpectedRefusal> expectedRefusals) {
    this.expectedRefusals = List.copyOf(expectedRefusals);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    suite = context.getRequiredTestClass().getSimpleName();
    server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withApiServerVersion(K8S_VERSION)
        .withOfflineMode(binariesCached())
        .withStartupTimeout(120_000)
        .withApiServerFlags(AuditLog.flags(suite))
        .build());
    server.start();
    kubeconfig = server.getKubeConfigYaml();
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      ServiceAccountTokens.closeClientsOf(client);
      client.close();
    }
    if (restarted != null) {
      restarted.destroyForcibly();
    }
    if (server != null) {
      server.stop();
    }
    // RBAC proven from the API server's own record: a chart identity refused where no test meant it
    List<AuditLog.Request> unexpected = AuditLog.summarize(suite, expectedRefusals);
    if (!unexpected.isEmpty()) {
      throw new AssertionError(suite + ": the API server refused a chart identity where no test expected it"
          + " (audit log " + AuditLog.summary(suite) + "):\n" + String.join("\n", unexpected.stream()
          .map(r -> r.key().replace('\t', ' ') + " -> " + r.code() + " " + r.message()).distinct().limit(20).toList()));
    }
  }

  /**
   * Stops the kube-apiserver (etcd keeps every object) and starts it again with the same command
   * line, so on the same port and certificates, after {@code down}: a control-plane restart as the
   * operator sees it. kube-api-test has no restart of its own, and would take the stop for a crash
   * and tear everything down, so its process handle is told the stop is expected.
   */
  public void restartApiServer(Duration down) {
    try {
      Process running = restarted;
      if (running == null) {
        Object process = field(server, "kubeApiServerProcess");
        running = (Process) field(process, "apiServerProcess");
        Field stopped = process.getClass().getDeclaredField("stopped");
        stopped.setAccessible(true);
        stopped.set(process, true);
      }
      List<String> command = List.of(new String(Files.readAllBytes(Path.of("/proc/" + running.pid() + "/cmdline")),
          StandardCharsets.UTF_8).split("\u0000"));
      running.destroy();
      running.waitFor(30, TimeUnit.SECONDS);
      Thread.sleep(down.toMillis());
      restarted = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          client.getKubernetesVersion();
          client.nodes().list();
          return;
        } catch (RuntimeException notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("kube-apiserver did not come back", notYet);
          }
          Thread.sleep(200);
        }
      }
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot restart the kube-apiserver", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * A client that acts as a service account, sharing the admin client's connection: the API server
   * authorizes and admits each request as that account (impersonation), with the given extra user
   * info, such as the node name a pod-bound token carries.
   */
  public static KubernetesClient impersonating(KubernetesClient admin, String serviceAccountUser,
      Map<String, List<String>> extras) {
    String namespace = serviceAccountUser.split(":")[2];
    RequestConfigBuilder config = new RequestConfigBuilder().withImpersonateUsername(serviceAccountUser)
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    // extra keys travel in header names, where '/' is not allowed: the API server unescapes them
    extras.forEach((key, values) -> config.addToImpersonateExtras(key.replace("/", "%2F"), values));
    return admin.newClient(config.build()).adapt(KubernetesClient.class);
  }

  public String kubeconfigYaml() {
    return kubeconfig;
  }

  /** Applies the committed CRD from crds/ and waits until the API server reports it Established. */
  public CustomResourceDefinition installCrd() {
    return ClusterSetup.installCrd(client, repoRoot());
  }

  public static boolean established(CustomResourceDefinition crd) {
    return ClusterSetup.established(crd);
  }

  public static Path repoRoot() {
    return ClusterSetup.repoRoot();
  }

  private static boolean binariesCached() {
    String apiTestDir = System.getenv().getOrDefault(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR,
        Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).toString());
    return Files.isExecutable(Path.of(apiTestDir, "k8s", K8S_VERSION + "-linux-amd64", "kube-apiserver"));
  }
}
