package io.wavegate.delivery;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wavegate.api.ContentRollout;
import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Immutable, digest-named ConfigMaps in the operator's namespace holding validated bytes: nodes get
 * a snapshot, never the mutable source. Owned by the rollout; old ones pruned past a small history.
 */
public final class SnapshotStore {

  private final KubernetesClient client;
  private final String namespace;
  private final int history;

  public SnapshotStore(KubernetesClient client, String namespace, int history) {
    this.client = client;
    this.namespace = namespace;
    this.history = history;
  }

  public String namespace() {
    return namespace;
  }

  public void create(ContentRollout rollout, String digest, byte[] bytes, String fileName) {
    ConfigMap snapshot = new ConfigMapBuilder()
        .withNewMetadata()
        .withName(Snapshots.name(rollout.channel(), digest))
        .withNamespace(namespace)
        .addToLabels(Snapshots.CHANNEL_LABEL, rollout.channel())
        .addToAnnotations(Snapshots.SHA256_ANNOTATION, digest)
        .addToAnnotations(Snapshots.FILE_NAME_ANNOTATION, fileName)
        .addNewOwnerReference()
        .withApiVersion(rollout.getApiVersion())
        .withKind(rollout.getKind())
        .withName(rollout.getMetadata().getName())
        .withUid(rollout.getMetadata().getUid())
        .endOwnerReference()
        .endMetadata()
        .withImmutable(true)
        .addToBinaryData(Snapshots.CONTENT_KEY, Base64.getEncoder().encodeToString(bytes))
        .build();
    try {
      client.configMaps().inNamespace(namespace).resource(snapshot).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  /** Deletes the channel's snapshots beyond the newest few, never one that is still in use. */
  public void prune(String channel, Set<String> inUseDigests) {
    List<ConfigMap> snapshots = client.configMaps().inNamespace(namespace)
        .withLabel(Snapshots.CHANNEL_LABEL, channel).list().getItems().stream()
        .sorted(Comparator.comparing((ConfigMap c) -> c.getMetadata().getCreationTimestamp()).reversed())
        .toList();
    for (ConfigMap old : snapshots.subList(Math.min(history, snapshots.size()), snapshots.size())) {
      String digest = old.getMetadata().getAnnotations().get(Snapshots.SHA256_ANNOTATION);
      if (!inUseDigests.contains(digest)) {
        client.configMaps().inNamespace(namespace).resource(old).delete();
      }
    }
  }
}
