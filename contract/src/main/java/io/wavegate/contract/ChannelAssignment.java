package io.wavegate.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the operator wants on the node for one channel, and the health baseline it judges the node by. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChannelAssignment extends ChannelEntry {

  @JsonPropertyDescription("The wave the node was assigned in (membership is sticky for this revision).")
  private String wave;
  @JsonPropertyDescription("namespace/name of the immutable snapshot holding the bytes.")
  private String snapshot;
  @JsonPropertyDescription("Secret when the snapshot is a Secret (content from a Secret); else a ConfigMap.")
  private String snapshotKind;
  @JsonPropertyDescription("status.nodeInfo.bootID when assigned: a different boot ID later is a reboot.")
  private String bootId;
  @JsonPropertyDescription("Whether the node was Ready when assigned (a node down already is not blamed).")
  private Boolean ready;
  @JsonPropertyDescription("RFC 3339 time of the assignment.")
  private String assignedAt;
  @JsonPropertyDescription("How long the node must stay up with this revision before its agent confirms it; until"
      + " then the agent restores the previous file after a reboot (boot assessment). Absent or 0s: confirmed at once.")
  private String confirmAfter;

  public String getWave() { return wave; }
  public void setWave(String wave) { this.wave = wave; }
  public String getSnapshot() { return snapshot; }
  public void setSnapshot(String snapshot) { this.snapshot = snapshot; }
  public String getSnapshotKind() { return snapshotKind; }
  public void setSnapshotKind(String snapshotKind) { this.snapshotKind = snapshotKind; }
  public String getBootId() { return bootId; }
  public void setBootId(String bootId) { this.bootId = bootId; }
  public Boolean getReady() { return ready; }
  public void setReady(Boolean ready) { this.ready = ready; }
  public String getAssignedAt() { return assignedAt; }
  public void setAssignedAt(String assignedAt) { this.assignedAt = assignedAt; }
  public String getConfirmAfter() { return confirmAfter; }
  public void setConfirmAfter(String confirmAfter) { this.confirmAfter = confirmAfter; }
}
