package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WaveStatus {

  @JsonPropertyDescription("The wave of spec.strategy.waves.")

  private String name;
  @JsonPropertyDescription("Pending, Progressing, Baking, Completed or RolledBack.")
  private String phase;
  @JsonPropertyDescription("Nodes in the wave.")
  private Integer nodes;
  @JsonPropertyDescription("Nodes of the wave that report the revision applied.")
  private Integer updated;
  @JsonPropertyDescription("Nodes of the wave that are Ready now.")
  private Integer ready;
  @JsonPropertyDescription("Nodes of the wave not Ready and not on the new revision: skipped, not awaited, not blamed; they get the revision when they are Ready again.")
  private Integer unavailable;
  @JsonPropertyDescription("Nodes of the wave update policies hold back (not assigned, awaited or blamed); they take the"
      + " revision when their hold lifts.")
  private Integer held;
  @JsonPropertyDescription("RFC 3339 time the wave started.")
  private String startedAt;
  @JsonPropertyDescription("RFC 3339 time its bake ends.")
  private String bakeUntil;
  @JsonPropertyDescription("RFC 3339 time it completed.")
  private String completedAt;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getPhase() { return phase; }
  public void setPhase(String phase) { this.phase = phase; }
  public Integer getNodes() { return nodes; }
  public void setNodes(Integer nodes) { this.nodes = nodes; }
  public Integer getUpdated() { return updated; }
  public void setUpdated(Integer updated) { this.updated = updated; }
  public Integer getReady() { return ready; }
  public void setReady(Integer ready) { this.ready = ready; }
  public Integer getHeld() { return held; }
  public void setHeld(Integer held) { this.held = held; }
  public Integer getUnavailable() { return unavailable; }
  public void setUnavailable(Integer unavailable) { this.unavailable = unavailable; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getBakeUntil() { return bakeUntil; }
  public void setBakeUntil(String bakeUntil) { this.bakeUntil = bakeUntil; }
  public String getCompletedAt() { return completedAt; }
  public void setCompletedAt(String completedAt) { this.completedAt = completedAt; }
}
