package io.wavegate.contract;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How a snapshot holds validated content (docs/node-contract.md): an immutable, digest-named
 * ConfigMap (binaryData) or Secret (data) in the snapshot namespace, the bytes under
 * {@link #CONTENT_KEY} or, for OCI content, where to pull them ({@link #OCI_REFERENCE_ANNOTATION}), and annotations naming the digest, the file name on nodes and, when the
 * publisher signed the bytes, the detached signature an agent verifies itself.
 */
public final class SnapshotFormat {

  public static final String CONTENT_KEY = "content";
  public static final String SHA256_ANNOTATION = "wavegate.io/sha256";
  public static final String FILE_NAME_ANNOTATION = "wavegate.io/file-name";
  public static final String CHANNEL_LABEL = "wavegate.io/channel";
  /** The publisher's detached signature over the bytes (base64), its algorithm and the key id it names. */
  public static final String SIGNATURE_ANNOTATION = "wavegate.io/signature";
  public static final String SIGNATURE_ALGORITHM_ANNOTATION = "wavegate.io/signature-algorithm";
  public static final String SIGNATURE_KEY_ID_ANNOTATION = "wavegate.io/signature-key-id";
  /**
   * Contract v5: a snapshot of OCI content holds no bytes but this annotation, the artifact
   * ({@code registry/repository@sha256:<manifest>}); the file is the repository's blob whose digest is
   * the revision, pulled by that digest and checked while it streams.
   */
  public static final String OCI_REFERENCE_ANNOTATION = "wavegate.io/oci-reference";

  private SnapshotFormat() {}

  public static String name(String channel, String digest) {
    return "wavegate-" + channel + "-" + Digests.shortRevision(digest);
  }

  /** The snapshot a reference ({@code namespace/name}) names, a Secret or a ConfigMap; null when there is none. */
  public static HasMetadata get(KubernetesClient client, String reference, boolean secret) {
    String[] ref = reference.split("/", 2);
    if (ref.length != 2) {
      return null;
    }
    return secret ? client.secrets().inNamespace(ref[0]).withName(ref[1]).get()
        : client.configMaps().inNamespace(ref[0]).withName(ref[1]).get();
  }

  public static String reference(String namespace, String channel, String digest) {
    return namespace + "/" + name(channel, digest);
  }
}
