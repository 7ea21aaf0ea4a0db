package io.wavegate.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wavegate.api.KeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Reads one key of a ConfigMap or Secret, only from the namespaces the operator may read. */
public final class SourceReader {

  private final KubernetesClient client;
  private final String defaultNamespace;
  private final Set<String> allowedNamespaces;

  public SourceReader(KubernetesClient client, String defaultNamespace, Set<String> allowedNamespaces) {
    this.client = client;
    this.defaultNamespace = defaultNamespace;
    this.allowedNamespaces = allowedNamespaces;
  }

  /** A reference outside the allowed namespaces. */
  public static final class NotAllowedException extends Exception {
    NotAllowedException(String message) {
      super(message);
    }
  }

  public String namespaceOf(KeyRef ref) {
    return ref.getNamespace() == null || ref.getNamespace().isBlank() ? defaultNamespace : ref.getNamespace();
  }

  public Optional<byte[]> configMapKey(KeyRef ref) throws NotAllowedException {
    String namespace = allowed(ref);
    ConfigMap map = read("configmaps", namespace, ref, () -> client.configMaps().inNamespace(namespace)
        .withName(ref.getName()).get());
    if (map == null) {
      return Optional.empty();
    }
    if (map.getBinaryData() != null && map.getBinaryData().containsKey(ref.getKey())) {
      return Optional.of(Base64.getDecoder().decode(map.getBinaryData().get(ref.getKey())));
    }
    if (map.getData() != null && map.getData().containsKey(ref.getKey())) {
      return Optional.of(map.getData().get(ref.getKey()).getBytes(StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }

  public Optional<byte[]> secretKey(KeyRef ref) throws NotAllowedException {
    String namespace = allowed(ref);
    Secret secret = read("secrets", namespace, ref, () -> client.secrets().inNamespace(namespace)
        .withName(ref.getName()).get());
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
      return Optional.empty();
    }
    return Optional.of(Base64.getDecoder().decode(secret.getData().get(ref.getKey())));
  }

  /** A read that fails says which object, which namespace, and for a 403 which permission is missing. */
  private static <T> T read(String resource, String namespace, KeyRef ref, Supplier<T> get) {
    try {
      return get.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 401) {
        throw new SourceReadException("SourceForbidden", "cannot read " + ref + ": the operator may not get " + resource
            + " in namespace " + namespace + " (403 Forbidden); bind the ClusterRole wavegate-source-reader there"
            + " (chart value sourceNamespaces)", e);
      }
      throw new SourceReadException("SourceUnreadable", "cannot read " + ref + " from " + resource + " in namespace "
          + namespace + ": " + (e.getCode() == 0 ? "" : e.getCode() + " ") + e.getMessage(), e);
    }
  }

  private String allowed(KeyRef ref) throws NotAllowedException {
    String namespace = namespaceOf(ref);
    if (!allowedNamespaces.contains(namespace)) {
      throw new NotAllowedException("namespace " + namespace + " of " + ref + " is not one the operator reads "
          + allowedNamespaces.stream().sorted().toList() + " (set WAVEGATE_SOURCE_NAMESPACES)");
    }
    return namespace;
  }
}
