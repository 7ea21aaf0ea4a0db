package io.wavegate.delivery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.Revocation;
import io.wavegate.contract.SnapshotFormat;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a channel's {@link ContentRevocation} by server-side apply, with the publisher's signature
 * over the stable bytes copied from the stable snapshot, so that an agent with trusted keys verifies
 * the file it restores without fetching the snapshot.
 */
public final class RevocationWriter {

  public static final String FIELD_MANAGER = "wavegate-operator";
  private static final Logger LOG = LoggerFactory.getLogger(RevocationWriter.class);

  private final KubernetesClient client;

  public RevocationWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The revocation is written even when the stable snapshot cannot be read: its signature is a
   * shortcut for agents with trusted keys (they fetch and verify the snapshot without it), never a
   * reason to delay the revert.
   */
  public ContentRevocation write(Revocation revocation, OwnerReference owner) {
    Revocation signed = revocation.stable().map(stable -> withSignature(revocation, stable)).orElse(revocation);
    return client.resource(signed.toObject(owner)).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private Revocation withSignature(Revocation revocation, Revocation.Stable stable) {
    Map<String, String> annotations;
    try {
      HasMetadata snapshot = SnapshotFormat.get(client, stable.snapshot(), stable.secretSnapshot());
      annotations = snapshot == null || snapshot.getMetadata().getAnnotations() == null ? Map.of()
          : snapshot.getMetadata().getAnnotations();
    } catch (KubernetesClientException e) {
      LOG.warn("{}: cannot read the stable snapshot {} for its signature ({}); the revocation goes without it",
          revocation.channel(), stable.snapshot(), e.getMessage());
      return revocation;
    }
    return new Revocation(revocation.channel(), revocation.revoked(), Optional.of(new Revocation.Stable(
        stable.revision(), stable.snapshot(), stable.snapshotKind(), annotations.get(SnapshotFormat.SIGNATURE_ANNOTATION),
        annotations.get(SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION),
        annotations.get(SnapshotFormat.SIGNATURE_KEY_ID_ANNOTATION))), revocation.reason());
  }
}
