package io.wavegate.delivery;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.SignatureSpec;
import java.util.Map;
import java.util.TreeMap;

import io.wavegate.contract.SnapshotFormat;

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
 * Immutable, digest-named snapshots in the snapshot namespace holding validated bytes, or for OCI
 * content the artifact reference nodes pull the same bytes from by digest: nodes get a snapshot,
 * never the mutable source. Content read from a Secret is snapshotted into a Secret, so
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

  /**
   * Creates the revision's snapshot once. The publisher's signature travels with it, so that an agent
   * given trusted keys verifies the bytes itself; a snapshot of the same bytes made earlier without
   * it (or with another signature) gets the rollout's, annotations being the one mutable part.
   */
  public void create(ContentRollout rollout, String digest, CheckedContent content, String fileName, boolean secret) {
    Map<String, String> signature = signatureAnnotations(rollout.getSpec().getContent().getSignature());
    ObjectMeta meta = new ObjectMetaBuilder()
        .withName(SnapshotFormat.name(rollout.channel(), digest))
        .withNamespace(namespace)
        .addToLabels(SnapshotFormat.CHANNEL_LABEL, rollout.channel())
        .addToAnnotations(SnapshotFormat.SHA256_ANNOTATION, digest)
        .addToAnnotations(SnapshotFormat.FILE_NAME_ANNOTATION, fileName)
        .addToAnnotations(signature)
        .withOwnerReferences(Snapshots.ownedBy(rollout))
        .build();
    HasMetadata snapshot = Snapshots.holding(meta, content, secret);
    if (!Snapshots.createOnce(client, snapshot) && !signature.isEmpty()) {
      client.resource(snapshot).patch(PatchContext.of(PatchType.JSON_MERGE),
          Serialization.asJson(Map.of("metadata", Map.of("annotations", signature))));
    }
  }

  private static Map<String, String> signatureAnnotations(SignatureSpec signature) {
    if (signature == null || signature.getValue() == null || signature.getAlgorithm() == null) {
      return Map.of();
    }
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(SnapshotFormat.SIGNATURE_ANNOTATION, signature.getValue().trim());
    annotations.put(SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION, signature.getAlgorithm().toString());
    if (signature.getKeyId() != null) {
      annotations.put(SnapshotFormat.SIGNATURE_KEY_ID_ANNOTATION, signature.getKeyId());
    }
    return annotations;
  }

  /** Deletes the channel's snapshots beyond the newest few, never one that is still in use. */
  public void prune(String channel, Set<String> inUseDigests) {
    List<HasMetadata> snapshots = new ArrayList<>();
    snapshots.addAll(client.configMaps().inNamespace(namespace).withLabel(SnapshotFormat.CHANNEL_LABEL, channel).list()
        .getItems());
    snapshots.addAll(client.secrets().inNamespace(namespace).withLabel(SnapshotFormat.CHANNEL_LABEL, channel).list()
        .getItems());
    snapshots.sort(Comparator.comparing((HasMetadata c) -> c.getMetadata().getCreationTimestamp()).reversed());
    for (HasMetadata old : snapshots.subList(Math.min(history, snapshots.size()), snapshots.size())) {
      String digest = old.getMetadata().getAnnotations().get(SnapshotFormat.SHA256_ANNOTATION);
      if (!inUseDigests.contains(digest)) {
        client.resource(old).delete();
      }
    }
  }
}
