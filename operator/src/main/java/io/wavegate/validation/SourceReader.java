package io.wavegate.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.api.KeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

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
    ConfigMap map = client.configMaps().inNamespace(allowed(ref)).withName(ref.getName()).get();
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
    Secret secret = client.secrets().inNamespace(allowed(ref)).withName(ref.getName()).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
      return Optional.empty();
    }
    return Optional.of(Base64.getDecoder().decode(secret.getData().get(ref.getKey())));
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
