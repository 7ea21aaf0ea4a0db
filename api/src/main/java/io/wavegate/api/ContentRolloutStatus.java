package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContentRolloutStatus {

  @JsonPropertyDescription("The generation of the spec this status describes.")

  private Long observedGeneration;
  @JsonPropertyDescription("Validating, Rejected, Progressing, Paused, Halted, Succeeded, RollingBack or RolledBack.")
  private RolloutPhase phase;
  @JsonPropertyDescription("Short digest (12 hex) of the revision in flight.")
  private String revision;
  @JsonPropertyDescription("Full sha256 of the revision in flight.")
  private String revisionDigest;
  @JsonPropertyDescription("Short digest of the last revision that completed every wave.")
  private String stableRevision;
  @JsonPropertyDescription("Full sha256 of the last revision that completed every wave.")
  private String stableDigest;
  @JsonPropertyDescription("Index of the first wave not completed.")
  private Integer currentWave;
  @JsonPropertyDescription("Name of the first wave not completed.")
  private String currentWaveName;
  @JsonPropertyDescription("Nodes on the new revision / nodes in the fleet, for the NODES column, with the nodes skipped as unavailable when there are any.")
  private String nodes;
  @JsonPropertyDescription("One line: the last error, else why the rollout stopped, else why it waits, else where it"
      + " stands (the MESSAGE column of kubectl get -o wide).")
  private String message;
  @JsonPropertyDescription("When the current wave's bake ends (RFC 3339), while it bakes: the BAKE-UNTIL column of -o wide.")
  private String bakeUntil;
  @JsonPropertyDescription("Nodes skipped as not Ready (or with a node-local fault) in the waves started: the UNAVAILABLE"
      + " column of -o wide.")
  private Integer unavailableNodes;
  @JsonPropertyDescription("Nodes update policies hold back from the revision in flight (not assigned, awaited or"
      + " blamed): the HELD column of -o wide; status.holds says which and why.")
  private Integer heldNodes;
  @JsonPropertyDescription("The update policies holding nodes back from the revision in flight, by policy and reason,"
      + " with the time the first of them becomes eligible.")
  private List<HoldStatus> holds;
  @JsonPropertyDescription("What the update policies do beyond holding nodes, for a person: a pin left because the"
      + " channel revoked its revision.")
  private List<String> policyNotes;
  @JsonPropertyDescription("The last answer of each wave webhook for the revision in flight.")
  private List<WebhookStatus> webhooks;
  @JsonPropertyDescription("RFC 3339 time the revision in flight became generally available: every wave with"
      + " early-access nodes had completed. Delays of GeneralAvailability policies count from it.")
  private String generallyAvailableAt;
  @JsonPropertyDescription("Each wave of the revision in flight: phase, nodes, updated, ready, unavailable and times.")
  private List<WaveStatus> waves = new ArrayList<>();
  @JsonPropertyDescription("The health signals over every node updated so far, and the metric gates.")
  private HealthStatus health;
  @JsonPropertyDescription("The content gate's verdict on the revision in flight.")
  private GateStatus gate;
  @JsonPropertyDescription("Why the rollout stopped (a breach, a halt, an abort, a spec that cannot be evaluated); it needs a person or a new revision.")
  private StatusNote stall;
  @JsonPropertyDescription("Why the rollout waits; it continues on its own when the cause goes away (for example nodes that are not Ready).")
  private StatusNote wait;
  @JsonPropertyDescription("The last reconcile error (a failed API call, node writes that failed); cleared by the next reconcile without one.")
  private StatusNote error;
  @JsonPropertyDescription("Full digests of revisions that breached a gate or were refused; never retried automatically.")
  private List<String> failedRevisions = new ArrayList<>();
  @JsonPropertyDescription("Validated, Ready, Reconciling and Stalled, derived from the fields above (kstatus conventions).")
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("How the last revisions ended (at most 10, oldest first): outcome, reason, start and end.")
  private List<HistoryStatus> history;

  public List<String> getPolicyNotes() { return policyNotes; }
  public void setPolicyNotes(List<String> policyNotes) { this.policyNotes = policyNotes; }
  public List<WebhookStatus> getWebhooks() { return webhooks; }
  public void setWebhooks(List<WebhookStatus> webhooks) { this.webhooks = webhooks; }
  public Integer getHeldNodes() { return heldNodes; }
  public void setHeldNodes(Integer heldNodes) { this.heldNodes = heldNodes; }
  public List<HoldStatus> getHolds() { return holds; }
  public void setHolds(List<HoldStatus> holds) { this.holds = holds; }
  public String getGenerallyAvailableAt() { return generallyAvailableAt; }
  public void setGenerallyAvailableAt(String generallyAvailableAt) { this.generallyAvailableAt = generallyAvailableAt; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public RolloutPhase getPhase() { return phase; }
  public void setPhase(RolloutPhase phase) { this.phase = phase; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getRevisionDigest() { return revisionDigest; }
  public void setRevisionDigest(String revisionDigest) { this.revisionDigest = revisionDigest; }
  public String getStableRevision() { return stableRevision; }
  public void setStableRevision(String stableRevision) { this.stableRevision = stableRevision; }
  public String getStableDigest() { return stableDigest; }
  public void setStableDigest(String stableDigest) { this.stableDigest = stableDigest; }
  public Integer getCurrentWave() { return currentWave; }
  public void setCurrentWave(Integer currentWave) { this.currentWave = currentWave; }
  public String getCurrentWaveName() { return currentWaveName; }
  public void setCurrentWaveName(String currentWaveName) { this.currentWaveName = currentWaveName; }
  public List<HistoryStatus> getHistory() { return history; }
  public void setHistory(List<HistoryStatus> history) { this.history = history; }
  public String getBakeUntil() { return bakeUntil; }
  public void setBakeUntil(String bakeUntil) { this.bakeUntil = bakeUntil; }
  public Integer getUnavailableNodes() { return unavailableNodes; }
  public void setUnavailableNodes(Integer unavailableNodes) { this.unavailableNodes = unavailableNodes; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getNodes() { return nodes; }
  public void setNodes(String nodes) { this.nodes = nodes; }
  public List<WaveStatus> getWaves() { return waves; }
  public void setWaves(List<WaveStatus> waves) { this.waves = waves; }
  public HealthStatus getHealth() { return health; }
  public void setHealth(HealthStatus health) { this.health = health; }
  public GateStatus getGate() { return gate; }
  public void setGate(GateStatus gate) { this.gate = gate; }
  public StatusNote getStall() { return stall; }
  public void setStall(StatusNote stall) { this.stall = stall; }
  public StatusNote getWait() { return wait; }
  public void setWait(StatusNote wait) { this.wait = wait; }
  public StatusNote getError() { return error; }
  public void setError(StatusNote error) { this.error = error; }
  public List<String> getFailedRevisions() { return failedRevisions; }
  public void setFailedRevisions(List<String> failedRevisions) { this.failedRevisions = failedRevisions; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
