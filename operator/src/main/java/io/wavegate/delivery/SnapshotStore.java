package io.wavegate.delivery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.api.ContentRollout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Immutable, digest-named snapshots in the snapshot namespace holding validated bytes: nodes get a
 * snapshot, never the mutable source. Content read from a Secret is snapshotted into a Secret, so
 * its bytes never land in a ConfigMap. Owned by the rollout; old ones pruned past a small history.
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

  public void create(ContentRollout rollout, String digest, byte[] bytes, String fileName, boolean secret) {
    ObjectMeta meta = new ObjectMetaBuilder()
        .withName(Snapshots.name(rollout.channel(), digest))
        .withNamespace(namespace)
        .addToLabels(Snapshots.CHANNEL_LABEL, rollout.channel())
        .addToAnnotations(Snapshots.SHA256_ANNOTATION, digest)
        .addToAnnotations(Snapshots.FILE_NAME_ANNOTATION, fileName)
        .withOwnerReferences(Snapshots.ownedBy(rollout))
        .build();
    Snapshots.createOnce(client, Snapshots.holding(meta, bytes, secret));
  }

  /** Deletes the channel's snapshots beyond the newest few, never one that is still in use. */
  public void prune(String channel, Set<String> inUseDigests) {
    List<HasMetadata> snapshots = new ArrayList<>();
    snapshots.addAll(client.configMaps().inNamespace(namespace).withLabel(Snapshots.CHANNEL_LABEL, channel).list()
        .getItems());
    snapshots.addAll(client.secrets().inNamespace(namespace).withLabel(Snapshots.CHANNEL_LABEL, channel).list()
        .getItems());
    snapshots.sort(Comparator.comparing((HasMetadata c) -> c.getMetadata().getCreationTimestamp()).reversed());
    for (HasMetadata old : snapshots.subList(Math.min(history, snapshots.size()), snapshots.size())) {
      String digest = old.getMetadata().getAnnotations().get(Snapshots.SHA256_ANNOTATION);
      if (!inUseDigests.contains(digest)) {
        client.resource(old).delete();
      }
    }
  }
}
