package io.wavegate.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.BoundObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Real service account tokens, issued by the API server through the TokenRequest API as a kubelet
 * gets them for a pod, and clients and kubeconfigs that authenticate with them: the API server
 * authenticates, authorizes and admits every request as that account (no impersonation, no admin
 * rights behind it). A token bound to a Pod carries the Pod's node in its user info
 * ({@code authentication.kubernetes.io/node-name}), as the NodeContent admission policy needs.
 */
public final class ServiceAccountTokens {

  /** Longer than any test class runs. */
  static final long EXPIRATION_SECONDS = 6 * 3600;

  /** Clients by API server and identity, so a test class reuses one connection per identity; closed with the server. */
  private static final Map<String, KubernetesClient> CLIENTS = new ConcurrentHashMap<>();

  private ServiceAccountTokens() {}

  /** A token of {@code namespace/serviceAccount}, bound to {@code pod} when it is not null. */
  public static String issue(KubernetesClient admin, String namespace, String serviceAccount, Pod pod) {
    TokenRequestBuilder request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(EXPIRATION_SECONDS)
        .endSpec();
    if (pod != null) {
      request.editSpec().withBoundObjectRef(new BoundObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
          .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build()).endSpec();
    }
    TokenRequest issued = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(request.build());
    return issued.getStatus().getToken();
  }

  /** A client of {@code admin}'s API server that authenticates with the token {@code issue} returns, once per identity. */
  public static KubernetesClient client(KubernetesClient admin, String identity, Supplier<String> issue) {
    return CLIENTS.computeIfAbsent(admin.getMasterUrl() + " " + identity,
        key -> new KubernetesClientBuilder().withConfig(config(admin, issue.get())).build());
  }

  /** A new client of {@code admin}'s API server authenticating with {@code token} (one a kubelet issued); the caller closes it. */
  public static KubernetesClient clientWithToken(KubernetesClient admin, String token) {
    return new KubernetesClientBuilder().withConfig(config(admin, token)).build();
  }

  /** A kubeconfig file for a process that authenticates with {@code token} to {@code admin}'s API server. */
  public static Path kubeconfig(KubernetesClient admin, String token) {
    Config admins = admin.getConfiguration();
    String yaml = String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: test",
        "  cluster:",
        "    server: " + admin.getMasterUrl().toString().replaceAll("/$", ""),
        "    certificate-authority-data: " + caData(admins),
        "users:",
        "- name: service-account",
        "  user:",
        "    token: " + token,
        "contexts:",
        "- name: service-account",
        "  context: {cluster: test, user: service-account}",
        "current-context: service-account",
        "");
    try {
      Path file = Files.createTempFile("wavegate-token-kubeconfig", ".yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Closes the clients made for this API server (when it stops). */
  public static void closeClientsOf(KubernetesClient admin) {
    String prefix = admin.getMasterUrl() + " ";
    CLIENTS.entrySet().removeIf(entry -> {
      if (entry.getKey().startsWith(prefix)) {
        entry.getValue().close();
        return true;
      }
      return false;
    });
  }

  private static Config config(KubernetesClient admin, String token) {
    Config admins = admin.getConfiguration();
    return new ConfigBuilder(Config.empty()).withMasterUrl(admin.getMasterUrl().toString())
        .withCaCertData(caData(admins)).withOauthToken(token).withRequestTimeout(admins.getRequestTimeout())
        .withConnectionTimeout(admins.getConnectionTimeout()).build();
  }

  private static String caData(Config config) {
    if (config.getCaCertData() != null) {
      return config.getCaCertData();
    }
    try {
      return Base64.getEncoder().encodeToString(Files.readString(Path.of(config.getCaCertFile()))
          .getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
