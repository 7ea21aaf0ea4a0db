package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Health signals over every node updated so far. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthStatus {

  @JsonPropertyDescription("Updated nodes whose Ready condition left True.")

  private Integer unreadyNodes = 0;
  @JsonPropertyDescription("Updated nodes whose boot ID changed since assignment.")
  private Integer nodeReboots = 0;
  @JsonPropertyDescription("Pods matching crashingPodSelector that crashed on updated nodes.")
  private Integer crashingPods = 0;
  @JsonPropertyDescription("Updated nodes whose agent reported the revision failed.")
  private Integer contentFailures = 0;
  @JsonPropertyDescription("The nodes behind the signals, at most 10.")
  private List<String> offendingNodes = new ArrayList<>();
  @JsonPropertyDescription("Each metric gate's measurements of the revision in flight.")
  private List<MetricStatus> metrics;

  public Integer getUnreadyNodes() { return unreadyNodes; }
  public void setUnreadyNodes(Integer unreadyNodes) { this.unreadyNodes = unreadyNodes; }
  public Integer getNodeReboots() { return nodeReboots; }
  public void setNodeReboots(Integer nodeReboots) { this.nodeReboots = nodeReboots; }
  public Integer getCrashingPods() { return crashingPods; }
  public void setCrashingPods(Integer crashingPods) { this.crashingPods = crashingPods; }
  public Integer getContentFailures() { return contentFailures; }
  public void setContentFailures(Integer contentFailures) { this.contentFailures = contentFailures; }
  public List<MetricStatus> getMetrics() { return metrics; }
  public void setMetrics(List<MetricStatus> metrics) { this.metrics = metrics; }
  public List<String> getOffendingNodes() { return offendingNodes; }
  public void setOffendingNodes(List<String> offendingNodes) { this.offendingNodes = offendingNodes; }
}
