package io.wavegate.delivery;

import io.wavegate.contract.SnapshotFormat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Base64;
import io.wavegate.api.ContentRollout;

/**
 * Writes the immutable, digest-named objects that hold validated content (the snapshot format is
 * the contract's {@link SnapshotFormat}): ConfigMaps, or Secrets when the content came from a Secret.
 */
public final class Snapshots {

  private Snapshots() {}

  /**
   * An immutable object holding the bytes under {@link SnapshotFormat#CONTENT_KEY}: a Secret for secret
   * content, else a ConfigMap; for OCI content a ConfigMap holding no bytes, only the artifact reference
   * ({@link SnapshotFormat#OCI_REFERENCE_ANNOTATION}) nodes pull the revision's blob from.
   */
  public static HasMetadata holding(ObjectMeta meta, CheckedContent content, boolean secret) {
    if (content instanceof CheckedContent.Oci oci) {
      meta.getAnnotations().put(SnapshotFormat.OCI_REFERENCE_ANNOTATION, oci.reference());
      return new ConfigMapBuilder().withMetadata(meta).withImmutable(true).build();
    }
    String data = Base64.getEncoder().encodeToString(((CheckedContent.Bytes) content).bytes());
    return secret
        ? new SecretBuilder().withMetadata(meta).withType("Opaque").withImmutable(true).addToData(SnapshotFormat.CONTENT_KEY, data).build()
        : new ConfigMapBuilder().withMetadata(meta).withImmutable(true).addToBinaryData(SnapshotFormat.CONTENT_KEY, data).build();
  }

  /** Creates an immutable object once: one that already exists holds the same digest-named bytes. Whether it created it. */
  public static boolean createOnce(KubernetesClient client, HasMetadata object) {
    try {
      client.resource(object).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return false;
    }
  }

  /** Owned by the rollout, so that deleting it removes its snapshots and validator objects. */
  public static OwnerReference ownedBy(ContentRollout rollout) {
    return new OwnerReferenceBuilder().withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
        .withName(rollout.getMetadata().getName()).withUid(rollout.getMetadata().getUid()).build();
  }
}
