package io.wavegate.analysis;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for an HTTP call (a metric provider, a wave webhook) from a Secret in a source namespace:
 * key token (a bearer token), or keys username and password (basic auth).
 */
final class SecretCredentials {

  private SecretCredentials() {}

  /** Why a Secret's credentials cannot be used, for the status of what asked for them. */
  static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message);
    }
  }

  /**
   * @param ref namespace/name, or null for none
   * @param field the spec field that names the Secret, for the messages
   */
  static PrometheusQuery.Credentials read(KubernetesClient client, String ref, String field) {
    if (ref == null) {
      return PrometheusQuery.Credentials.NONE;
    }
    String[] parts = ref.split("/", 2);
    Secret secret;
    try {
      secret = client.secrets().inNamespace(parts[0]).withName(parts[1]).get();
    } catch (KubernetesClientException e) {
      throw new Unreadable("cannot read Secret " + ref + " (" + field + "): " + (e.getCode() == 403
          ? "the operator may not read Secrets in namespace " + parts[0] + "; name a Secret in a source namespace"
          : e.getMessage()));
    }
    if (secret == null || secret.getData() == null) {
      throw new Unreadable("Secret " + ref + " (" + field + ") does not exist or holds nothing");
    }
    Map<String, String> data = secret.getData();
    Optional<String> token = decoded(data, "token");
    Optional<String> username = decoded(data, "username");
    if (token.isEmpty() && username.isEmpty()) {
      throw new Unreadable("Secret " + ref + " (" + field + ") has neither key token nor keys username and password");
    }
    return new PrometheusQuery.Credentials(token, username, decoded(data, "password"), "Secret " + ref);
  }

  private static Optional<String> decoded(Map<String, String> data, String key) {
    return Optional.ofNullable(data.get(key)).map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
  }
}
