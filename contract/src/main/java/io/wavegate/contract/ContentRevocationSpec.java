package io.wavegate.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The revisions of one channel that no node may keep, and where nodes go back to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.stable) || !has(self.revoked) || !self.revoked.exists(r, r.revision == self.stable.revision)",
    message = "the stable revision cannot be revoked too")
public class ContentRevocationSpec {

  @JsonPropertyDescription("Version of the node contract this object follows: " + NodeContent.CONTRACT_VERSION + ".")
  private Integer contractVersion;

  @Required
  @Size(max = 63)
  @JsonPropertyDescription("The channel (the ContentRollout's name, and this object's).")
  private String channel;

  @Size(max = 20)
  @JsonPropertyDescription("Revisions no node may keep, oldest first: the channel's failed revisions. An agent"
      + " holding one on disk reverts to the stable revision at once, and never applies one.")
  private List<RevokedRevision> revoked;

  @JsonPropertyDescription("The revision that completed every wave, to go back to; absent when the channel has"
      + " none, and a node holding a revoked revision then removes it (it had no content before).")
  private StableRevision stable;

  @Size(max = 1024)
  @JsonPropertyDescription("Why the newest revision was revoked (the breach, or an abort).")
  private String reason;

  public Integer getContractVersion() { return contractVersion; }
  public void setContractVersion(Integer contractVersion) { this.contractVersion = contractVersion; }
  public String getChannel() { return channel; }
  public void setChannel(String channel) { this.channel = channel; }
  public List<RevokedRevision> getRevoked() { return revoked; }
  public void setRevoked(List<RevokedRevision> revoked) { this.revoked = revoked; }
  public StableRevision getStable() { return stable; }
  public void setStable(StableRevision stable) { this.stable = stable; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }

  /** A revoked revision. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RevokedRevision {
    @Required
    @Size(max = 64)
    @ValidationRule(value = "self.matches('^[0-9a-f]{64}$')", message = "a revision is 64 lowercase hex characters")
    @JsonPropertyDescription("Full sha256 of the revoked content.")
    private String revision;
    @Size(max = 12)
    @JsonPropertyDescription("The first 12 hex of revision, for the printer columns.")
    private String shortRevision;

    public String getRevision() { return revision; }
    public void setRevision(String revision) { this.revision = revision; }
    public String getShortRevision() { return shortRevision; }
    public void setShortRevision(String shortRevision) { this.shortRevision = shortRevision; }
  }

  /** The stable revision: its digest, its snapshot, and the publisher's signature over its bytes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StableRevision {
    @Required
    @Size(max = 64)
    @ValidationRule(value = "self.matches('^[0-9a-f]{64}$')", message = "a revision is 64 lowercase hex characters")
    @JsonPropertyDescription("Full sha256 of the stable content: an agent checks the bytes it restores against it.")
    private String revision;
    @Size(max = 12)
    @JsonPropertyDescription("The first 12 hex of revision, for the printer columns.")
    private String shortRevision;
    @Required
    @Size(max = 317)
    @JsonPropertyDescription("namespace/name of the immutable snapshot holding the stable bytes, for an agent that"
        + " does not keep them as its previous file.")
    private String snapshot;
    @Size(max = 16)
    @JsonPropertyDescription("Secret when the snapshot is a Secret; else a ConfigMap.")
    private String snapshotKind;
    @Size(max = 1024)
    @JsonPropertyDescription("The publisher's signature over the stable bytes (base64), as on the snapshot: an agent"
        + " with trusted keys verifies the file it restores with it.")
    private String signature;
    @Size(max = 32)
    @JsonPropertyDescription("The signature's algorithm: Ed25519 or ECDSA-P256-SHA256.")
    private String signatureAlgorithm;
    @Size(max = 253)
    @JsonPropertyDescription("The id of the key that made the signature.")
    private String signatureKeyId;

    public String getRevision() { return revision; }
    public void setRevision(String revision) { this.revision = revision; }
    public String getShortRevision() { return shortRevision; }
    public void setShortRevision(String shortRevision) { this.shortRevision = shortRevision; }
    public String getSnapshot() { return snapshot; }
    public void setSnapshot(String snapshot) { this.snapshot = snapshot; }
    public String getSnapshotKind() { return snapshotKind; }
    public void setSnapshotKind(String snapshotKind) { this.snapshotKind = snapshotKind; }
    public String getSignature() { return signature; }
    public void setSignature(String signature) { this.signature = signature; }
    public String getSignatureAlgorithm() { return signatureAlgorithm; }
    public void setSignatureAlgorithm(String signatureAlgorithm) { this.signatureAlgorithm = signatureAlgorithm; }
    public String getSignatureKeyId() { return signatureKeyId; }
    public void setSignatureKeyId(String signatureKeyId) { this.signatureKeyId = signatureKeyId; }
  }
}
