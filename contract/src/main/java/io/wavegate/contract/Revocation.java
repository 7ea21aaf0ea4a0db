package io.wavegate.contract;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Optional;

/**
 * A channel's revocation as a value (the {@link ContentRevocation} object's meaning), and the one rule
 * every agent follows with it: a node that holds a revoked revision goes back to the stable revision
 * (from its kept previous file when that is the stable one, else from the stable snapshot), or, when
 * the channel has no stable revision, removes the file. A node holding anything else is left alone.
 *
 * @param channel the channel, and the object's name
 * @param revoked revisions no node may keep, oldest first
 * @param stable where nodes go back to; empty when the channel never completed a rollout
 * @param reason why the newest revision was revoked
 */
public record Revocation(String channel, List<String> revoked, Optional<Stable> stable, String reason) {

  /** At most this many revoked revisions are named (the operator's failedRevisions are bounded the same). */
  public static final int MAX_REVOKED = 20;

  /** The stable revision, its snapshot, and the publisher's signature over its bytes (null fields when unsigned). */
  public record Stable(String revision, String snapshot, String snapshotKind, String signature, String algorithm,
      String keyId) {

    public boolean secretSnapshot() {
      return Assignment.SECRET.equals(snapshotKind);
    }
  }

  /** What an agent does with its disk for one channel. */
  public enum Verdict {
    /** The node does not hold a revoked revision. */
    KEEP,
    /** The kept previous file is the stable revision: make it current again (after checking its bytes). */
    RESTORE_PREVIOUS,
    /** Fetch the stable snapshot and write it (after checking its bytes). */
    FETCH_STABLE,
    /** There is no stable revision: the node had no content before, remove the revoked file. */
    REMOVE
  }

  public boolean revokes(String revision) {
    return revision != null && revoked.contains(revision);
  }

  /**
   * @param current the digest of the channel's current file on disk, if any
   * @param previous the digest of the kept previous file, if any
   */
  public Verdict verdict(Optional<String> current, Optional<String> previous) {
    if (current.isEmpty() || !revokes(current.get())) {
      return Verdict.KEEP;
    }
    if (stable.isEmpty()) {
      return Verdict.REMOVE;
    }
    return previous.equals(Optional.of(stable.get().revision())) ? Verdict.RESTORE_PREVIOUS : Verdict.FETCH_STABLE;
  }

  /** Reads the object; empty when it is not well-formed (an agent then leaves its disk alone). */
  public static Optional<Revocation> of(ContentRevocation object) {
    ContentRevocationSpec spec = object == null ? null : object.getSpec();
    if (spec == null || spec.getChannel() == null || spec.getRevoked() == null) {
      return Optional.empty();
    }
    List<String> revoked = spec.getRevoked().stream().map(ContentRevocationSpec.RevokedRevision::getRevision)
        .filter(r -> r != null).toList();
    ContentRevocationSpec.StableRevision s = spec.getStable();
    if (s != null && (s.getRevision() == null || s.getSnapshot() == null || revoked.contains(s.getRevision()))) {
      return Optional.empty();
    }
    return Optional.of(new Revocation(spec.getChannel(), revoked, Optional.ofNullable(s).map(x -> new Stable(
        x.getRevision(), x.getSnapshot(), x.getSnapshotKind(), x.getSignature(), x.getSignatureAlgorithm(),
        x.getSignatureKeyId())), spec.getReason()));
  }

  /** The object the operator applies for this revocation, owned by its rollout. */
  public ContentRevocation toObject(OwnerReference owner) {
    ContentRevocation object = new ContentRevocation();
    object.setApiVersion(NodeContent.GROUP + "/" + NodeContent.VERSION);
    object.setKind("ContentRevocation");
    object.setMetadata(new ObjectMetaBuilder().withName(channel).withOwnerReferences(owner == null ? List.of()
        : List.of(owner)).build());
    ContentRevocationSpec spec = new ContentRevocationSpec();
    spec.setContractVersion(NodeContent.CONTRACT_VERSION);
    spec.setChannel(channel);
    spec.setRevoked(revoked.stream().map(r -> {
      ContentRevocationSpec.RevokedRevision entry = new ContentRevocationSpec.RevokedRevision();
      entry.setRevision(r);
      entry.setShortRevision(Digests.shortRevision(r));
      return entry;
    }).toList());
    stable.ifPresent(s -> {
      ContentRevocationSpec.StableRevision entry = new ContentRevocationSpec.StableRevision();
      entry.setRevision(s.revision());
      entry.setShortRevision(Digests.shortRevision(s.revision()));
      entry.setSnapshot(s.snapshot());
      entry.setSnapshotKind(s.snapshotKind());
      entry.setSignature(s.signature());
      entry.setSignatureAlgorithm(s.algorithm());
      entry.setSignatureKeyId(s.keyId());
      spec.setStable(entry);
    });
    spec.setReason(reason == null || reason.length() <= 1024 ? reason : reason.substring(0, 1024));
    object.setSpec(spec);
    return object;
  }
}
