package io.wavegate.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trust root: the publisher keys the cluster admin configured, one ConfigMap in the operator's
 * namespace whose keys are key ids and values PEM public keys (the chart renders it from
 * signatures.trustedKeys). Read at each gate run, so a rotation takes effect without a restart.
 * A ContentRollout can only name one of these keys, never bring its own.
 */
public final class TrustedKeys {

  private final KubernetesClient client;
  private final String namespace;
  private final String configMap;

  /** {@code configMap} null: no key is trusted, so only unsigned content passes (unless signatures are required). */
  public TrustedKeys(KubernetesClient client, String namespace, String configMap) {
    this.client = client;
    this.namespace = namespace;
    this.configMap = configMap;
  }

  public Map<String, String> current() {
    if (configMap == null) {
      return Map.of();
    }
    ConfigMap keys;
    try {
      keys = client.configMaps().inNamespace(namespace).withName(configMap).get();
    } catch (KubernetesClientException e) {
      throw new SourceReadException("TrustedKeysUnreadable", "cannot read the trusted keys ConfigMap " + namespace + "/"
          + configMap + ": " + e.getMessage(), e);
    }
    Map<String, String> pems = new TreeMap<>();
    if (keys != null && keys.getData() != null) {
      pems.putAll(keys.getData());
    }
    if (keys != null && keys.getBinaryData() != null) {
      keys.getBinaryData().forEach((id, base64) -> pems.put(id, new String(Base64.getDecoder().decode(base64),
          StandardCharsets.UTF_8)));
    }
    return pems;
  }
}
